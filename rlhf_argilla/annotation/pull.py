"""Pull every record with every user's response (drafts and discarded included) into tidy tables.

Reads over the REST API, because the SDK drops ranking ranks on read and ties would be lost.
Records stream in pages (``pull_read``); each response becomes one row per answered question, with
the A/B display shuffle undone (``tidy_rows``); the analysis and the files are ``pull_write``.

Writes ``annotations.parquet``, ``aggregated.parquet``, ``agreement.json`` (with per-annotator
reliability, ``annotation.reliability``), ``report.md``, ``agreement.png`` and ``reliability.png``
into the output folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rlhf_argilla.annotation.tidy_rows import annotations_frame, record_row, response_rows  # re-exported
from rlhf_argilla.config import Settings
from rlhf_argilla.schema.agreement import AgreementSummary
from rlhf_argilla.schema.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.aggregate import Method
    from rlhf_argilla.gateway import ArgillaRest

__all__ = ["PullResult", "response_rows", "record_row", "annotations_frame", "pull"]


@dataclass(frozen=True)
class PullResult:
    """What a pull wrote and the headline figures."""

    out_dir: Path
    records: int
    summary: AgreementSummary
    files: tuple[Path, ...]


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
    from rlhf_argilla.annotation.pull_read import read_judged
    from rlhf_argilla.annotation.pull_write import write_pull
    from rlhf_argilla.annotation.reliability_flags import Thresholds
    from rlhf_argilla.annotation.review_dataset import review_names
    from rlhf_argilla.annotation.text_spool import TextSpool
    from rlhf_argilla.gateway import ArgillaRest, resolve_target

    with ArgillaRest(resolve_target(settings)) as rest, tempfile.TemporaryDirectory(prefix="pull-") as tmp:
        found = rest.require_dataset(dataset, workspace or settings.workspace)
        usernames = rest.usernames(found["workspace_id"])
        spool, tidy_file = TextSpool(Path(tmp)), Path(tmp) / "annotations.parquet"
        tables = read_judged(rest, found["id"], usernames, tidy_file, spool, on_progress)
        spool.close()
        review_dataset, review_space = review_names(
            dataset, workspace or settings.workspace, review_workspace
        )
        reviewed = read_review_annotations(rest, review_dataset, review_space)
        summary, files, records = write_pull(
            Path(out_dir),
            tables,
            tidy_file,
            spool,
            reviewed,
            Thresholds.from_settings(settings),
            dataset_name=dataset,
            method=method,
            tie_margin=tie_margin,
            exclude_flagged=exclude_flagged,
            exclude_annotators=exclude_annotators,
        )
    return PullResult(Path(out_dir), records, summary, files)


def read_review_annotations(rest: ArgillaRest, dataset: str, workspace: str) -> pd.DataFrame | None:
    """The tidy table of the review dataset's responses, or ``None`` when there is no review dataset."""
    found = rest.find_dataset(dataset, workspace)
    if found is None:
        return None
    from rlhf_argilla.annotation.pull_read import read_annotations

    return read_annotations(rest, found["id"], rest.usernames(found["workspace_id"]))[0]
