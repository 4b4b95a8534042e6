"""Stream a dataset's records page by page into compact tables (``pull``'s read step).

Rows become a typed frame every :data:`CHUNK_ROWS` rows and their text columns categorical codes
(``annotation.tidy_codes``), so the tuples and strings of all responses never coexist; with a
:class:`~rlhf_argilla.annotation.text_spool.TextSpool` the record texts go to disk instead of memory.
:func:`tidy_tables` keeps the whole tidy table (review, tests); ``pull`` reads with
:func:`judged_tables`, which writes each chunk to annotations.parquet and keeps only its judgement
views (at 100k records ~40 MiB of codes instead of the ~100 MiB table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation.free_memory import release_freed
from rlhf_argilla.annotation.reliability_data import CONTROL_COLUMNS, CONTROL_SOURCE
from rlhf_argilla.annotation.suggested import SUGGESTION_COLUMNS, suggestion_rows, suggestions_frame
from rlhf_argilla.annotation.tidy_codes import CodedFrame
from rlhf_argilla.annotation.tidy_rows import annotations_frame, record_row, response_rows
from rlhf_argilla.schema import AGGREGATED_METADATA_COLUMNS, ANNOTATION_COLUMNS
from rlhf_argilla.schema.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.judgements import Judgements
    from rlhf_argilla.annotation.text_spool import TextSpool
    from rlhf_argilla.gateway import ArgillaRest

__all__ = [
    "CHUNK_ROWS",
    "CODED_COLUMNS",
    "RECORD_TABLE_COLUMNS",
    "read_annotations",
    "read_judged",
    "tidy_tables",
    "judged_tables",
]

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

#: record metadata held as categorical codes: a few dozen distinct values in 100k records
RECORD_CODED_COLUMNS: tuple[str, ...] = (
    *(name for name in AGGREGATED_METADATA_COLUMNS if name != "predicted_margin"),
    CONTROL_SOURCE,
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
    pages, names = _server_pages(rest, dataset_id, with_suggestions)
    return tidy_tables(pages, usernames, question_names=names, spool=spool, on_progress=on_progress)


def read_judged(
    rest: ArgillaRest,
    dataset_id: str,
    usernames: dict[str, str],
    tidy_file: Path,
    spool: TextSpool,
    on_progress: Progress | None = None,
) -> tuple[Judgements, pd.DataFrame, pd.DataFrame | None]:
    """Stream a dataset's records (responses and suggestions) from the server into
    :func:`judged_tables`: ``pull``'s read, whose memory does not hold the tidy table."""
    pages, names = _server_pages(rest, dataset_id, with_suggestions=True)
    return judged_tables(pages, usernames, tidy_file, names, spool, on_progress)


def _server_pages(
    rest: ArgillaRest, dataset_id: str, with_suggestions: bool
) -> tuple[Iterable[tuple[list[dict[str, Any]], int]], dict[str, str] | None]:
    """The record pages of a dataset, and its question id -> name map when suggestions are read."""
    include: tuple[str, ...] = ("responses", "suggestions") if with_suggestions else ("responses",)
    names = None
    if with_suggestions:
        names = {
            item["id"]: item["name"]
            for item in rest.call("GET", f"/datasets/{dataset_id}/questions")["items"]
        }
    return rest.record_pages(dataset_id, include=include), names


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
    tidy = CodedFrame(CODED_COLUMNS, ordered=("updated_at",))  # review decisions take its max
    records, suggested = _read(pages, usernames, question_names, spool, on_progress, tidy.add)
    return tidy.frame(list(ANNOTATION_COLUMNS)), records, suggested


def judged_tables(
    pages: Iterable[tuple[list[dict[str, Any]], int]],
    usernames: dict[str, str],
    tidy_file: Path,
    question_names: dict[str, str] | None = None,
    spool: TextSpool | None = None,
    on_progress: Progress | None = None,
) -> tuple[Judgements, pd.DataFrame, pd.DataFrame | None]:
    """:func:`tidy_tables` for a pull, without ever holding the tidy table: each chunk of tidy rows
    is written to ``tidy_file`` (annotations.parquet, plain columns) and reduced to its judgement
    views (``judgements.JudgementsBuilder``) at once.

    Returns:
        ``(judged, records, suggestions)``: ``Judgements.of`` the tidy table, and as :func:`tidy_tables`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from rlhf_argilla.annotation.judgements import JudgementsBuilder

    views = JudgementsBuilder(CODED_COLUMNS)
    schema = pa.Schema.from_pandas(annotations_frame([_TYPED_ROW]).iloc[0:0], preserve_index=False)
    with pq.ParquetWriter(tidy_file, schema) as writer:

        def take(chunk: pd.DataFrame) -> None:
            writer.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))
            views.add(chunk)

        records, suggested = _read(pages, usernames, question_names, spool, on_progress, take)
    return views.judgements(), records, suggested


#: one tidy row of every column's type (the annotations file's schema comes from it)
_TYPED_ROW = ("", "", "", "", 1, "", "", False)


def _read(
    pages: Iterable[tuple[list[dict[str, Any]], int]],
    usernames: dict[str, str],
    question_names: dict[str, str] | None,
    spool: TextSpool | None,
    on_progress: Progress | None,
    take: Callable[[pd.DataFrame], None],
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read every page: each chunk of about :data:`CHUNK_ROWS` tidy rows (whole records, at least
    one chunk) goes to ``take``; returns the record table and the suggestions (or None)."""
    import pandas as pd

    records, suggested = CodedFrame(RECORD_CODED_COLUMNS), CodedFrame(("pair_id", "question"))
    rows: list[tuple] = []
    record_rows: list[dict[str, Any]] = []
    suggestion_buffer: list[tuple] = []
    seen, chunks = 0, 0

    def flush() -> None:
        take(annotations_frame(rows))
        records.add(pd.DataFrame(record_rows, columns=list(RECORD_TABLE_COLUMNS)))
        suggested.add(suggestions_frame(suggestion_buffer))
        for buffer in (rows, record_rows, suggestion_buffer):
            buffer.clear()
        release_freed()  # the chunk's rows and pages: freed between kept chunks, not reused whole

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
            chunks += 1
        seen += len(page)
        if on_progress:
            on_progress(seen, total)
    if rows or record_rows or not chunks:
        flush()
    return (
        records.frame(list(RECORD_TABLE_COLUMNS)),
        suggested.frame(list(SUGGESTION_COLUMNS)) if question_names is not None else None,
    )
