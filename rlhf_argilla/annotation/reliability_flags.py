"""Pure: which annotators the reliability figures flag, with the reasons, and the ``reliability`` summary.

Thresholds come from the settings (``Settings.reliability_*``, defended there); a rule only fires
when its figure rests on enough data (``min_controls`` control answers, ``min_records`` preferences).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.judgements import Judgements
    from rlhf_argilla.config import Settings

__all__ = ["Thresholds", "flag_reasons", "reliability_summary"]


@dataclass(frozen=True)
class Thresholds:
    """Flag rules; see ``Settings.reliability_*`` for why these defaults."""

    min_control_accuracy: float = 0.4
    min_controls: int = 5
    min_competence: float = 0.6
    max_straight_lining: float = 0.5
    max_suggestion_acceptance: float = 0.9
    max_position_bias: float = 0.2
    min_records: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(**{name: getattr(settings, f"reliability_{name}") for name in asdict(cls())})


def flag_reasons(row: dict[str, Any], thresholds: Thresholds) -> list[str]:
    """The rules one annotator's figures break, as short reasons (empty: not flagged).

    Example:
        >>> row = {"controls": 8, "control_accuracy": 0.25, "sided_preferences": 40, "competence": 0.9,
        ...        "position_bias": 0.35, "straight_lining": 0.0, "suggestion_acceptance": None}
        >>> flag_reasons(row, Thresholds())
        ['control accuracy 0.25 < 0.4 (8 controls)', 'prefers A: +0.35 over the base rate (> 0.2)']
    """
    t, reasons = thresholds, []
    accuracy = row.get("control_accuracy")
    if (
        accuracy is not None
        and row.get("controls", 0) >= t.min_controls
        and accuracy < t.min_control_accuracy
    ):
        reasons.append(
            f"control accuracy {accuracy:.2f} < {t.min_control_accuracy} ({row['controls']} controls)"
        )
    enough = row.get("sided_preferences", 0) >= t.min_records
    competence = row.get("competence")
    if competence is not None and enough and competence < t.min_competence:
        reasons.append(f"Dawid-Skene competence {competence:.2f} < {t.min_competence}")
    if (straight := row.get("straight_lining")) is not None and straight > t.max_straight_lining:
        reasons.append(f"straight-lining {straight:.2f} > {t.max_straight_lining}")
    if (accepted := row.get("suggestion_acceptance")) is not None and accepted > t.max_suggestion_acceptance:
        reasons.append(f"keeps suggestions {accepted:.2f} > {t.max_suggestion_acceptance}")
    bias = row.get("position_bias")
    if bias is not None and enough and abs(bias) > t.max_position_bias:
        side = "A" if bias > 0 else "B"
        reasons.append(f"prefers {side}: {bias:+.2f} over the base rate (> {t.max_position_bias})")
    return reasons


def reliability_summary(
    annotations: pd.DataFrame | Judgements,
    records: pd.DataFrame,
    controls: dict[str, int],
    suggestions: pd.DataFrame | None,
    thresholds: Thresholds,
) -> dict[str, Any]:
    """agreement.json's ``reliability``: model, thresholds, per-annotator figures with flags, flagged names.

    ``annotations``: the tidy table or its ``judgements.Judgements``.
    """
    from rlhf_argilla.annotation.ds_preferences import fit_preferences
    from rlhf_argilla.annotation.judgements import judgements_of
    from rlhf_argilla.annotation.reliability import annotator_reliability

    judged = judgements_of(annotations)
    model = fit_preferences(judged.prefs, judged.scores)
    rows = annotator_reliability(judged, records, controls, suggestions, model=model)
    for row in rows:
        row["flags"] = flag_reasons(row, thresholds)
    return {
        "model": "Dawid-Skene (numpy EM from the majority vote) on the direction of overall preference, "
        "rankings and ratings as separate sources",
        "iterations": model.iterations,
        "control_records": len(controls),
        "thresholds": asdict(thresholds),
        "per_annotator": rows,
        "flagged": [row["annotator"] for row in rows if row["flags"]],
    }
