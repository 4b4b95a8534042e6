"""Pair kinds, as data: what a pair's two strategies make it, and the candidates of each kind.

A **contrast** pair has one side from a deliberate flaw strategy (a clear, easy lesson for a reward
model: the loser is broken on purpose); a **close** pair sets two honest personas against each other
(a close call, where a reward model has the most to learn and annotators tie more often).
``generate pairs --close-share F`` decides the mix; the kind travels with the pair into Argilla
(hidden metadata ``pair_kind``), the pulled tables, the built configs and the card.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from rlhf_argilla.domain.strategies import STRATEGY_IDS, strategy

__all__ = [
    "PairKind",
    "CONTRAST",
    "CLOSE",
    "PAIR_KINDS",
    "PAIR_KIND_NOTES",
    "DEFAULT_CLOSE_SHARE",
    "CLOSE_CANDIDATE_SETS",
    "kind_of",
]

PairKind = Literal["contrast", "close"]
CONTRAST: PairKind = "contrast"
CLOSE: PairKind = "close"
PAIR_KINDS: tuple[PairKind, ...] = (CONTRAST, CLOSE)
PAIR_KIND_NOTES: dict[str, str] = {
    CONTRAST: "one side from a deliberate flaw strategy: a clear contrast",
    CLOSE: "two honest personas: a close call",
}

#: Share of prompts answered for a close pair by default: half, so the card's per-kind figures
#: (tie rate, agreement) are compared on equal samples (the smallest error of their difference
#: for a given size), and a reward model sees as many close calls as clear contrasts.
DEFAULT_CLOSE_SHARE = 0.5

#: Candidate sets of a close prompt: honest personas only, rotated over prompts (stable by prompt id).
#: Each set mixes a detailed voice with a different one so the judge still finds a real difference.
CLOSE_CANDIDATE_SETS: tuple[tuple[str, ...], ...] = (
    ("certified_coach", "sports_scientist", "gym_buddy"),
    ("cautious_physio", "certified_coach", "sports_scientist"),
    ("sports_scientist", "gym_buddy", "cautious_physio"),
    ("gym_buddy", "cautious_physio", "certified_coach"),
)


def kind_of(strategy_ids: Iterable[str | None]) -> PairKind | None:
    """The kind a pair's strategies make it: contrast with a flaw on one side, close with two personas.

    Returns None when a strategy is missing or unknown (a pair made outside this tool).

    Example:
        >>> kind_of(["certified_coach", "flaw_vague"]), kind_of(["gym_buddy", "cautious_physio"])
        ('contrast', 'close')
        >>> kind_of(["certified_coach", "expert"]) is None
        True
    """
    kinds = [strategy(sid).kind if sid in STRATEGY_IDS else None for sid in strategy_ids]
    if "flaw" in kinds:
        return CONTRAST
    return CLOSE if kinds and all(kind == "persona" for kind in kinds) else None
