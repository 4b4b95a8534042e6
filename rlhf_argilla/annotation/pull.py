"""Pull every record with every user's response (drafts and discarded included) into tidy tables.

Reads over the REST API, because the SDK drops ranking ranks on read and ties would be lost.
Records stream in pages; each response becomes one row per answered question, with the A/B
display shuffle undone (``response`` is 1 or 2 as in pairs.jsonl). A response that holds no value
(e.g. discarded without answers) still gets one row with ``question`` None, so it is counted.

Writes ``annotations.parquet``, ``aggregated.parquet``, ``agreement.json`` (with per-annotator
reliability, ``annotation.reliability``), ``report.md``, ``agreement.png`` and ``reliability.png``
into the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.annotation.records import undo_display
from rlhf_argilla.annotation.reliability_data import CONTROL_COLUMNS
from rlhf_argilla.annotation.safe_text import restore
from rlhf_argilla.annotation.simulate_plan import is_simulated
from rlhf_argilla.annotation.suggested import suggestion_rows
from rlhf_argilla.config import Settings
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.schema import (
    AGGREGATED_FILE,
    AGGREGATED_METADATA_COLUMNS,
    ANNOTATION_COLUMNS,
    ANNOTATIONS_FILE,
)
from rlhf_argilla.schema.agreement import Aggregation, AgreementSummary
from rlhf_argilla.schema.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.aggregate import Method
    from rlhf_argilla.gateway import ArgillaRest

__all__ = ["PullResult", "response_rows", "record_row", "annotations_frame", "read_annotations", "pull"]

_RATING = {ds.rating_question(name, side): (name, side) for name in CRITERION_IDS for side in ds.SIDES}
#: tidy rows turned into one typed frame at a time by :func:`read_annotations` (bounds its peak memory)
CHUNK_ROWS = 100_000
#: one shared string per rank or rating value instead of one per row
_VALUE = {number: str(number) for number in range(0, 11)}


def _text(value: Any) -> str:
    """``str(value)``, shared for small ints (a bool stays ``"True"``/``"False"``)."""
    return _VALUE[value] if type(value) is int and value in _VALUE else str(value)


@dataclass(frozen=True)
class PullResult:
    """What a pull wrote and the headline figures."""

    out_dir: Path
    records: int
    summary: AgreementSummary
    files: tuple[Path, ...]


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


def read_annotations(
    rest: ArgillaRest,
    dataset_id: str,
    usernames: dict[str, str],
    on_progress: Progress | None = None,
    suggested: list[tuple] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stream a dataset's records into the tidy annotation table and the per-record table.

    Args:
        rest: a REST client with an owner/admin key.
        dataset_id: the server's dataset UUID.
        usernames: user id -> username.
        on_progress: records read so far, of the total, after each page.
        suggested: a list to fill with rating suggestions (``suggested.suggestion_rows`` tuples).

    Returns:
        ``(annotations, records)``: ``schema.ANNOTATION_COLUMNS`` rows, and one row per record.
    """
    import pandas as pd

    # rows become a typed frame every CHUNK_ROWS rows, so the tuples of all responses never coexist
    frames: list[pd.DataFrame] = []
    rows: list[tuple] = []
    records: list[dict[str, Any]] = []
    seen = 0
    include: tuple[str, ...] = ("responses",)
    names: dict[str, str] = {}
    if suggested is not None:
        include = ("responses", "suggestions")
        names = {
            item["id"]: item["name"]
            for item in rest.call("GET", f"/datasets/{dataset_id}/questions")["items"]
        }
    for page, total in rest.record_pages(dataset_id, include=include):
        for record in page:
            rows.extend(response_rows(record, usernames))
            records.append(record_row(record))
            if suggested is not None:
                suggested.extend(suggestion_rows(record, names, records[-1]["a_is"]))
        if len(rows) >= CHUNK_ROWS:
            frames.append(annotations_frame(rows))
            rows = []
        seen += len(page)
        if on_progress:
            on_progress(seen, total)
    if rows or not frames:
        frames.append(annotations_frame(rows))
    annotations = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    columns = ["pair_id", "prompt", "response_1", "response_2", *AGGREGATED_METADATA_COLUMNS, "a_is"]
    return annotations, pd.DataFrame(records, columns=list(dict.fromkeys([*columns, *CONTROL_COLUMNS])))


def pull(
    settings: Settings,
    dataset: str,
    out_dir: str | Path,
    workspace: str | None = None,
    method: Method = "majority",
    tie_margin: float = 0.0,
    on_progress: Progress | None = None,
    review_workspace: str | None = None,
    exclude_flagged: bool = False,
    exclude_annotators: tuple[str, ...] = (),
) -> PullResult:
    """Pull a dataset's annotations, aggregate them and write the tables and the report.

    Args:
        settings: where Argilla is (``resolve_target``) and the default workspace.
        dataset: the Argilla dataset name.
        out_dir: folder for the five output files (created; existing files are replaced).
        workspace: overrides ``settings.workspace``.
        method: aggregation, ``aggregate.METHODS``; tie_margin: with ``mean``, |margin| up to it is a tie.
        on_progress: records read of the total (``schema.progress``).
        review_workspace: where ``{dataset}-review`` lives (default ``{workspace}-review``); its
            reviewer decisions override the aggregate (``decided_by``), see ``annotation.review_decisions``.
        exclude_flagged / exclude_annotators: leave flagged / named annotators out (``annotation.exclusion``).

    Returns: the written files and the agreement summary.
    """
    from rlhf_argilla.annotation.aggregate import aggregate
    from rlhf_argilla.annotation.agreement import agreement_summary
    from rlhf_argilla.annotation.exclusion import exclusion_of
    from rlhf_argilla.annotation.pull_report import write_report
    from rlhf_argilla.annotation.reliability_data import control_answers
    from rlhf_argilla.annotation.reliability_flags import Thresholds, reliability_summary
    from rlhf_argilla.annotation.review_dataset import review_names
    from rlhf_argilla.annotation.review_decisions import DECIDED_BY, apply_review, decisions
    from rlhf_argilla.annotation.suggested import suggestions_frame
    from rlhf_argilla.gateway import ArgillaRest, resolve_target

    out = Path(out_dir)
    with ArgillaRest(resolve_target(settings)) as rest:
        found = rest.require_dataset(dataset, workspace or settings.workspace)
        usernames = rest.usernames(found["workspace_id"])
        suggested: list[tuple] = []
        annotations, records = read_annotations(rest, found["id"], usernames, on_progress, suggested)
        review_dataset, review_space = review_names(
            dataset, workspace or settings.workspace, review_workspace
        )
        reviewed = read_review_annotations(rest, review_dataset, review_space)
    controls, suggestions = control_answers(records), suggestions_frame(suggested)
    ordinary = annotations[~annotations["pair_id"].isin(list(controls))]  # controls: reported apart
    thresholds = Thresholds.from_settings(settings)
    reliability = reliability_summary(annotations, records, controls, suggestions, thresholds)
    summary = AgreementSummary.model_validate({**agreement_summary(ordinary), "reliability": reliability})
    summary.exclusion = exclusion_of(ordinary, summary, exclude_annotators, exclude_flagged)
    kept = annotations[~annotations["annotator"].isin(summary.exclusion.names)]
    aggregated = aggregate(kept, records, method=method, tie_margin=tie_margin)
    decided = decisions(reviewed) if reviewed is not None else decisions(annotations.iloc[0:0])
    aggregated = apply_review(aggregated, decided, kept)
    summary.aggregation = Aggregation(method=method, tie_margin=tie_margin, pairs=int(len(aggregated)))
    summary.decided_by = {name: int((aggregated["decided_by"] == name).sum()) for name in DECIDED_BY}
    out.mkdir(parents=True, exist_ok=True)
    annotations.to_parquet(out / ANNOTATIONS_FILE, index=False)
    aggregated.to_parquet(out / AGGREGATED_FILE, index=False)
    report_files = write_report(out, summary, aggregated, dataset_name=dataset)
    files = (out / ANNOTATIONS_FILE, out / AGGREGATED_FILE, *report_files)
    return PullResult(out, int(len(records)), summary, files)


def read_review_annotations(rest: ArgillaRest, dataset: str, workspace: str) -> pd.DataFrame | None:
    """The tidy table of the review dataset's responses, or ``None`` when there is no review dataset."""
    found = rest.find_dataset(dataset, workspace)
    if found is None:
        return None
    annotations, _records = read_annotations(rest, found["id"], rest.usernames(found["workspace_id"]))
    return annotations
