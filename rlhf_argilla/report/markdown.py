"""Markdown helpers: tables and number formatting for the reports every stage writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

__all__ = ["markdown_table", "escape_cell", "format_share"]

Align = Literal["left", "right", "center"]
_RULES: dict[str, str] = {"left": "---", "right": "---:", "center": ":---:"}


def escape_cell(value: object) -> str:
    """One table cell: ``None`` as an em dash, pipes escaped, newlines flattened.

    Args:
        value: anything; floats are shown as given, so format them before if needed.

    Returns:
        Text that is safe inside a markdown table cell.

    Example:
        >>> escape_cell("a|b\\nc")
        'a\\\\|b c'
        >>> escape_cell(None)
        '—'
    """
    if value is None:
        return "—"
    text = str(value)
    return " ".join(text.replace("|", "\\|").split())


def markdown_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    align: Sequence[Align] | None = None,
) -> str:
    """Render a GitHub-flavoured markdown table.

    Args:
        headers: column titles.
        rows: one sequence per row, as long as ``headers``.
        align: per-column alignment; default: left for the first column, right for the others.

    Returns:
        The table as text, one line per row, ending with a newline.

    Example:
        >>> print(markdown_table(["name", "n"], [["a", 1], ["b", 22]]), end="")
        | name | n |
        |---|---:|
        | a | 1 |
        | b | 22 |
    """
    width = len(headers)
    if align is None:
        right: list[Align] = ["right"] * (width - 1)
        align = ["left", *right]
    if len(align) != width:
        raise ValueError(f"align has {len(align)} entries for {width} columns")
    lines = [
        "| " + " | ".join(escape_cell(header) for header in headers) + " |",
        "|" + "|".join(_RULES[side] for side in align) + "|",
    ]
    for number, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"row {number} has {len(row)} cells for {width} columns")
        lines.append("| " + " | ".join(escape_cell(cell) for cell in row) + " |")
    return "\n".join(lines) + "\n"


def format_share(share: float | None, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage string (``None`` as an em dash).

    Example:
        >>> format_share(0.01234, digits=2)
        '1.23 %'
    """
    if share is None:
        return "—"
    return f"{share * 100:.{digits}f} %"
