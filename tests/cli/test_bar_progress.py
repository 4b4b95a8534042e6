"""The CLI's rich bar is one implementation of the progress protocol (``schema.progress``)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from rlhf_argilla.cli.common import bar_progress


def test_bar_progress_moves_the_task_keeps_a_known_total_and_shows_notes():
    bar = Progress(console=Console(file=io.StringIO()))
    task = bar.add_task("Writing", total=None)
    plain, described = bar_progress(bar, task), bar_progress(bar, task, describe=lambda name: f"Wrote {name}")

    plain(2, 8)
    assert (bar.tasks[0].completed, bar.tasks[0].total, bar.tasks[0].description) == (2, 8, "Writing")
    plain(3, None)  # a producer that does not know the total leaves the bar's own
    assert (bar.tasks[0].completed, bar.tasks[0].total) == (3, 8)
    described(4, 8, note="default/train.parquet")
    assert bar.tasks[0].description == "Wrote default/train.parquet"


def test_a_row_of_the_cli_bar_appears_with_its_first_update_not_before():
    # a command that fails before any work must not leave an empty `0/?` row above its error line
    from rlhf_argilla.cli.common import progress_bar

    bar = progress_bar()
    waiting = bar.add_task("Reading records", total=None)
    bar.add_task("Stage", visible=True)
    assert [task.visible for task in bar.tasks] == [False, True]
    bar_progress(bar, waiting)(0, 5)
    assert bar.tasks[0].visible and bar.tasks[0].total == 5
