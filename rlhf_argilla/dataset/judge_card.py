"""Pure: the card's "How far the AI judge can be trusted" section, from judge_report.json (if pulled)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_judge_report", "judge_section"]


def read_judge_report(pull_dir: Path) -> dict[str, Any] | None:
    """judge_report.json written by `pull --pairs` / `judge-report`, or None."""
    path = Path(pull_dir) / "judge_report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _num(value: Any) -> str:
    return "–" if value is None else f"{value:.2f}"


def judge_section(report: dict[str, Any] | None) -> list[str]:
    """Markdown lines of the section (empty without a judge report).

    Example:
        >>> report = {"blind_records": 40, "suggested_records": 160, "simulated": True,
        ...     "criteria": {"safety": {"units": 80, "kappa_quadratic": 0.61, "krippendorff_alpha": 0.55,
        ...     "exact": 0.5, "within_one": 0.9, "mae": 0.6}}, "trust_agreement": 0.9,
        ...     "preference": {"records": 30, "agreement": 0.8, "interval": [0.6, 0.9], "trusted_margin": 1.2},
        ...     "anchoring": {"effect": 0.2, "effect_interval": [0.1, 0.3], "acceptance": 0.4}}
        >>> text = "\\n\\n".join(judge_section(report))
        >>> "40 blind records" in text and "simulated" in text and "| safety | 80 | 0.61 |" in text
        True
    """
    if not report:
        return []
    source = (
        "**simulated annotators** (scripted noise around the judge, not people)"
        if report.get("simulated")
        else "human annotators"
    )
    lines = [
        "## How far the AI judge can be trusted",
        f"Measured on **{report['blind_records']} blind records** (shown to annotators without the judge's "
        f"suggestions; {report['suggested_records']} records had them), answered by {source}.",
    ]
    table = [
        "| criterion | units | κ (quadratic) | α (judge as rater) | exact | ±1 | MAE |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, c in report["criteria"].items():
        table.append(
            f"| {name} | {c['units']} | {_num(c.get('kappa_quadratic'))} | {_num(c.get('krippendorff_alpha'))} "
            f"| {_num(c.get('exact'))} | {_num(c.get('within_one'))} | {_num(c.get('mae'))} |"
        )
    pref, anchor = report["preference"], report["anchoring"]
    interval = pref.get("interval") or [None, None]
    lines += [
        "\n".join(table),
        f"Overall preference: the judge agrees with the human majority on {_num(pref['agreement'])} "
        f"(95 % Wilson {_num(interval[0])}–{_num(interval[1])}) of {pref['records']} blind records where humans "
        "did not tie; "
        + (
            f"from a judge margin of {pref['trusted_margin']:.2f} it agrees ≥ {report['trust_agreement']:.0%}."
            if pref.get("trusted_margin") is not None
            else f"no margin reached {report['trust_agreement']:.0%} agreement."
        ),
    ]
    if report.get("judge_swap"):
        from rlhf_argilla.annotation.judge_report_io import swap_sentence

        lines.append(swap_sentence(report["judge_swap"]))
    if anchor.get("effect") is not None:
        low, high = anchor["effect_interval"]
        lines.append(
            f"Anchoring effect: agreement with the judge is {anchor['effect']:+.2f} ({low:+.2f} to {high:+.2f}) "
            f"higher on records shown with suggestions; about {anchor['acceptance']:.0%} of those answers kept them."
        )
    return lines
