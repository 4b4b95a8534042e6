"""``rlhf-argilla push``: pairs.jsonl -> an Argilla dataset for preference annotation."""

from __future__ import annotations

from pathlib import Path

import typer

from rlhf_argilla.cli.common import console, get_settings, progress_bar


def push(
    ctx: typer.Context,
    pairs: Path = typer.Argument(
        ..., help="Folder holding pairs.jsonl (from `generate pairs`), or the file."
    ),
    dataset: str = typer.Option(..., "--dataset", "-d", help="Argilla dataset name (created if missing)."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Workspace (default: settings)."),
    annotators_per_record: int | None = typer.Option(
        None,
        "--annotators-per-record",
        min=1,
        max=25,
        help="Submitted responses per record (default 2; kept on re-push).",
    ),
    batch_size: int = typer.Option(500, "--batch-size", min=1, max=500, help="Records per request."),
    blind_share: float = typer.Option(
        0.2,
        "--blind-share",
        min=0.0,
        max=1.0,
        help="Share of records pushed without judge suggestions (the blind calibration slice of "
        "`judge-report`); seeded, and records already pushed keep their assignment.",
    ),
    suggestions: str = typer.Option(
        "judge",
        "--suggestions",
        help="judge: pre-fill the judge's ratings as suggestions; none: no suggestions.",
    ),
    seed: int = typer.Option(
        0, "--seed", help="Seed of the blind and control draws (same seed, same blind records and controls)."
    ),
    controls: str = typer.Option(
        "5%",
        "--controls",
        help="Control items with a known right answer (hidden metadata, reported by `pull`, never built): "
        "a count (0: none) or a share of the pairs (at least 3).",
    ),
) -> None:
    """Create or update the annotation dataset: ranking + per-criterion ratings, judge suggestions.

    Re-running is safe: unchanged pairs are skipped, changed ones updated, none duplicated.

    Example: rlhf-argilla push out/pairs --dataset fitness-prefs --annotators-per-record 3 --controls 5%
    """
    from rlhf_argilla.annotation.blind import SUGGESTION_MODES, BlindPlan
    from rlhf_argilla.annotation.controls import ControlPlan
    from rlhf_argilla.annotation.pairs_file import check_name, pairs_path
    from rlhf_argilla.annotation.push import push_file
    from rlhf_argilla.gateway import connect

    if suggestions not in SUGGESTION_MODES:
        raise typer.BadParameter(f"use one of: {', '.join(SUGGESTION_MODES)}", param_hint="--suggestions")
    blind = BlindPlan(share=blind_share, seed=seed, suggestions=suggestions)  # type: ignore[arg-type]
    try:
        control_plan = ControlPlan.parse(controls, seed=seed)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--controls") from None

    settings = get_settings(ctx, workspace=workspace)
    check_name("dataset", dataset)
    check_name("workspace", settings.workspace)
    file = pairs_path(pairs)
    client = connect(settings)
    with progress_bar() as bar:
        task = bar.add_task("Validating pairs", total=None)
        report = push_file(
            client,
            file,
            dataset=dataset,
            workspace=settings.workspace,
            annotators_per_record=annotators_per_record,
            batch_size=batch_size,
            blind=blind,
            controls=control_plan,
            on_progress=lambda done, total, note=None: bar.update(
                task, description="Pushing", completed=done, total=total
            ),
        )
    console.print(
        f"{report.workspace}/{report.dataset}: [bold]{report.created}[/] created, "
        f"[bold]{report.updated}[/] updated, [bold]{report.unchanged}[/] unchanged "
        f"({report.controls} of them control items)",
        soft_wrap=True,
    )
