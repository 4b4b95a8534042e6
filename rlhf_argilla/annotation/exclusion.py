"""Pure: leave annotators out of aggregation (``pull --exclude-flagged`` / ``--exclude-annotator``), with the why.

Every response stays in annotations.parquet; only aggregation and the "after" agreement use the
kept annotators. Krippendorff's alpha before and after is recorded so the effect is visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rlhf_argilla.schema.agreement import AgreementSummary, ExcludedAnnotator, Exclusion, Reliability

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.judgements import Judgements

__all__ = ["excluded_annotators", "exclusion_of"]


def excluded_annotators(
    reliability: Reliability | None, names: tuple[str, ...] = (), flagged: bool = False
) -> dict[str, str]:
    """annotator -> reason, for the names asked for and (with ``flagged``) every flagged annotator.

    Example:
        >>> from rlhf_argilla.schema.agreement import AnnotatorReliability as Row
        >>> rel = Reliability(model="DS", iterations=3, control_records=0, thresholds={}, flagged=["sim-4"],
        ...     per_annotator=[Row(annotator="sim-4", flags=["competence 0.3 < 0.5"]), Row(annotator="ann")])
        >>> excluded_annotators(rel, ("ann",), flagged=True)
        {'ann': 'excluded by name (--exclude-annotator)', 'sim-4': 'flagged: competence 0.3 < 0.5'}
    """
    out = {name: "excluded by name (--exclude-annotator)" for name in names}
    if flagged and reliability is not None:
        for row in reliability.per_annotator:
            if row.flags and row.annotator not in out:
                out[row.annotator] = "flagged: " + "; ".join(row.flags)
    return out


def exclusion_of(
    annotations: pd.DataFrame | Judgements,
    summary: AgreementSummary,
    names: tuple[str, ...] = (),
    flagged: bool = False,
) -> Exclusion:
    """The ``exclusion`` section of agreement.json: who is left out (:func:`excluded_annotators` over
    ``summary.reliability``) and why, and alpha per question before and after leaving them out.
    """
    from rlhf_argilla.annotation.agreement import agreement_summary
    from rlhf_argilla.annotation.judgements import judgements_of

    excluded = excluded_annotators(summary.reliability, names, flagged)
    after = summary.alpha
    if excluded:
        kept = judgements_of(annotations).without("annotator", excluded)
        after = AgreementSummary.model_validate(agreement_summary(kept)).alpha
    return Exclusion(
        excluded=[ExcludedAnnotator(annotator=name, reason=why) for name, why in sorted(excluded.items())],
        alpha_before=summary.alpha,
        alpha_after=after,
    )
