"""Helpers every command shares: consoles, the settings object, progress bars."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rlhf_argilla.config import Settings, load_settings

__all__ = ["console", "err_console", "get_settings", "progress_bar"]

console = Console()
err_console = Console(stderr=True)


def get_settings(ctx: typer.Context, **overrides: Any) -> Settings:
    """Settings for this invocation; flags given to the command override every other source."""
    root = ctx.find_root()
    root.ensure_object(dict)
    cached = root.obj.get("settings")
    if cached is None or overrides:
        cached = load_settings(**overrides)
        root.obj["settings"] = cached
    return cached


def progress_bar(**kwargs: Any) -> Progress:
    """A rich progress bar on stderr (hidden when stderr is not a terminal)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
        **kwargs,
    )
