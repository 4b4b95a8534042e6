"""Stream a dataset's records page by page into compact tidy tables (``pull``'s read step).

Rows become a typed frame every :data:`CHUNK_ROWS` rows and their text columns categorical codes
(``annotation.tidy_codes``), so the tuples and strings of all responses never coexist; with a
:class:`~rlhf_argilla.annotation.text_spool.TextSpool` the record texts go to disk instead of memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation.reliability_data import CONTROL_COLUMNS
from rlhf_argilla.annotation.suggested import SUGGESTION_COLUMNS, suggestion_rows, suggestions_frame
from rlhf_argilla.annotation.tidy_codes import CodedFrame
from rlhf_argilla.annotation.tidy_rows import annotations_frame, record_row, response_rows
from rlhf_argilla.schema import AGGREGATED_METADATA_COLUMNS, ANNOTATION_COLUMNS
from rlhf_argilla.schema.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.text_spool import TextSpool
    from rlhf_argilla.gateway import ArgillaRest

__all__ = ["CHUNK_ROWS", "CODED_COLUMNS", "RECORD_TABLE_COLUMNS", "read_annotations", "tidy_tables"]

#: tidy rows turned into one typed frame at a time (bounds the peak memory of the read)
CHUNK_ROWS = 100_000
#: tidy columns held as categorical codes (``value`` stays text: ranks, scores and rationales share it)
CODED_COLUMNS: tuple[str, ...] = ("pair_id", "annotator", "status", "question", "updated_at")
RECORD_TABLE_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            "pair_id",
            "prompt",
            "response_1",
            "response_2",
            *AGGREGATED_METADATA_COLUMNS,
            "a_is",
            *CONTROL_COLUMNS,
        ]
    )
)


def read_annotations(
    rest: ArgillaRest,
    dataset_id: str,
    usernames: dict[str, str],
    on_progress: Progress | None = None,
    with_suggestions: bool = False,
    spool: TextSpool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Stream a dataset's records from the server into :func:`tidy_tables`.

    Args:
        rest: a REST client with an owner/admin key.
        dataset_id: the server's dataset UUID.
        usernames: user id -> username.
        on_progress: records read so far, of the total, after each page.
        with_suggestions: also read the rating suggestions (``suggested.suggestions_frame``).
        spool: where the record texts go; without one they stay in the record table.

    Returns: see :func:`tidy_tables`.
    """
    include: tuple[str, ...] = ("responses", "suggestions") if with_suggestions else ("responses",)
    names = None
    if with_suggestions:
        names = {
            item["id"]: item["name"]
            for item in rest.call("GET", f"/datasets/{dataset_id}/questions")["items"]
        }
    pages = rest.record_pages(dataset_id, include=include)
    return tidy_tables(pages, usernames, question_names=names, spool=spool, on_progress=on_progress)


def tidy_tables(
    pages: Iterable[tuple[list[dict[str, Any]], int]],
    usernames: dict[str, str],
    question_names: dict[str, str] | None = None,
    spool: TextSpool | None = None,
    on_progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """API record pages -> the tidy annotation table, the per-record table and the suggestions.

    Args:
        pages: ``(records, total)`` per page, as ``ArgillaRest.record_pages`` yields them.
        usernames: user id -> username.
        question_names: question id -> name; given, rating suggestions are read too.
        spool: where the record texts go; without one they stay in the record table.
        on_progress: records read so far, of the total, after each page.

    Returns:
        ``(annotations, records, suggestions)``: ``schema.ANNOTATION_COLUMNS`` rows (text columns
        categorical), one row per record (its texts None when spooled), and the suggestion table
        (None without ``question_names``).
    """
    import pandas as pd

    tidy = CodedFrame(CODED_COLUMNS, ordered=("updated_at",))  # review decisions take its max
    records, suggested = CodedFrame(()), CodedFrame(("pair_id", "question"))
    rows: list[tuple] = []
    record_rows: list[dict[str, Any]] = []
    suggestion_buffer: list[tuple] = []
    seen = 0

    def flush() -> None:
        tidy.add(annotations_frame(rows))
        records.add(pd.DataFrame(record_rows, columns=list(RECORD_TABLE_COLUMNS)))
        suggested.add(suggestions_frame(suggestion_buffer))
        for buffer in (rows, record_rows, suggestion_buffer):
            buffer.clear()

    for page, total in pages:
        for record in page:
            rows.extend(response_rows(record, usernames))
            row = record_row(record)
            if question_names is not None:
                suggestion_buffer.extend(suggestion_rows(record, question_names, row["a_is"]))
            if spool is not None:
                spool.add(row)
            record_rows.append(row)
        if len(rows) >= CHUNK_ROWS:
            flush()
        seen += len(page)
        if on_progress:
            on_progress(seen, total)
    if rows or record_rows or not tidy.rest:
        flush()
    return (
        tidy.frame(list(ANNOTATION_COLUMNS)),
        records.frame(list(RECORD_TABLE_COLUMNS)),
        suggested.frame(list(SUGGESTION_COLUMNS)) if question_names is not None else None,
    )
