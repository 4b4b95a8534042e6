"""``rlhf-argilla judge-report``: judge vs humans on the blind slice, anchoring, margin reliability."""

from __future__ import annotations

from pathlib import Path

import typer

from rlhf_argilla.cli.common import console, get_settings


def judge_report(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", "-d", help="Argilla dataset pushed by `push`."),
    pairs: Path = typer.Option(
        ..., "--pairs", "-p", help="The pushed pairs.jsonl (or its folder): judge scores."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for judge_report.{json,md,png}."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Workspace (default: settings)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap intervals."),
) -> None:
    """How far the AI judge can be trusted, per criterion, measured on blind records only.

    Quadratic κ, Krippendorff's α (judge as one more rater), exact/±1
    agreement and MAE per criterion; overall-preference agreement with a
    Wilson interval and the judge margin from which it reaches 90 %; the
    anchoring effect (suggested vs blind records).

    Example: rlhf-argilla judge-report --dataset fitness-prefs --pairs out/pairs --out out/pull
    """
    from rlhf_argilla.annotation.judge_report_io import JUDGE_REPORT_FILES, judge_report_run
    from rlhf_argilla.outputs import guard, record

    guard(out, list(JUDGE_REPORT_FILES))
    settings = get_settings(ctx, workspace=workspace)
    report, files = judge_report_run(settings, dataset, pairs, out, workspace=workspace, seed=seed)
    record(out, [path.name for path in files])
    console.print(summary_line(report))
    console.print(f"Wrote {', '.join(path.name for path in files)} to {out}")


def summary_line(report: dict) -> str:
    """One line: blind records, κ per criterion, anchoring effect."""
    kappas = ", ".join(
        f"{name} {c['kappa_quadratic']:.2f}"
        for name, c in report["criteria"].items()
        if "kappa_quadratic" in c
    )
    effect = report["anchoring"].get("effect")
    anchoring = (
        "n/a" if effect is None else f"{effect:+.3f} (acceptance {report['anchoring']['acceptance']:.3f})"
    )
    return f"{report['blind_records']} blind records; κ {kappas or 'n/a'}; anchoring {anchoring}"
