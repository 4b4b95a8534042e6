"""Pure: which records are pushed *blind* (without the judge's suggestions), the calibration slice.

Humans who see a suggestion tend to keep it, so judge-vs-human agreement is only honest on records
whose annotators never saw the judge. A seeded share of records is drawn per ``pair_id`` (stable
across reruns and batch sizes) and the draw is stored on the record (hidden metadata ``blind``,
0 / 1); a re-push keeps what the server already holds, so changing the share or seed later never
moves a record between the slices. ``--suggestions none`` pushes every record without suggestions
(all records are then blind).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

__all__ = ["DEFAULT_BLIND_SHARE", "SUGGESTION_MODES", "SuggestionMode", "BlindPlan", "blind_draw"]

DEFAULT_BLIND_SHARE = 0.2
SuggestionMode = Literal["judge", "none"]
SUGGESTION_MODES: tuple[str, ...] = ("judge", "none")


def blind_draw(pair_id: str, seed: int) -> float:
    """A uniform number in [0, 1) fixed by ``(seed, pair_id)``.

    Example:
        >>> blind_draw("p1", 0) == blind_draw("p1", 0), 0 <= blind_draw("p1", 0) < 1
        (True, True)
    """
    digest = hashlib.sha256(f"blind:{seed}:{pair_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class BlindPlan:
    """How a push assigns records to the blind slice.

    Example:
        >>> plan = BlindPlan(share=0.5, seed=3)
        >>> sum(plan.is_blind(f"p{i}") for i in range(1000))
        497
        >>> plan.is_blind("p1", stored=True), BlindPlan(suggestions="none").is_blind("p1")
        (True, True)
    """

    share: float = DEFAULT_BLIND_SHARE
    seed: int = 0
    suggestions: SuggestionMode = "judge"

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"the blind share must be between 0 and 1, got {self.share}")
        if self.suggestions not in SUGGESTION_MODES:
            raise ValueError(
                f"suggestions must be one of {', '.join(SUGGESTION_MODES)}, got {self.suggestions!r}"
            )

    def is_blind(self, pair_id: str, stored: bool | None = None) -> bool:
        """Blind or not: ``--suggestions none`` makes every record blind; else the stored
        assignment wins (re-push), else the seeded draw."""
        if self.suggestions == "none":
            return True
        if stored is not None:
            return stored
        return blind_draw(pair_id, self.seed) < self.share
