"""Reviewer decisions from ``NAME-review`` override the first-round aggregate (``decided_by``).

:func:`decisions` and :func:`apply_review` are pure and run *after* aggregation, whatever method
produced the aggregate. A decision is the latest submitted reviewer response of a pair: its ranking
becomes ``preferred``, its ratings the per-criterion scores and ``margin``; ``agreement`` is then
the share of first-round annotators who chose the reviewer's answer. Every row gets ``decided_by``:
``review`` for overridden pairs, ``consensus`` for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation.agreement import preferences, ratings
from rlhf_argilla.annotation.judgements import Judgements, judgements_of
from rlhf_argilla.domain.criteria import CRITERION_IDS

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["DECIDED_BY", "decisions", "apply_review"]

DECIDED_BY: tuple[str, ...] = ("consensus", "review")


def decisions(review_annotations: pd.DataFrame) -> pd.DataFrame:
    """One row per decided pair: ``pair_id``, ``reviewer``, ``preferred`` and ``{criterion}_{1,2}``.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame([{"pair_id": "p", "annotator": who, "status": "submitted", "question": q,
        ...     "response": r, "value": v, "updated_at": t} for who, t, q, r, v in [
        ...     ("rev", "2026-01-01", "overall", 1, "2"), ("rev", "2026-01-01", "overall", 2, "1"),
        ...     ("boss", "2026-01-02", "overall", 1, "1"), ("boss", "2026-01-02", "overall", 2, "2"),
        ...     ("boss", "2026-01-02", "safety", 1, "5"), ("boss", "2026-01-02", "safety", 2, "1")]])
        >>> decisions(rows)[["pair_id", "reviewer", "preferred", "safety_1", "safety_2"]].to_dict("records")
        [{'pair_id': 'p', 'reviewer': 'boss', 'preferred': '1', 'safety_1': 5.0, 'safety_2': 1.0}]
    """
    import pandas as pd

    criteria = [f"{name}_{side}" for name in CRITERION_IDS for side in (1, 2)]
    columns = ["pair_id", "reviewer", "preferred", *criteria]
    submitted = review_annotations[review_annotations["status"] == "submitted"]
    prefs = preferences(submitted)
    if not len(prefs):
        return pd.DataFrame(columns=columns)
    when = submitted.groupby(["pair_id", "annotator"])["updated_at"].max().rename("when").reset_index()
    latest = (
        prefs.merge(when, on=["pair_id", "annotator"])
        .sort_values(["pair_id", "when", "annotator"])
        .drop_duplicates("pair_id", keep="last")
    )
    scores = ratings(submitted).merge(latest[["pair_id", "annotator"]], on=["pair_id", "annotator"])
    wide = scores.pivot_table(index="pair_id", columns=["question", "response"], values="score")
    wide.columns = [f"{question}_{response}" for question, response in wide.columns]
    out = latest.rename(columns={"annotator": "reviewer"}).set_index("pair_id")[["reviewer", "preferred"]]
    out = out.join(wide.reindex(columns=criteria).astype(float))
    return out.reset_index()[columns]


def apply_review(
    aggregated: pd.DataFrame, decided: pd.DataFrame, annotations: pd.DataFrame | Judgements
) -> pd.DataFrame:
    """The aggregate with reviewer decisions applied and the ``decided_by`` column set.

    Args:
        aggregated: from ``annotation.aggregate`` (any method); not modified.
        decided: from :func:`decisions`; pairs not in ``aggregated`` are ignored.
        annotations: the first-round tidy table or its ``judgements.Judgements`` (for ``agreement``
            of overridden pairs).

    Returns:
        A copy of ``aggregated`` with ``decided_by`` ("consensus" or "review").
    """
    import numpy as np
    import pandas as pd

    out = aggregated.copy()
    out["decided_by"] = DECIDED_BY[0]
    decided = decided[decided["pair_id"].isin(out["pair_id"])].set_index("pair_id")
    if not len(decided):
        return out
    rows = out["pair_id"].isin(decided.index).to_numpy()
    ids = out.loc[rows, "pair_id"]
    out.loc[rows, "preferred"] = ids.map(decided["preferred"]).to_numpy()
    criteria = [f"{name}_{side}" for name in CRITERION_IDS for side in (1, 2)]
    for column in criteria:
        reviewed = ids.map(decided[column]).to_numpy(dtype=float)
        out.loc[rows, column] = np.where(np.isnan(reviewed), out.loc[rows, column].to_numpy(float), reviewed)
    diffs = pd.DataFrame({name: decided[f"{name}_1"] - decided[f"{name}_2"] for name in CRITERION_IDS})
    margin = ids.map(diffs.mean(axis=1)).round(6)
    out.loc[rows, "margin"] = margin.fillna(out.loc[rows, "margin"]).to_numpy(dtype=float)
    first = judgements_of(annotations).prefs
    chosen: dict[Any, float] = {}
    for pair, group in first[first["pair_id"].isin(decided.index)].groupby("pair_id"):
        chosen[pair] = round(float((group["preferred"] == decided.at[pair, "preferred"]).mean()), 6)
    out.loc[rows, "agreement"] = [chosen.get(pair, np.nan) for pair in ids]
    out.loc[rows, "decided_by"] = DECIDED_BY[1]
    return out
