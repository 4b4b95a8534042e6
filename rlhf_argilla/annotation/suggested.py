"""Pure: the pre-filled rating suggestions of API records as tidy rows (for suggestion acceptance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.annotation.records import undo_display
from rlhf_argilla.domain.criteria import CRITERION_IDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SUGGESTION_COLUMNS", "suggestion_rows", "suggestions_frame"]

SUGGESTION_COLUMNS: tuple[str, ...] = ("pair_id", "question", "response", "value")
_RATING = {ds.rating_question(name, side): (name, side) for name in CRITERION_IDS for side in ds.SIDES}


def suggestion_rows(record: dict[str, Any], question_names: dict[str, str], a_is: int) -> list[tuple]:
    """(pair id, criterion, original response number, suggested score) per rating suggestion of a record.

    Example:
        >>> record = {"id": "u", "external_id": "p", "suggestions": [
        ...     {"question_id": "q1", "value": 4}, {"question_id": "q2", "value": ["response_a"]}]}
        >>> suggestion_rows(record, {"q1": "safety_a", "q2": "overall"}, a_is=2)
        [('p', 'safety', 2, 4)]
    """
    pair_id = record.get("external_id") or record["id"]
    rows = []
    for item in record.get("suggestions") or []:
        question = question_names.get(item.get("question_id", ""))
        if question in _RATING and isinstance(item.get("value"), int):
            name, side = _RATING[question]
            rows.append((pair_id, name, undo_display(side, a_is), int(item["value"])))
    return rows


def suggestions_frame(rows: list[tuple]) -> pd.DataFrame:
    """The tidy suggestion table of :func:`suggestion_rows` tuples (``response`` and ``value`` int8:
    sides 1 / 2 and rating scores; at 100k records the table has 1 M rows)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(SUGGESTION_COLUMNS))
    return frame.astype({"response": "int8", "value": "int8"})


def suggestion_hits(scores: pd.DataFrame, suggestions: pd.DataFrame) -> pd.DataFrame:
    """Per rating that had a suggestion: its ``annotator`` and ``hit`` (the score equals the suggestion).

    The rows an inner merge on (pair, question, response) would give, one per rating (a key is
    suggested once), found through integer codes: no merged copy of the ~3 M ratings of 100k records.

    Example:
        >>> import pandas as pd
        >>> scores = pd.DataFrame({"pair_id": ["p", "p", "q"], "annotator": ["x", "y", "x"],
        ...     "question": ["safety"] * 3, "response": [1, 1, 2], "score": [4, 3, 5]})
        >>> hints = pd.DataFrame({"pair_id": ["p"], "question": ["safety"], "response": [1], "value": [4]})
        >>> suggestion_hits(scores, hints).to_dict("records")
        [{'annotator': 'x', 'hit': True}, {'annotator': 'y', 'hit': False}]
    """
    import numpy as np
    import pandas as pd

    from rlhf_argilla.annotation.rating_sides import rating_cells
    from rlhf_argilla.annotation.tidy_codes import column_codes, row_slices

    (pair, pairs), (question, questions) = column_codes(scores["pair_id"]), column_codes(scores["question"])
    # the suggestions' values coded into the ratings' labels (-1: no rating has that label)
    hinted_pair, hinted_question = (
        pairs.get_indexer(suggestions["pair_id"]),
        questions.get_indexer(suggestions["question"]),
    )
    value = np.full(len(pairs) * len(questions) * 2, -1, dtype=np.int64)
    hinted = rating_cells(hinted_pair, hinted_question, suggestions["response"].to_numpy(), len(questions))
    value[hinted[hinted >= 0]] = suggestions["value"].to_numpy(dtype=np.int64)[hinted >= 0]
    side, score, annotator = scores["response"].to_numpy(), scores["score"].to_numpy(), scores["annotator"]
    parts = []
    for at in row_slices(len(scores), at_least_one=True):  # the keys of one slice of ratings at a time
        rated = rating_cells(pair[at], question[at], side[at], len(questions))
        found = np.where(rated >= 0, value[np.maximum(rated, 0)], -1)
        matched = found >= 0
        hit = score[at][matched] == found[matched]
        parts.append(pd.DataFrame({"annotator": annotator.array[at][matched], "hit": hit}))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
