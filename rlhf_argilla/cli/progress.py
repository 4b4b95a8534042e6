"""``rlhf-argilla progress``: per-annotator and per-record completion of an annotation dataset."""

from __future__ import annotations

import typer
from rich.table import Table

from rlhf_argilla.cli.common import console, err_console, get_settings


def progress(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", "-d", help="Argilla dataset name."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Workspace (default: settings)."),
    show_records: int = typer.Option(10, "--records", "-n", min=0, help="Pending records to list (0: none)."),
) -> None:
    """Show how far annotation is: records completed, responses per annotator by status.

    Example: rlhf-argilla progress --dataset fitness-prefs --records 20
    """
    from rlhf_argilla.annotation.progress import fetch_progress
    from rlhf_argilla.gateway import connect, resolve_target

    settings = get_settings(ctx, workspace=workspace)
    with err_console.status("Reading records and responses…"):
        state = fetch_progress(connect(settings), resolve_target(settings), dataset, settings.workspace)
    share = state.completed / state.total if state.total else 0.0
    console.print(
        f"{state.workspace}/{state.dataset}: [bold]{state.completed}/{state.total}[/] records completed "
        f"({share:.0%}), {state.min_submitted} submitted responses needed per record",
        soft_wrap=True,
    )
    histogram = ", ".join(f"{n} submitted: {count}" for n, count in state.submitted_histogram().items())
    console.print(f"Records by submitted responses: {histogram}", soft_wrap=True)
    annotators = Table(
        "annotator", "submitted", "draft", "discarded", "share of records", title="Per annotator"
    )
    for row in state.annotators:
        annotators.add_row(
            row.username,
            str(row.submitted),
            str(row.draft),
            str(row.discarded),
            f"{row.touched / state.total:.0%}" if state.total else "—",
        )
    console.print(annotators)
    pending = [record for record in state.records if record.status != "completed"][:show_records]
    if pending:
        records = Table(
            "pair_id", "submitted", "draft", "discarded", title=f"First {len(pending)} pending records"
        )
        for record in pending:
            records.add_row(
                record.pair_id,
                f"{record.submitted}/{state.min_submitted}",
                str(record.draft),
                str(record.discarded),
            )
        console.print(records)
