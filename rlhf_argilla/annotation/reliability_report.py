"""The annotator-reliability part of the pull report: markdown tables and reliability.png."""

from __future__ import annotations

from pathlib import Path

from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.report.charts import bar_chart
from rlhf_argilla.report.markdown import markdown_table
from rlhf_argilla.schema import RELIABILITY_CHART_FILE
from rlhf_argilla.schema.agreement import Reliability

__all__ = ["reliability_markdown", "reliability_chart"]


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def reliability_markdown(reliability: Reliability | None) -> list[str]:
    """Markdown parts of the "Annotator reliability" section (empty without reliability figures).

    Example:
        >>> row = {"annotator": "sim-annotator-1", "simulated": True, "submitted": 9, "draft": 1, "discarded": 0,
        ...        "controls": 3, "control_accuracy": 1.0, "control_safety_accuracy": 0.67, "consensus_agreement": 0.8,
        ...        "consensus_by_criterion": {}, "competence": 0.9, "weight": 0.8, "straight_lining": 0.0,
        ...        "suggestion_acceptance": None, "a_win_share": 0.5, "a_win_base_rate": 0.48,
        ...        "position_bias": 0.02, "seconds_per_record": None, "flags": ["x < y"]}
        >>> text = "\\n".join(reliability_markdown(Reliability.model_validate({"per_annotator": [row],
        ...     "flagged": ["sim-annotator-1"], "control_records": 3, "model": "DS", "iterations": 5,
        ...     "thresholds": {"min_competence": 0.5}})))
        >>> "| sim-annotator-1 (simulated) | 9 / 1 / 0 | 3 | 1.00 | 0.67 |" in text and "**flagged**: x < y" in text
        True
    """
    if not reliability:
        return []
    rows = reliability.per_annotator
    parts = [
        "## Annotator reliability",
        f"{reliability.control_records} control records (known answer, hidden metadata); competence from "
        f"{reliability.model}; weight = competence above chance (0–1), used by `--method dawid-skene`.",
        markdown_table(
            [
                "annotator",
                "sub / draft / disc",
                "controls",
                "control acc.",
                "Safety dir. acc.",
                "consensus",
                "competence",
                "weight",
                "straight-lining",
                "keeps suggestions",
                "A wins (base)",
                "s / record",
            ],
            [
                [
                    row.annotator + (" (simulated)" if row.simulated else ""),
                    f"{row.submitted} / {row.draft} / {row.discarded}",
                    row.controls,
                    _num(row.control_accuracy),
                    _num(row.control_safety_accuracy),
                    _num(row.consensus_agreement),
                    _num(row.competence),
                    _num(row.weight),
                    _num(row.straight_lining),
                    _num(row.suggestion_acceptance),
                    f"{_num(row.a_win_share)} ({_num(row.a_win_base_rate)})",
                    _num(row.seconds_per_record, 1),
                ]
                for row in rows
            ],
        ),
        "Agreement with the leave-one-out consensus per criterion (direction of the two ratings):",
        markdown_table(
            ["annotator", *CRITERION_IDS],
            [
                [row.annotator, *(_num(row.consensus_by_criterion.get(c)) for c in CRITERION_IDS)]
                for row in rows
            ],
        ),
        "Flag rules: " + ", ".join(f"{name} {value}" for name, value in reliability.thresholds.items()) + ".",
    ]
    flagged = [f"- `{row.annotator}` **flagged**: {'; '.join(row.flags)}" for row in rows if row.flags]
    parts.append("\n".join(flagged) if flagged else "No annotator is flagged.")
    return parts


def reliability_chart(reliability: Reliability, out_dir: Path, dataset_name: str) -> Path:
    """reliability.png: Dawid–Skene competence per annotator, flagged annotators highlighted."""
    rows = reliability.per_annotator
    return bar_chart(
        [row.annotator for row in rows],
        [row.competence or 0.0 for row in rows],
        out_dir / RELIABILITY_CHART_FILE,
        title=f"Annotator competence (Dawid-Skene), {dataset_name}",
        xlabel="probability of giving the true overall label",
        highlight=reliability.flagged,
        highlight_label="flagged",
        value_format="{:.2f}",
    )
