"""The pull report: agreement.json, agreement.png and report.md from the agreement summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rlhf_argilla.annotation.reliability_report import reliability_chart, reliability_markdown
from rlhf_argilla.report.charts import bar_chart
from rlhf_argilla.report.markdown import markdown_table
from rlhf_argilla.schema import (
    AGREEMENT_CHART_FILE,
    AGREEMENT_FILE,
    PREFERENCE_LABELS,
    PULL_REPORT_FILE,
    write_text_atomic,
)

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.schema.agreement import AgreementSummary

__all__ = ["render_markdown", "write_report"]


def _num(value: float | None, digits: int = 3) -> str | None:
    return None if value is None else f"{value:.{digits}f}"


def render_markdown(summary: AgreementSummary, aggregated: pd.DataFrame, dataset_name: str) -> str:
    """The human-readable pull report.

    Args:
        summary: agreement.json's content (``schema.AgreementSummary``).
        aggregated: the aggregated table (for the preference split and mean agreement).
        dataset_name: shown in the title.

    Returns:
        Markdown text.
    """
    counts, simulated = summary.counts, summary.simulated
    parts = [
        f"# Annotations pulled from `{dataset_name}`",
        f"{summary.records} records with responses, {summary.annotators} annotators, "
        f"{summary.responses} responses; {summary.preferences} submitted overall preferences.",
    ]
    if simulated:
        parts.append(
            "> **Simulated annotators** (demo/test data, not human judgements): " + ", ".join(simulated)
        )
    parts += [
        "## Responses by status",
        markdown_table(["status", "responses"], [[status, n] for status, n in counts.items()]),
        f"**Tie rate** (submitted overall preferences ranked equal): {_num(summary.tie_rate)}",
        "## Krippendorff's alpha",
        "Overall preference is nominal (1 / 2 / tie); criteria are ordinal 1–5 ratings per response. "
        "— means undefined (no unit judged twice, or one value only).",
        markdown_table(
            ["question", "level", "alpha"],
            [
                [name, "nominal" if name == "overall" else "ordinal", _num(value)]
                for name, value in summary.alpha.items()
            ],
        ),
        f"![alpha per question]({AGREEMENT_CHART_FILE})",
        "## Pairwise Cohen's kappa (overall preference)",
        markdown_table(
            ["annotators", "shared pairs", "kappa"],
            [[" / ".join(row.annotators), row.n, _num(row.kappa)] for row in summary.kappa],
        )
        if summary.kappa
        else "Fewer than two annotators: no pairs to compare.\n",
        "## Per annotator",
        markdown_table(
            [
                "annotator",
                "submitted",
                "draft",
                "discarded",
                "tie rate",
                "mean rating",
                "agrees with majority",
            ],
            [
                [
                    row.annotator,
                    row.submitted,
                    row.draft,
                    row.discarded,
                    _num(row.tie_rate),
                    _num(row.mean_rating, 2),
                    _num(row.agrees_with_majority),
                ]
                for row in summary.per_annotator
            ],
        ),
    ]
    parts += reliability_markdown(summary.reliability)
    method = summary.aggregation.method if summary.aggregation else "majority"
    if len(aggregated):
        split = aggregated["preferred"].value_counts()
        parts += [
            f"## Aggregated judgements ({method})",
            markdown_table(
                ["preferred", "pairs"], [[label, int(split.get(label, 0))] for label in PREFERENCE_LABELS]
            ),
            f"Mean agreement with the aggregated preference: {_num(float(aggregated['agreement'].mean()))}; "
            f"mean |margin|: {_num(float(aggregated['margin'].abs().mean()))}.",
        ]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def write_report(
    out_dir: Path, summary: AgreementSummary, aggregated: pd.DataFrame, dataset_name: str
) -> tuple[Path, ...]:
    """Write agreement.json, agreement.png, report.md (and reliability.png with reliability figures).

    Returns:
        The paths, in that order.
    """
    json_path = out_dir / AGREEMENT_FILE
    write_text_atomic(json_path, summary.to_json(), encoding="utf-8")
    alpha = summary.alpha
    labels = [name if value is not None else f"{name} (undefined)" for name, value in alpha.items()]
    chart = bar_chart(
        labels,
        [value or 0.0 for value in alpha.values()],
        out_dir / AGREEMENT_CHART_FILE,
        title=f"Krippendorff's alpha, {dataset_name}",
        xlabel="alpha (1 = perfect agreement)",
        value_format="{:.2f}",
    )
    report = out_dir / PULL_REPORT_FILE
    report.write_text(render_markdown(summary, aggregated, dataset_name), encoding="utf-8")
    if summary.reliability:
        return json_path, chart, report, reliability_chart(summary.reliability, out_dir, dataset_name)
    return json_path, chart, report
