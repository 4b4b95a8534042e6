"""PNG charts with matplotlib's Agg backend (no display needed), shared by every stage."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["bar_chart"]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    path: str | Path,
    *,
    title: str = "",
    xlabel: str = "",
    highlight: Sequence[str] = (),
    highlight_label: str = "highlighted",
    horizontal: bool = True,
    value_format: str = "{:g}",
    dpi: int = 120,
) -> Path:
    """Write a bar chart to a PNG file.

    Args:
        labels: one label per bar, drawn in the given order (top to bottom when horizontal).
        values: bar lengths, as many as ``labels``.
        path: the PNG to write; parent folders are created.
        title: chart title.
        xlabel: axis label for the values.
        highlight: labels whose bars get a contrasting colour (e.g. under-covered subtopics).
        highlight_label: legend text for highlighted bars (no legend when nothing is highlighted).
        horizontal: horizontal bars (readable with long labels) or vertical ones.
        value_format: format of the number printed at the end of each bar.
        dpi: resolution of the PNG.

    Returns:
        The path of the written PNG.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    marked = set(highlight)
    colours = ["#d62728" if label in marked else "#1f77b4" for label in labels]
    size = (8, max(2.5, 0.38 * len(labels) + 1.2)) if horizontal else (max(4, 0.6 * len(labels) + 2), 5)
    figure = Figure(figsize=size)  # not pyplot: no global state, nothing left open
    axes = figure.subplots()
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, values, color=colours)
        axes.set_yticks(positions, labels)
        axes.set_xlabel(xlabel)
    else:
        positions = list(range(len(labels)))
        bars = axes.bar(positions, values, color=colours)
        axes.set_xticks(positions, labels, rotation=45, ha="right")
        axes.set_ylabel(xlabel)
    axes.bar_label(bars, labels=[value_format.format(value) for value in values], padding=2, fontsize=8)
    axes.margins(x=0.12) if horizontal else axes.margins(y=0.12)
    if title:
        axes.set_title(title)
    if marked & set(labels):
        axes.legend(handles=[Patch(color="#d62728", label=highlight_label)], loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=dpi, format="png")
    return path
