"""The three small views every figure of a pull starts from, derived once from the tidy table.

Agreement, reliability, exclusion and aggregation all read the same things: one row per response
with its status, the submitted overall preferences and the submitted criterion ratings. Derived
once (:meth:`Judgements.of`), they are a fraction of the tidy table (4 M rows at 100k records), and
subsets (controls left out, excluded annotators left out) are filtered from them, not from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Judgements", "judgements_of"]


@dataclass(frozen=True)
class Judgements:
    """``statuses`` (``agreement.response_statuses`` plus the response's ``updated_at``),
    ``prefs`` (``agreement.preferences``) and ``scores`` (``agreement.ratings``)."""

    statuses: pd.DataFrame
    prefs: pd.DataFrame
    scores: pd.DataFrame

    @classmethod
    def of(cls, annotations: pd.DataFrame) -> Judgements:
        """The views of a tidy table (``schema.ANNOTATION_COLUMNS``), all statuses.

        Example:
            >>> import pandas as pd
            >>> rows = pd.DataFrame({"pair_id": ["p"] * 3, "annotator": ["a"] * 3, "status": ["submitted"] * 3,
            ...     "question": ["overall", "overall", "safety"], "response": [1, 2, 1], "value": ["1", "2", "4"],
            ...     "updated_at": ["t"] * 3, "simulated": [False] * 3})
            >>> judged = Judgements.of(rows)
            >>> len(judged.statuses), judged.prefs["preferred"].tolist(), judged.scores["score"].tolist()
            (1, ['1'], [4])
        """
        from rlhf_argilla.annotation.agreement import preferences, ratings, response_statuses

        return cls(
            response_statuses(annotations, with_time=True), preferences(annotations), ratings(annotations)
        )

    def without(self, column: str, values: Iterable[Any]) -> Judgements:
        """The views without the rows whose ``column`` ("pair_id" or "annotator") is in ``values``."""
        drop = list(values)
        if not drop:
            return self
        frames = (self.statuses, self.prefs, self.scores)
        kept = (frame[~frame[column].isin(drop)].reset_index(drop=True) for frame in frames)
        return Judgements(*kept)


def judgements_of(annotations: pd.DataFrame | Judgements) -> Judgements:
    """``annotations`` itself when it already is :class:`Judgements`, else ``Judgements.of`` it."""
    return annotations if isinstance(annotations, Judgements) else Judgements.of(annotations)
