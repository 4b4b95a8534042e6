"""The one progress protocol every long step reports through: units done so far and the total.

Generation (LLM calls), analysis (bytes read), push (records), simulate (answers), pull (records
read) and build (files written) all take a :class:`Progress`; the CLI turns it into a rich bar
(``cli.common.bar_progress``) and the demo hands its stage row's straight in.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "Tally", "no_progress", "with_total"]


class Progress(Protocol):
    """Called with the units ``done`` so far (never decreasing) and the ``total`` (None while unknown);
    ``note`` names what was just done (e.g. the file written), for the display."""

    def __call__(self, done: int, total: int | None, /, note: str | None = None) -> None: ...


def no_progress(done: int, total: int | None, /, note: str | None = None) -> None:
    """A :class:`Progress` that shows nothing."""


def with_total(progress: Progress | None, total: int | None) -> Progress:
    """``progress`` (nothing when None) with ``total`` filled in where a producer reports None.

    Example:
        >>> seen = []
        >>> with_total(lambda done, total, note=None: seen.append((done, total)), 9)(4, None)
        >>> seen
        [(4, 9)]
    """

    def report(done: int, known: int | None, /, note: str | None = None) -> None:
        if progress is not None:
            progress(done, total if known is None else known, note)

    return report


class Tally:
    """Counts steps into :class:`Progress` calls, for producers that see one step at a time.

    Example:
        >>> seen = []
        >>> tally = Tally(lambda done, total, note=None: seen.append((done, total, note)), total=5)
        >>> tally.add(2); tally.add(3, note="last")
        >>> seen, tally.done
        ([(2, 5, None), (5, 5, 'last')], 5)
    """

    def __init__(self, progress: Progress | None, total: int | None = None) -> None:
        self.progress = progress or no_progress
        self.total = total
        self.done = 0

    def add(self, step: int, note: str | None = None) -> None:
        self.done += step
        self.progress(self.done, self.total, note)
