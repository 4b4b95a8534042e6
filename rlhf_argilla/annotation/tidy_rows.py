"""Pure: one API record -> its tidy annotation rows and its record row (the A/B display shuffle undone).

Each response becomes one row per answered question (``response`` is 1 or 2 as in pairs.jsonl);
a response that holds no value (e.g. discarded without answers) still gets one row with
``question`` None, so it is counted. ``pull`` and ``review`` read records through these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.annotation.records import undo_display
from rlhf_argilla.annotation.reliability_data import CONTROL_COLUMNS
from rlhf_argilla.annotation.safe_text import restore
from rlhf_argilla.annotation.simulate_plan import is_simulated
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.schema import AGGREGATED_METADATA_COLUMNS, ANNOTATION_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["response_rows", "record_row", "annotations_frame"]

_RATING = {ds.rating_question(name, side): (name, side) for name in CRITERION_IDS for side in ds.SIDES}
#: one shared string per rank or rating value instead of one per row
_VALUE = {number: str(number) for number in range(0, 11)}


def _text(value: Any) -> str:
    """``str(value)``, shared for small ints (a bool stays ``"True"``/``"False"``)."""
    return _VALUE[value] if type(value) is int and value in _VALUE else str(value)


def _a_is(record: dict[str, Any]) -> int:
    value = (record.get("metadata") or {}).get(ds.META_A_IS)
    if value not in (1, 2):
        name = record.get("external_id") or record["id"]
        raise ArgillaError(
            f"record {name} has no '{ds.META_A_IS}' metadata "
            "(1 or 2): only datasets created by `rlhf-argilla push` can be pulled"
        )
    return int(value)


def response_rows(record: dict[str, Any], usernames: dict[str, str]) -> list[tuple]:
    """The tidy rows (``schema.ANNOTATION_COLUMNS`` order) of every response of one API record.

    Args:
        record: one item of ``GET /datasets/{id}/records?include=responses``.
        usernames: user id -> username; unknown ids are kept as the id.

    Returns:
        One tuple per (response, question[, response side]); ranks, ratings and text as strings.

    Example:
        >>> record = {"id": "u1", "external_id": "p1", "metadata": {"a_is": 2}, "responses": [
        ...     {"user_id": "x", "status": "submitted", "updated_at": "t", "values": {
        ...         "overall": {"value": [{"value": "response_a", "rank": 1}, {"value": "response_b", "rank": 1}]},
        ...         "safety_a": {"value": 4}}}]}
        >>> response_rows(record, {"x": "sim-1"})  # doctest: +NORMALIZE_WHITESPACE
        [('p1', 'sim-1', 'submitted', 'overall', 2, '1', 't', True),
         ('p1', 'sim-1', 'submitted', 'overall', 1, '1', 't', True),
         ('p1', 'sim-1', 'submitted', 'safety', 2, '4', 't', True)]
    """
    responses = record.get("responses") or []
    if not responses:
        return []
    pair_id = record.get("external_id") or record["id"]
    a_is = _a_is(record)
    rows: list[tuple] = []
    for response in responses:
        who = usernames.get(response["user_id"], response["user_id"])
        head = (pair_id, who, response["status"])
        tail = (response.get("updated_at"), is_simulated(who))
        values = response.get("values") or {}
        for question, answer in values.items():
            value = (answer or {}).get("value")
            if value is None:
                continue
            if question == ds.OVERALL:
                for position, item in enumerate(value, start=1):
                    side = "a" if item["value"] == ds.FIELD_A else "b"
                    rank = item.get("rank") or position
                    rows.append((*head, ds.OVERALL, undo_display(side, a_is), _text(rank), *tail))
            elif question in _RATING:
                name, side = _RATING[question]
                rows.append((*head, name, undo_display(side, a_is), _text(value), *tail))
            else:
                rows.append((*head, question, None, str(value), *tail))
        if not any((answer or {}).get("value") is not None for answer in values.values()):
            rows.append((*head, None, None, None, *tail))
    return rows


def record_row(record: dict[str, Any]) -> dict[str, Any]:
    """Pair-level facts of one API record, A/B undone: id, texts and metadata columns.

    Example:
        >>> record_row({"id": "u", "external_id": "p", "metadata": {"a_is": 2, "subtopic": "mobility"},
        ...             "fields": {"prompt": "Q", "response_a": "second", "response_b": "first"}})["response_1"]
        'first'
    """
    metadata = record.get("metadata") or {}
    fields = {name: restore(text) for name, text in (record.get("fields") or {}).items() if text is not None}
    a_is = _a_is(record)
    by_original = {
        undo_display("a", a_is): fields.get(ds.FIELD_A),
        undo_display("b", a_is): fields.get(ds.FIELD_B),
    }
    row = {
        "pair_id": record.get("external_id") or record["id"],
        "prompt": fields.get(ds.FIELD_PROMPT),
        "response_1": by_original[1],
        "response_2": by_original[2],
    }
    row.update({column: metadata.get(column) for column in AGGREGATED_METADATA_COLUMNS})
    row["a_is"] = a_is
    row.update({column: metadata.get(column) for column in CONTROL_COLUMNS})
    return row


def annotations_frame(rows: list[tuple]) -> pd.DataFrame:
    """The tidy annotation table of :func:`response_rows` tuples, with its column types."""
    import pandas as pd

    annotations = pd.DataFrame.from_records(rows, columns=list(ANNOTATION_COLUMNS))
    annotations["response"] = annotations["response"].astype("Int64")
    annotations["simulated"] = annotations["simulated"].astype(bool)
    return annotations
