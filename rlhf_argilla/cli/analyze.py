"""``rlhf-argilla analyze``: how well HH-RLHF covers the fitness taxonomy, and where it is thin."""

from __future__ import annotations

from pathlib import Path

import typer

from rlhf_argilla.cli.common import bar_progress, console, progress_bar


def analyze(
    data: list[str] | None = typer.Option(
        None,
        "--data",
        "-d",
        metavar="PATH",
        help="*.jsonl.gz files, folders of them, or a Hub dataset id (repeatable). "
        "Default: Anthropic/hh-rlhf from the Hub.",
    ),
    out: Path = typer.Option(
        Path("out/analysis"),
        "--out",
        "-o",
        metavar="DIR",
        help="Folder for report.md, gaps.json, coverage.png.",
    ),
    labels: Path | None = typer.Option(
        None, "--labels", metavar="FILE", help="Also write one row per conversation (.csv or .jsonl)."
    ),
    evaluate: Path | None = typer.Option(
        None,
        "--evaluate",
        metavar="FILE",
        help="Hand-labelled set (JSON Lines): also score the classifier on its turns that are not "
        "in the packaged training labels (the report's headline stays the recorded out-of-sample figure).",
    ),
    split: str = typer.Option("train", "--split", help="Split to stream when reading from the Hub."),
) -> None:
    """Classify each conversation's first human turn into the fitness taxonomy and report coverage.

    Malformed lines are counted and reported, never fatal. Reruns overwrite the same files.

    Example: rlhf-argilla analyze --data ../shared/data/hh-rlhf-sample --out out/analysis
    --labels out/analysis/labels.csv --evaluate my_labels.jsonl
    """
    from rlhf_argilla.analysis.run import run_analysis, total_input_bytes
    from rlhf_argilla.outputs import guard, record
    from rlhf_argilla.schema import ANALYSIS_REPORT_FILE, COVERAGE_CHART_FILE, GAPS_FILE

    written = [ANALYSIS_REPORT_FILE, GAPS_FILE, COVERAGE_CHART_FILE]
    guard(out, written)
    with progress_bar() as bar:
        task = bar.add_task("Reading HH-RLHF (bytes)", total=total_input_bytes(data or []))
        outcome = run_analysis(
            data or [],
            out,
            labels=labels,
            labelled_set=evaluate,
            split=split,
            progress=bar_progress(bar, task),
        )
    record(out, written)
    coverage, evaluation = outcome.coverage, outcome.evaluation
    console.print(
        f"{coverage.conversations:,} conversations, {coverage.fitness:,} about fitness "
        f"({coverage.fitness_share:.2%}); {coverage.malformed_total:,} malformed lines skipped"
    )
    from rlhf_argilla.analysis.evaluate import load_recorded
    from rlhf_argilla.analysis.report import headline

    console.print(f"classifier: {headline(load_recorded())}")
    if evaluation is not None:
        console.print(
            f"on --evaluate's {evaluation.positives + evaluation.negatives} turns not trained on: "
            f"precision {evaluation.precision or 0:.3f}, recall {evaluation.recall or 0:.3f}"
        )
    for path in outcome.files.values():
        console.print(f"wrote {path}")
