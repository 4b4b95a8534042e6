"""Pure: leave annotators out of aggregation (``pull --exclude-flagged`` / ``--exclude-annotator``), with the why.

Every response stays in annotations.parquet; only aggregation and the "after" agreement use the
kept annotators. Krippendorff's alpha before and after is recorded so the effect is visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["excluded_annotators", "apply_exclusion"]


def excluded_annotators(
    reliability: dict[str, Any], names: tuple[str, ...] = (), flagged: bool = False
) -> dict[str, str]:
    """annotator -> reason, for the names asked for and (with ``flagged``) every flagged annotator.

    Example:
        >>> rel = {"per_annotator": [{"annotator": "sim-4", "flags": ["competence 0.3 < 0.5"]},
        ...                          {"annotator": "ann", "flags": []}]}
        >>> excluded_annotators(rel, ("ann",), flagged=True)
        {'ann': 'excluded by name (--exclude-annotator)', 'sim-4': 'flagged: competence 0.3 < 0.5'}
    """
    out = {name: "excluded by name (--exclude-annotator)" for name in names}
    if flagged:
        for row in reliability.get("per_annotator", []):
            if row["flags"] and row["annotator"] not in out:
                out[row["annotator"]] = "flagged: " + "; ".join(row["flags"])
    return out


def apply_exclusion(
    annotations: pd.DataFrame, summary: dict[str, Any], excluded: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """(the annotations aggregation uses, the ``exclusion`` entry of agreement.json).

    The entry holds who was excluded and why, and alpha per question before and after.
    """
    from rlhf_argilla.annotation.agreement import agreement_summary

    kept = annotations[~annotations["annotator"].isin(list(excluded))] if excluded else annotations
    after = agreement_summary(kept)["alpha"] if excluded else summary["alpha"]
    entry = {
        "excluded": [{"annotator": name, "reason": reason} for name, reason in sorted(excluded.items())],
        "alpha_before": summary["alpha"],
        "alpha_after": after,
    }
    return kept, entry
