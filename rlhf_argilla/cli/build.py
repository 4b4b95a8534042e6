"""``rlhf-argilla build``: pulled annotations -> TRL-ready configs, leak-free splits and a dataset card."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer
from rich.table import Table

from rlhf_argilla.cli.common import bar_progress, console, err_console, get_settings, progress_bar

if TYPE_CHECKING:
    from rlhf_argilla.dataset.build import TiesPolicy


def build(
    ctx: typer.Context,
    pull_dir: Path = typer.Argument(
        ..., help="Folder written by `rlhf-argilla pull` (aggregated.parquet …)."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Build folder (a previous build there is replaced)."),
    ties: str = typer.Option(
        "exclude", "--ties", help="exclude: drop tied pairs; keep: add a `ties` config."
    ),
    split: str = typer.Option("80,10,10", "--split", help="train,validation,test shares; 0 drops a split."),
    seed: int = typer.Option(42, "--seed", help="Split seed: same input + seed gives byte-identical files."),
) -> None:
    """Build the default / conversational / hh / kto configs (parquet) and README.md card.

    Splits are grouped by prompt (no prompt in two splits) and stratified by subtopic.

    Example: rlhf-argilla build out/pull --out out/dataset --ties keep --split 80,10,10 --seed 42
    """
    from rlhf_argilla.dataset.build import build as run_build
    from rlhf_argilla.dataset.splits import SplitRatios
    from rlhf_argilla.errors import BuildError

    get_settings(ctx)
    if ties not in ("exclude", "keep"):
        raise BuildError(f"invalid --ties {ties!r}: use exclude or keep")
    try:
        ratios = SplitRatios.parse(split)
    except BuildError as error:  # the library names the value; the CLI user needs the flag
        raise BuildError(f"--split: {error}") from None
    with progress_bar() as bar:
        task = bar.add_task("Writing splits", total=None)
        result = run_build(
            pull_dir,
            out,
            ties=cast("TiesPolicy", ties),
            ratios=ratios,
            seed=seed,
            on_progress=bar_progress(bar, task, describe=lambda name: f"Wrote {name}"),
        )
    for warning in result.warnings:
        err_console.print(f"[yellow]Warning:[/] {warning}", highlight=False, soft_wrap=True)
    splits = list(result.counts["default"])
    table = Table("config", *splits)
    for config, counts in result.counts.items():
        table.add_row(config, *(str(counts.get(name, 0)) for name in splits))
    console.print(table)
    if result.kinds:
        from rlhf_argilla.dataset.kind_card import kind_line

        console.print(kind_line(result.kinds), highlight=False)
    console.print(f"Built [bold]{result.out}[/] (card: {result.out / 'README.md'})")
