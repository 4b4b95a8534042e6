"""``rlhf-argilla publish``: push a built dataset and its card to a Hugging Face Hub dataset repo."""

from __future__ import annotations

from pathlib import Path

import typer

from rlhf_argilla.cli.common import console, err_console, get_settings


def publish(
    ctx: typer.Context,
    built: Path = typer.Argument(..., help="Folder written by `rlhf-argilla build`."),
    repo_id: str = typer.Option(..., "--repo-id", help="Hub dataset repo, OWNER/NAME."),
    private: bool = typer.Option(False, "--private", help="Create the repo as private."),
    message: str | None = typer.Option(None, "--message", "-m", help="Commit message."),
    dry_run: Path | None = typer.Option(
        None, "--dry-run", help="Write the exact upload into this folder instead."
    ),
) -> None:
    """Upload the parquet configs, chart and README card in one commit (token: HF_TOKEN or `hf auth login`).

    Example: rlhf-argilla publish out/dataset --repo-id alice/fitness-preferences --private
    """
    from rlhf_argilla.publish import hub

    settings = get_settings(ctx)
    if dry_run is not None:
        files = hub.dry_run(built, dry_run, repo_id)
        size = sum((dry_run / name).stat().st_size for name in files)
        console.print(
            f"Dry run: {len(files)} files ({size / 1024:.0f} KiB) that would go to "
            f"[bold]{repo_id}[/] are in [bold]{dry_run}[/]"
        )
        return
    with err_console.status(f"Publishing to {repo_id}…"):
        result = hub.publish(built, repo_id, settings, private=private, commit_message=message)
    console.print(f"Published {len(result.files)} files to [bold]{result.repo_url}[/]")
    console.print(f"Commit: {result.commit_url}")
