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
    """The tidy suggestion table of :func:`suggestion_rows` tuples."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(SUGGESTION_COLUMNS))
    frame["response"] = frame["response"].astype(int)
    frame["value"] = frame["value"].astype(int)
    return frame
