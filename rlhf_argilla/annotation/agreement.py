"""Pure: the tidy annotation table -> inter-annotator agreement (the content of agreement.json).

Only *submitted* responses enter agreement figures; drafts and discarded responses are counted
by status so nothing disappears silently. Overall preference is a nominal label per pair and
annotator ("1", "2" or "tie", read from the ranking); criteria are ordinal 1–5 ratings whose
unit is one response of one pair.
"""

from __future__ import annotations

import math
import warnings
from itertools import combinations
from typing import TYPE_CHECKING, Any, Literal

from rlhf_argilla.annotation.judgements import (
    Judgements,
    judgements_of,
    preferences,
    ratings,
    response_statuses,
)
from rlhf_argilla.annotation.settings import OVERALL
from rlhf_argilla.domain.criteria import CRITERION_IDS, SCALE
from rlhf_argilla.schema import ANNOTATION_STATUSES, PREFERENCE_LABELS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PREFERENCE_LABELS",
    "response_statuses",
    "status_counts",
    "preferences",
    "ratings",
    "tie_rate",
    "krippendorff_alpha",
    "pairwise_kappa",
    "annotator_stats",
    "agreement_summary",
]


def status_counts(annotations: pd.DataFrame | Judgements) -> dict[str, int]:
    """Responses (pair x annotator) by status; every known status is present, zero or not.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p", "p", "q"], "annotator": ["a", "a", "a"],
        ...                      "status": ["submitted", "submitted", "draft"], "simulated": [True] * 3})
        >>> status_counts(rows)
        {'submitted': 1, 'draft': 1, 'discarded': 0}
    """
    statuses = annotations.statuses if isinstance(annotations, Judgements) else response_statuses(annotations)
    counts = statuses["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in ANNOTATION_STATUSES}


def tie_rate(prefs: pd.DataFrame) -> float | None:
    """Share of submitted preferences that are ties (None without any)."""
    return float((prefs["preferred"] == "tie").mean()) if len(prefs) else None


def _clean(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def krippendorff_alpha(
    table: pd.DataFrame,
    units: list[str],
    value: str,
    level: Literal["nominal", "ordinal"],
    domain: list[Any],
) -> float | None:
    """Krippendorff's alpha of the judgements per unit (``alpha.alpha_from_counts`` of their value counts).

    Args:
        table: one row per (unit, annotator) judgement.
        units: columns that identify a unit (e.g. ``["pair_id"]`` or ``["pair_id", "response"]``).
        value: the column holding the judgement; it must take values from ``domain``.
        level: "nominal" or "ordinal".
        domain: every possible value, in order (ordinal distances follow this order).

    Returns:
        Alpha, or None when it is undefined (no unit judged twice, or a single value used).

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p", "p", "q", "q"], "annotator": ["a", "b"] * 2,
        ...                      "preferred": ["1", "1", "2", "2"]})
        >>> krippendorff_alpha(rows, ["pair_id"], "preferred", "nominal", ["1", "2", "tie"])
        1.0
    """
    import numpy as np

    from rlhf_argilla.annotation.alpha import alpha_from_counts, unit_value_counts

    if table.empty:
        return None
    codes = table[value].map({item: number for number, item in enumerate(domain)})
    counts = unit_value_counts(table, units, codes, len(domain))
    pairable = counts[counts.sum(axis=1) >= 2]
    if not len(pairable) or int((pairable.sum(axis=0) > 0).sum()) < 2:
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        return _clean(alpha_from_counts(counts, level))


def pairwise_kappa(prefs: pd.DataFrame) -> list[dict[str, Any]]:
    """Cohen's kappa on overall preference for every pair of annotators with shared pairs.

    Returns:
        One dict per annotator pair: ``annotators`` [a, b], ``n`` shared pairs, ``kappa``
        (None when undefined, e.g. both always chose the same label).
    """
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    from rlhf_argilla.annotation.tidy_codes import column_codes

    # pairs x annotators label codes (-1: no preference): the pivot of the labels, without its strings
    value = prefs["preferred"].map({label: code for code, label in enumerate(PREFERENCE_LABELS)})
    known = value.notna().to_numpy()
    pair, _ = column_codes(prefs["pair_id"])
    who, names = column_codes(prefs["annotator"])
    pair, who = np.unique(pair[known], return_inverse=True)[1], who[known]
    present = np.unique(who)
    wide = np.full((int(pair.max(initial=-1)) + 1, len(names)), -1, dtype=np.int8)
    wide[pair, who] = value.to_numpy()[known].astype(np.int8)
    out = []
    for first, second in combinations(present.tolist(), 2):
        both = (wide[:, first] >= 0) & (wide[:, second] >= 0)
        kappa = None
        if both.any():
            with warnings.catch_warnings():  # undefined (nan) when both always used one label
                warnings.simplefilter("ignore")
                kappa = _clean(
                    cohen_kappa_score(
                        wide[both, first], wide[both, second], labels=list(range(len(PREFERENCE_LABELS)))
                    )
                )
        out.append(
            {"annotators": [str(names[first]), str(names[second])], "n": int(both.sum()), "kappa": kappa}
        )
    return out


def _agreement_with_others(prefs: pd.DataFrame, votes: pd.DataFrame, name: str) -> float | None:
    """Share of ``name``'s preferences equal to the others' single most frequent label on that pair."""
    import pandas as pd

    mine = prefs.loc[prefs["annotator"] == name].set_index("pair_id")["preferred"]
    if mine.empty:
        return None
    own = pd.get_dummies(mine).astype(int).reindex(columns=votes.columns, fill_value=0)
    others = votes.loc[mine.index] - own
    top = others.max(axis=1)
    decided = (top > 0) & (others.eq(top, axis=0).sum(axis=1) == 1)
    if not decided.any():
        return None
    return _clean(float((others.idxmax(axis=1)[decided] == mine[decided]).mean()))


def annotator_stats(annotations: pd.DataFrame | Judgements) -> list[dict[str, Any]]:
    """Per annotator: responses by status, tie rate, mean rating, agreement with the others' majority."""
    import pandas as pd

    judged = judgements_of(annotations)
    statuses, prefs, scores = judged.statuses, judged.prefs, judged.scores
    votes = pd.crosstab(prefs["pair_id"], prefs["preferred"]).reindex(
        columns=list(PREFERENCE_LABELS), fill_value=0
    )
    mean_scores = scores.groupby("annotator")["score"].mean()
    out = []
    for name, own in statuses.groupby("annotator", sort=True):
        out.append(
            {
                "annotator": name,
                "simulated": bool(own["simulated"].any()),
                **{status: int((own["status"] == status).sum()) for status in ANNOTATION_STATUSES},
                "tie_rate": _clean(tie_rate(prefs[prefs["annotator"] == name])),
                "mean_rating": _clean(float(mean_scores[name])) if name in mean_scores.index else None,
                "agrees_with_majority": _agreement_with_others(prefs, votes, name),
            }
        )
    return out


def agreement_summary(annotations: pd.DataFrame | Judgements) -> dict[str, Any]:
    """Everything agreement.json holds, computed from the tidy annotation table.

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``), all statuses, or its
            ``judgements.Judgements``.

    Returns:
        ``counts`` (by status), ``records``, ``annotators``, ``tie_rate``, ``alpha`` (``overall``
        nominal and one ordinal value per criterion), ``kappa`` (pairwise), ``per_annotator``.
    """
    judged = judgements_of(annotations)
    statuses, prefs, scores = judged.statuses, judged.prefs, judged.scores
    alpha = {OVERALL: krippendorff_alpha(prefs, ["pair_id"], "preferred", "nominal", list(PREFERENCE_LABELS))}
    for name in CRITERION_IDS:
        own = scores[scores["question"] == name]
        alpha[name] = krippendorff_alpha(own, ["pair_id", "response"], "score", "ordinal", list(SCALE))
    return {
        "counts": status_counts(judged),
        "records": int(statuses["pair_id"].nunique()),
        "annotators": int(statuses["annotator"].nunique()),
        "preferences": int(len(prefs)),
        "tie_rate": _clean(tie_rate(prefs)),
        "alpha": alpha,
        "kappa": pairwise_kappa(prefs),
        "per_annotator": annotator_stats(judged),
    }
