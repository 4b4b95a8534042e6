"""Pure: the tidy annotation table + record texts -> one judgement per pair (aggregated.parquet).

Two ways to decide the preferred response, both over *submitted* responses only:

* ``majority`` — the label ("1", "2" or "tie") most annotators chose in the ranking; a split vote
  is settled by the mean-of-criteria margin (a zero margin gives "tie");
* ``mean`` — the sign of the mean-of-criteria margin (response 1 minus response 2, averaged over
  annotators and criteria); ``|margin| <= tie_margin`` gives "tie".

``margin`` is always the mean-of-criteria difference; ``agreement`` is the share of annotators
whose own ranking matches the aggregated preference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rlhf_argilla.annotation.agreement import preferences, ratings
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.schema import AGGREGATED_METADATA_COLUMNS, aggregated_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Method", "METHODS", "RECORD_COLUMNS", "aggregate", "majority_label"]

Method = Literal["majority", "mean"]
METHODS: tuple[str, ...] = ("majority", "mean")
#: what ``aggregate`` needs to know about each record besides the annotations
RECORD_COLUMNS: tuple[str, ...] = ("pair_id", "prompt", "response_1", "response_2", *AGGREGATED_METADATA_COLUMNS)


def majority_label(labels: list[str]) -> str | None:
    """The single most frequent label, or None when the top count is shared.

    Example:
        >>> majority_label(["1", "1", "2"]), majority_label(["1", "2"]), majority_label(["tie"])
        ('1', None, 'tie')
    """
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if not counts:
        return None
    ordered = sorted(counts.values(), reverse=True)
    if len(ordered) > 1 and ordered[0] == ordered[1]:
        return None
    return max(counts, key=counts.__getitem__)


def _label_from_margin(margin: float, tie_margin: float) -> str:
    if margin != margin:  # no ratings at all
        return "tie"
    if abs(margin) <= tie_margin:
        return "tie"
    return "1" if margin > 0 else "2"


def aggregate(
    annotations: "pd.DataFrame",
    records: "pd.DataFrame",
    method: Method = "majority",
    tie_margin: float = 0.0,
) -> "pd.DataFrame":
    """One row per pair with at least one submitted response, in ``schema.aggregated_columns()`` order.

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``), any status (only submitted count).
        records: one row per pair with ``RECORD_COLUMNS`` (missing metadata columns become None).
        method: "majority" (ranking votes) or "mean" (mean of criteria).
        tie_margin: with ``mean``, margins within ±tie_margin are ties.

    Returns:
        The aggregated table, sorted by ``pair_id``.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame([
        ...     {"pair_id": "p", "annotator": who, "status": "submitted", "question": q, "response": side,
        ...      "value": v} for who, q, side, v in [
        ...      ("a", "overall", 1, "1"), ("a", "overall", 2, "2"), ("a", "clarity", 1, "5"), ("a", "clarity", 2, "3"),
        ...      ("b", "overall", 1, "1"), ("b", "overall", 2, "1"), ("b", "clarity", 1, "4"), ("b", "clarity", 2, "4")]])
        >>> records = pd.DataFrame([{"pair_id": "p", "prompt": "Q", "response_1": "x", "response_2": "y"}])
        >>> row = aggregate(rows, records, method="mean").to_dict("records")[0]
        >>> row["preferred"], row["clarity_1"], row["margin"], row["agreement"], row["n_annotators"]
        ('1', 4.5, 1.0, 0.5, 2)
    """
    import pandas as pd

    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; use one of {', '.join(METHODS)}")
    submitted = annotations[annotations["status"] == "submitted"]
    prefs = preferences(submitted)
    scores = ratings(submitted)
    per_criterion = scores.pivot_table(index="pair_id", columns=["question", "response"], values="score",
                                       aggfunc="mean")
    per_criterion.columns = [f"{question}_{response}" for question, response in per_criterion.columns]
    votes = prefs.groupby("pair_id")["preferred"].agg(list)
    # margin: per annotator mean over criteria of (score 1 - score 2), then mean over annotators
    wide = scores.pivot_table(index=["pair_id", "annotator", "question"], columns="response", values="score")
    diffs = (wide.get(1) - wide.get(2)) if {1, 2} <= set(wide.columns) else pd.Series(dtype=float)
    margins = diffs.groupby(level=["pair_id", "annotator"]).mean().groupby(level="pair_id").mean()
    annotated = submitted.groupby("pair_id")["annotator"].nunique()

    table = records.drop_duplicates("pair_id").set_index("pair_id").reindex(annotated.index)
    rows = []
    for pair_id, n_annotators in annotated.items():
        margin = float(margins.get(pair_id, float("nan")))
        labels = votes.get(pair_id, [])
        if method == "majority" and labels:
            preferred = majority_label(labels) or _label_from_margin(margin, 0.0)
        else:
            preferred = _label_from_margin(margin, tie_margin)
        record = table.loc[pair_id]
        row = {
            "pair_id": pair_id,
            "prompt": record.get("prompt"),
            "response_1": record.get("response_1"),
            "response_2": record.get("response_2"),
            "preferred": preferred,
            "n_annotators": int(n_annotators),
            "margin": None if margin != margin else round(margin, 6),
            "agreement": round(sum(label == preferred for label in labels) / len(labels), 6) if labels else None,
        }
        for name in CRITERION_IDS:
            for side in (1, 2):
                column = f"{name}_{side}"
                value = per_criterion[column].get(pair_id) if column in per_criterion else None
                row[column] = None if value is None or value != value else float(value)
        for column in AGGREGATED_METADATA_COLUMNS:
            value = record.get(column)
            row[column] = None if value is None or (isinstance(value, float) and value != value) else value
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(aggregated_columns()))
    return out.sort_values("pair_id", ignore_index=True)
