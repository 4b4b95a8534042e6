"""``rlhf-argilla pull``: every response (drafts and discarded too) -> tidy tables, agreement, report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer

from rlhf_argilla.cli.common import bar_progress, console, get_settings, progress_bar

if TYPE_CHECKING:
    from rlhf_argilla.annotation.aggregate import Method


def pull(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", "-d", help="Argilla dataset to pull."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the tables and the report."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Workspace (default: settings)."),
    method: str = typer.Option(
        "majority",
        "--method",
        "-m",
        help="Aggregation: majority (ranking votes), mean (mean of criteria) or dawid-skene (competence-weighted).",
    ),
    tie_margin: float = typer.Option(
        0.0, "--tie-margin", min=0, help="With --method mean: |margin| up to this is a tie."
    ),
    review_workspace: str | None = typer.Option(
        None, "--review-workspace", help="Where `review` put NAME-review (default: WORKSPACE-review)."
    ),
    exclude_flagged: bool = typer.Option(
        False, "--exclude-flagged", help="Leave annotators the reliability report flags out of aggregation."
    ),
    exclude_annotator: list[str] = typer.Option(
        [], "--exclude-annotator", help="Leave this annotator out of aggregation (repeatable)."
    ),
    pairs: Path | None = typer.Option(
        None,
        "--pairs",
        help="The pushed pairs.jsonl (or folder): also write the judge report (judge-report).",
    ),
) -> None:
    """Pull every response (drafts and discarded too), aggregate, report agreement.

    Writes annotations.parquet, aggregated.parquet, agreement.json, report.md
    and agreement.png. Ranks are read from the REST API so ties survive; the
    A/B display order is undone.

    Example: rlhf-argilla pull --dataset fitness-prefs --out out/pull --method mean --tie-margin 0.2

    Example: rlhf-argilla pull -d fitness-prefs -o out/pull --method dawid-skene --exclude-flagged
    """
    from rlhf_argilla.annotation.aggregate import METHODS
    from rlhf_argilla.annotation.pull import pull as run
    from rlhf_argilla.annotation.settings import OVERALL

    if method not in METHODS:
        raise typer.BadParameter(f"use one of {', '.join(METHODS)}", param_hint="--method")
    from rlhf_argilla.outputs import guard, record
    from rlhf_argilla.schema import (
        AGGREGATED_FILE,
        AGREEMENT_CHART_FILE,
        AGREEMENT_FILE,
        ANNOTATIONS_FILE,
        PULL_REPORT_FILE,
        RELIABILITY_CHART_FILE,
    )

    written = [
        ANNOTATIONS_FILE,
        AGGREGATED_FILE,
        AGREEMENT_FILE,
        PULL_REPORT_FILE,
        AGREEMENT_CHART_FILE,
        RELIABILITY_CHART_FILE,
    ]
    if pairs is not None:
        from rlhf_argilla.annotation.judge_report_io import JUDGE_REPORT_FILES

        written += list(JUDGE_REPORT_FILES)
    guard(out, written)
    settings = get_settings(ctx, workspace=workspace)
    with progress_bar() as bar:
        task = bar.add_task("Reading records", total=None)
        result = run(
            settings,
            dataset,
            out,
            method=cast("Method", method),
            tie_margin=tie_margin,
            review_workspace=review_workspace,
            exclude_flagged=exclude_flagged,
            exclude_annotators=tuple(exclude_annotator),
            on_progress=bar_progress(bar, task),
        )
    record(out, [path.name for path in result.files])
    if pairs is not None:
        from rlhf_argilla.annotation.judge_report_io import judge_report_run
        from rlhf_argilla.cli.judge_report import summary_line

        report, judge_files = judge_report_run(settings, dataset, pairs, out, workspace=workspace)
        record(out, [path.name for path in judge_files])
        console.print(f"judge: {summary_line(report)}")
    summary = result.summary
    alpha = summary.alpha[OVERALL]
    counts = ", ".join(f"{n} {status}" for status, n in summary.counts.items())
    console.print(f"{result.records} records, responses: {counts}")
    console.print(f"tie rate {summary.tie_rate}, alpha(overall) {'undefined' if alpha is None else alpha}")
    for item in summary.exclusion.excluded if summary.exclusion else []:
        console.print(f"excluded {item.annotator}: {item.reason}")
    if reviewed := (summary.decided_by or {}).get("review"):
        console.print(f"{reviewed} pairs decided by a reviewer (decided_by = review)")
    console.print(f"Wrote {', '.join(path.name for path in result.files)} to {result.out_dir}")
