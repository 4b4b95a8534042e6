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

from rlhf_argilla.annotation.settings import OVERALL
from rlhf_argilla.domain.criteria import CRITERION_IDS, SCALE
from rlhf_argilla.schema import ANNOTATION_STATUSES, PREFERENCE_LABELS

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.judgements import Judgements

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


def response_statuses(annotations: pd.DataFrame, with_time: bool = False) -> pd.DataFrame:
    """One row per (pair, annotator) response with its status, whatever values it holds.

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``).
        with_time: also the ``updated_at`` of the response's first row (``simulated`` and
            ``updated_at`` only where the table has them).

    Returns:
        Columns ``pair_id``, ``annotator``, ``status``, ``simulated`` (and ``updated_at``).
    """
    keys = ["pair_id", "annotator"]
    columns = [*keys, "status", "simulated"]
    if with_time:
        columns = [*columns[:3], *(name for name in ("simulated", "updated_at") if name in annotations)]
    import pandas as pd

    firsts = [part.loc[~part.duplicated(keys), columns] for part in _slices(annotations)]
    joined = pd.concat(firsts, ignore_index=True) if len(firsts) > 1 else firsts[0]
    return joined.loc[~joined.duplicated(keys)].reset_index(drop=True)


def status_counts(annotations: pd.DataFrame | Judgements) -> dict[str, int]:
    """Responses (pair x annotator) by status; every known status is present, zero or not.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p", "p", "q"], "annotator": ["a", "a", "a"],
        ...                      "status": ["submitted", "submitted", "draft"], "simulated": [True] * 3})
        >>> status_counts(rows)
        {'submitted': 1, 'draft': 1, 'discarded': 0}
    """
    from rlhf_argilla.annotation.judgements import Judgements

    statuses = annotations.statuses if isinstance(annotations, Judgements) else response_statuses(annotations)
    counts = statuses["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in ANNOTATION_STATUSES}


def preferences(annotations: pd.DataFrame) -> pd.DataFrame:
    """Submitted overall preference per (pair, annotator), from the two ranks.

    Args:
        annotations: the tidy table; ``overall`` rows carry the rank of response 1 and of response 2.

    Returns:
        Columns ``pair_id``, ``annotator``, ``preferred`` ("1", "2" or "tie"); responses whose
        ranking is incomplete are left out.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p"] * 4, "annotator": ["a", "a", "b", "b"],
        ...     "status": ["submitted"] * 4, "question": ["overall"] * 4, "response": [1, 2, 1, 2],
        ...     "value": ["2", "1", "1", "1"]})
        >>> preferences(rows).to_dict("records")
        [{'pair_id': 'p', 'annotator': 'a', 'preferred': '2'}, {'pair_id': 'p', 'annotator': 'b', 'preferred': 'tie'}]
    """
    import pandas as pd

    columns = ["pair_id", "annotator", "response", "value"]
    rows = _submitted(annotations, [OVERALL], columns, types={"value": "int8"})  # ranks: 1 or 2
    ranks = rows.pivot_table(
        index=["pair_id", "annotator"], columns="response", values="value", aggfunc="first"
    ).dropna()
    if ranks.empty:
        return pd.DataFrame({"pair_id": [], "annotator": [], "preferred": []}, dtype=object)
    first, second = ranks[1].astype(int), ranks[2].astype(int)
    preferred = pd.Series("tie", index=ranks.index).mask(first < second, "1").mask(second < first, "2")
    return preferred.rename("preferred").reset_index()


def ratings(annotations: pd.DataFrame) -> pd.DataFrame:
    """Submitted criterion ratings: ``pair_id``, ``annotator``, ``question``, ``response``, ``score``.

    ``response`` (1 / 2) and ``score`` (1-5) are int8: at 100k records this table has ~3 M rows.
    """
    keys = ["pair_id", "annotator", "question", "response"]
    types = {"response": "int8", "score": "int8"}
    return _submitted(annotations, list(CRITERION_IDS), [*keys, "value"], {"value": "score"}, types)


#: rows of the tidy table selected at a time: the masks and copies of one slice, not of 4 M rows
SLICE_ROWS = 250_000


def _slices(annotations: pd.DataFrame) -> list[pd.DataFrame]:
    """``annotations`` in consecutive row slices of :data:`SLICE_ROWS` (views, at least one)."""
    ends = range(0, max(len(annotations), 1), SLICE_ROWS)
    return [annotations.iloc[start : start + SLICE_ROWS] for start in ends]


def _submitted(
    annotations: pd.DataFrame,
    questions: list[str],
    columns: list[str],
    names: dict[str, str] | None = None,
    types: dict[str, str] | None = None,
) -> pd.DataFrame:
    """``columns`` (renamed by ``names``, cast to ``types``) of the submitted rows on ``questions``
    that hold a response side and a value, in table order and with a fresh index; selected one
    slice at a time, so a large table is never masked or copied whole."""
    import pandas as pd

    parts = []
    for part in _slices(annotations):
        mask = part["question"].isin(questions) & (part["status"] == "submitted")
        mask &= part["response"].notna() & part["value"].notna()
        parts.append(part.loc[mask, columns].rename(columns=names or {}).astype(types or {}))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)


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
    from sklearn.metrics import cohen_kappa_score

    wide = prefs.pivot_table(index="pair_id", columns="annotator", values="preferred", aggfunc="first")
    out = []
    for first, second in combinations(sorted(wide.columns), 2):
        both = wide[[first, second]].dropna()
        kappa = None
        if len(both):
            with warnings.catch_warnings():  # undefined (nan) when both always used one label
                warnings.simplefilter("ignore")
                kappa = _clean(cohen_kappa_score(both[first], both[second], labels=list(PREFERENCE_LABELS)))
        out.append({"annotators": [first, second], "n": int(len(both)), "kappa": kappa})
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

    from rlhf_argilla.annotation.judgements import judgements_of

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
    from rlhf_argilla.annotation.judgements import judgements_of

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
