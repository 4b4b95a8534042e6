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

from rlhf_argilla.annotation.settings import OVERALL
from rlhf_argilla.domain.criteria import CRITERION_IDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Judgements",
    "JudgementsBuilder",
    "judgements_of",
    "response_statuses",
    "preferences",
    "ratings",
]


@dataclass(frozen=True)
class Judgements:
    """``statuses`` (:func:`response_statuses` plus the response's ``updated_at``),
    ``prefs`` (:func:`preferences`) and ``scores`` (:func:`ratings`)."""

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


class JudgementsBuilder:
    """:class:`Judgements` of a tidy table that arrives in chunks and is never held whole.

    Each chunk must hold whole responses (every row of a (pair, annotator) in one chunk, as the
    page-by-page read gives them). Its views are taken at once and kept as categorical codes with
    one vocabulary per column over all chunks and views, so :meth:`judgements` equals
    ``Judgements.of`` of the concatenated, coded table (``pull_read.CODED_COLUMNS``).

    Example:
        >>> import pandas as pd
        >>> def chunk(pair):
        ...     return pd.DataFrame({"pair_id": [pair] * 2, "annotator": ["a"] * 2, "status": ["submitted"] * 2,
        ...         "question": ["overall"] * 2, "response": [1, 2], "value": ["1", "2"],
        ...         "updated_at": ["t"] * 2, "simulated": [False] * 2})
        >>> builder = JudgementsBuilder(("pair_id", "annotator", "status", "question", "updated_at"))
        >>> builder.add(chunk("p2")); builder.add(chunk("p1"))
        >>> judged = builder.judgements()
        >>> judged.statuses["pair_id"].tolist(), judged.prefs["pair_id"].tolist(), judged.prefs["preferred"].tolist()
        (['p2', 'p1'], ['p1', 'p2'], ['1', '1'])
    """

    def __init__(self, coded: tuple[str, ...], ordered: tuple[str, ...] = ("updated_at",)) -> None:
        from rlhf_argilla.annotation.tidy_codes import CodedColumn, CodedFrame

        self.words: dict[str, CodedColumn] = {name: CodedColumn() for name in coded}
        vocabulary = {name: column.index for name, column in self.words.items()}
        self.views = {
            name: CodedFrame(tuple(c for c in coded if c in columns), ordered, vocabulary)
            for name, columns in _VIEW_COLUMNS.items()
        }

    def add(self, chunk: pd.DataFrame) -> None:
        """Take the views of one chunk of tidy rows (``schema.ANNOTATION_COLUMNS``)."""
        for name, column in self.words.items():
            column.learn(chunk[name])  # every label of the table, as its coded columns would have
        for name, view in zip(_VIEW_COLUMNS, _views(chunk), strict=True):
            self.views[name].add(view)

    def judgements(self) -> Judgements:
        """The views of every chunk added, in order (call it once: the chunks are released)."""
        statuses, prefs, scores = (
            self.views[name].frame(list(columns)) for name, columns in _VIEW_COLUMNS.items()
        )
        # the pivot of each chunk is sorted within it; the pivot of a whole table is sorted over it
        prefs = prefs.sort_values(["pair_id", "annotator"], kind="stable", ignore_index=True)
        return Judgements(statuses, prefs, scores)


#: the columns of each view, in :class:`Judgements` order
_VIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "statuses": ("pair_id", "annotator", "status", "simulated", "updated_at"),
    "prefs": ("pair_id", "annotator", "preferred"),
    "scores": ("pair_id", "annotator", "question", "response", "score"),
}


def _views(chunk: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    judged = Judgements.of(chunk)
    return judged.statuses, judged.prefs, judged.scores


def judgements_of(annotations: pd.DataFrame | Judgements) -> Judgements:
    """``annotations`` itself when it already is :class:`Judgements`, else ``Judgements.of`` it."""
    return annotations if isinstance(annotations, Judgements) else Judgements.of(annotations)


def response_statuses(annotations: pd.DataFrame, with_time: bool = False) -> pd.DataFrame:
    """One row per (pair, annotator) response with its status, whatever values it holds.

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``).
        with_time: also the ``updated_at`` of the response's first row (``simulated`` and
            ``updated_at`` only where the table has them).

    Returns:
        Columns ``pair_id``, ``annotator``, ``status``, ``simulated`` (and ``updated_at``).
    """
    keys = ["pair_id", "annotator"]
    columns = [*keys, "status", "simulated"]
    if with_time:
        columns = [*columns[:3], *(name for name in ("simulated", "updated_at") if name in annotations)]
    import pandas as pd

    firsts = [part.loc[~part.duplicated(keys), columns] for part in _slices(annotations)]
    joined = pd.concat(firsts, ignore_index=True) if len(firsts) > 1 else firsts[0]
    return joined.loc[~joined.duplicated(keys)].reset_index(drop=True)


def preferences(annotations: pd.DataFrame) -> pd.DataFrame:
    """Submitted overall preference per (pair, annotator), from the two ranks.

    Args:
        annotations: the tidy table; ``overall`` rows carry the rank of response 1 and of response 2.

    Returns:
        Columns ``pair_id``, ``annotator``, ``preferred`` ("1", "2" or "tie"); responses whose
        ranking is incomplete are left out.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p"] * 4, "annotator": ["a", "a", "b", "b"],
        ...     "status": ["submitted"] * 4, "question": ["overall"] * 4, "response": [1, 2, 1, 2],
        ...     "value": ["2", "1", "1", "1"]})
        >>> preferences(rows).to_dict("records")
        [{'pair_id': 'p', 'annotator': 'a', 'preferred': '2'}, {'pair_id': 'p', 'annotator': 'b', 'preferred': 'tie'}]
    """
    import pandas as pd

    from rlhf_argilla.annotation.rating_sides import pair_blocks

    columns = ["pair_id", "annotator", "response", "value"]
    rows = _submitted(annotations, [OVERALL], columns, types={"value": "int8"})  # ranks: 1 or 2
    # pivoted a block of pairs at a time (blocks in sorted pair order, as one pivot would sort them)
    parts = [part for part in map(_preferred, pair_blocks(rows)) if len(part)]
    if not parts:
        return pd.DataFrame({"pair_id": [], "annotator": [], "preferred": []}, dtype=object)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _preferred(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`preferences` of the overall rank rows of some pairs (empty when none is complete)."""
    import pandas as pd

    ranks = rows.pivot_table(
        index=["pair_id", "annotator"], columns="response", values="value", aggfunc="first"
    ).dropna()
    if ranks.empty:
        return ranks
    first, second = ranks[1].astype(int), ranks[2].astype(int)
    preferred = pd.Series("tie", index=ranks.index).mask(first < second, "1").mask(second < first, "2")
    return preferred.rename("preferred").reset_index()


def ratings(annotations: pd.DataFrame) -> pd.DataFrame:
    """Submitted criterion ratings: ``pair_id``, ``annotator``, ``question``, ``response``, ``score``.

    ``response`` (1 / 2) and ``score`` (1-5) are int8: at 100k records this table has ~3 M rows.
    """
    keys = ["pair_id", "annotator", "question", "response"]
    types = {"response": "int8", "score": "int8"}
    return _submitted(annotations, list(CRITERION_IDS), [*keys, "value"], {"value": "score"}, types)


def _slices(annotations: pd.DataFrame) -> list[pd.DataFrame]:
    """``annotations`` in consecutive row slices of ``tidy_codes.SLICE_ROWS`` (views, at least one)."""
    from rlhf_argilla.annotation.tidy_codes import row_slices

    return [annotations.iloc[rows] for rows in row_slices(len(annotations), at_least_one=True)]


def _submitted(
    annotations: pd.DataFrame,
    questions: list[str],
    columns: list[str],
    names: dict[str, str] | None = None,
    types: dict[str, str] | None = None,
) -> pd.DataFrame:
    """``columns`` (renamed by ``names``, cast to ``types``) of the submitted rows on ``questions``
    that hold a response side and a value, in table order and with a fresh index; selected one
    slice at a time, so a large table is never masked or copied whole."""
    import pandas as pd

    parts = []
    for part in _slices(annotations):
        mask = part["question"].isin(questions) & (part["status"] == "submitted")
        mask &= part["response"].notna() & part["value"].notna()
        parts.append(part.loc[mask, columns].rename(columns=names or {}).astype(types or {}))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
