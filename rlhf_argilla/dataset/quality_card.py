"""Pure: the card's "Label quality" section from agreement.json: method, exclusions, alpha before/after."""

from __future__ import annotations

from typing import Any

from rlhf_argilla.schema.agreement import AgreementSummary

__all__ = ["quality_section"]


def _num(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}"


def quality_section(agreement: AgreementSummary | None, controls: dict[str, Any] | None = None) -> list[str]:
    """Markdown lines (empty without an agreement.json that has reliability figures), then the
    control items' section (``dataset.control_card``).

    Example:
        >>> agreement = AgreementSummary.model_validate({"counts": {}, "records": 9, "annotators": 4,
        ...     "tie_rate": None, "alpha": {"overall": 0.1}, "kappa": [], "per_annotator": [],
        ...     "aggregation": {"method": "dawid-skene", "tie_margin": 0.0, "pairs": 9},
        ...     "reliability": {"model": "DS", "iterations": 5, "control_records": 0, "thresholds": {},
        ...         "flagged": ["sim-annotator-4"], "per_annotator": [{"annotator": "sim-annotator-4", "simulated": True}]},
        ...     "exclusion": {"excluded": [{"annotator": "sim-annotator-4", "reason": "flagged: competence 0.3 < 0.5"}],
        ...                   "alpha_before": {"overall": 0.1}, "alpha_after": {"overall": 0.4}}})
        >>> text = "\\n\\n".join(quality_section(agreement))
        >>> "`dawid-skene`" in text and "| overall | 0.100 | 0.400 |" in text and "sim-annotator-4" in text
        True
    """
    from rlhf_argilla.dataset.control_card import control_section

    if not agreement or agreement.reliability is None:
        return control_section(controls)
    reliability, exclusion = agreement.reliability, agreement.exclusion
    simulated = any(row.simulated for row in reliability.per_annotator)
    flagged = reliability.flagged
    excluded = exclusion.excluded if exclusion else []
    method = agreement.aggregation.method if agreement.aggregation else "majority"
    lines = [
        "## Label quality",
        f"Aggregation method: `{method}`. "
        + (
            "Flagged by the reliability report: " + ", ".join(f"`{name}`" for name in flagged) + "."
            if flagged
            else "No annotator was flagged by the reliability report."
        )
        + (" Annotators are **simulated** (planted behaviour, not people)." if simulated else ""),
    ]
    if excluded:
        lines.append(
            "Excluded from aggregation:\n"
            + "\n".join(f"- `{item.annotator}`: {item.reason}" for item in excluded)
        )
    else:
        lines.append("No annotator was excluded from aggregation.")
    before, after = (exclusion.alpha_before, exclusion.alpha_after) if exclusion else ({}, {})
    if before:
        table = ["| question | α before exclusion | α after |", "|---|---:|---:|"]
        table += [f"| {name} | {_num(value)} | {_num(after.get(name))} |" for name, value in before.items()]
        lines.append("\n".join(table))
    return lines + control_section(controls)
