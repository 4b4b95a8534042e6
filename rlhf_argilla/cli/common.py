"""Helpers every command shares: consoles, the settings object, progress bars."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from rlhf_argilla.config import Settings, load_settings

if TYPE_CHECKING:
    from rlhf_argilla.schema import progress

__all__ = ["console", "err_console", "get_settings", "progress_bar", "bar_progress"]

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


class _RevealedProgress(Progress):
    """A rich bar whose rows stay hidden until their first update, so that a command failing before
    any work draws no empty ``0/?`` row above its error line (pass ``visible=True`` to show a row
    at once)."""

    def add_task(self, description: str, visible: bool = False, **kwargs: Any) -> TaskID:  # type: ignore[override]
        return super().add_task(description, visible=visible, **kwargs)

    def update(self, task_id: TaskID, *args: Any, visible: bool | None = None, **kwargs: Any) -> None:
        super().update(task_id, *args, visible=True if visible is None else visible, **kwargs)


def progress_bar(**kwargs: Any) -> Progress:
    """A rich progress bar on stderr (hidden when stderr is not a terminal); a row appears with its
    first update."""
    return _RevealedProgress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
        **kwargs,
    )


def bar_progress(
    bar: Progress, task: TaskID, describe: Callable[[str], str] | None = None
) -> progress.Progress:
    """The :class:`~rlhf_argilla.schema.progress.Progress` that moves ``task`` of ``bar``: completed =
    done, total when known; with ``describe``, a step's note becomes the task's description."""

    def update(done: int, total: int | None, /, note: str | None = None) -> None:
        description = describe(note) if describe is not None and note is not None else None
        bar.update(task, completed=done, total=total, description=description)

    return update
