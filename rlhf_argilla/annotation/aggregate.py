"""Pure: the tidy annotation table + record texts -> one judgement per pair (aggregated.parquet).

Two ways to decide the preferred response, both over *submitted* responses only:

* ``majority`` — the label ("1", "2" or "tie") most annotators chose in the ranking; a split vote
  is settled by the mean-of-criteria margin (a zero margin gives "tie");
* ``mean`` — the sign of the mean-of-criteria margin (response 1 minus response 2, averaged over
  annotators and criteria); ``|margin| <= tie_margin`` gives "tie";
* ``dawid-skene`` — the Dawid–Skene label on the ranking, criteria and margin weighted by each
  annotator's competence (``annotation.aggregate_weighted``).

``margin`` is always the mean-of-criteria difference; ``agreement`` is the share of annotators
whose own ranking matches the aggregated preference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rlhf_argilla.annotation.agreement import PREFERENCE_LABELS
from rlhf_argilla.annotation.judgements import Judgements, judgements_of
from rlhf_argilla.annotation.rating_sides import annotator_margins, criterion_means
from rlhf_argilla.annotation.tidy_codes import shared_objects
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.schema import AGGREGATED_CONTROL_COLUMNS, AGGREGATED_METADATA_COLUMNS, aggregated_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Method", "METHODS", "RECORD_COLUMNS", "aggregate"]

Method = Literal["majority", "mean", "dawid-skene"]
METHODS: tuple[str, ...] = ("majority", "mean", "dawid-skene")
#: what ``aggregate`` needs to know about each record besides the annotations
RECORD_COLUMNS: tuple[str, ...] = (
    "pair_id",
    "prompt",
    "response_1",
    "response_2",
    *AGGREGATED_METADATA_COLUMNS,
    *AGGREGATED_CONTROL_COLUMNS,
)


def aggregate(
    annotations: pd.DataFrame | Judgements,
    records: pd.DataFrame,
    method: Method = "majority",
    tie_margin: float = 0.0,
) -> pd.DataFrame:
    """One row per pair with at least one submitted response, in ``schema.aggregated_columns()`` order.

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``), any status (only submitted count),
            or its ``judgements.Judgements``.
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
    import numpy as np
    import pandas as pd

    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; use one of {', '.join(METHODS)}")
    judged = judgements_of(annotations)
    prefs, scores = judged.prefs, judged.scores
    submitted = judged.statuses[judged.statuses["status"] == "submitted"]
    n_annotators = submitted.groupby("pair_id")["annotator"].nunique().sort_index()
    # a plain index: reindexing one categorical index by another can fail in pandas (int8 vs int16 codes)
    index = pd.Index(n_annotators.index.astype(str), name="pair_id")
    criteria = [f"{name}_{side}" for name in CRITERION_IDS for side in (1, 2)]
    per_criterion = criterion_means(scores).reindex(index=index, columns=criteria)
    # margin: per annotator the mean over criteria of (score 1 - score 2), then the mean over annotators
    margin = pd.Series(np.nan, index=index)
    if len(scores):
        margin = annotator_margins(scores).groupby(level=0).mean().reindex(index)
    counts = pd.crosstab(prefs["pair_id"], prefs["preferred"]).reindex(
        index=index, columns=list(PREFERENCE_LABELS), fill_value=0
    )
    total = counts.sum(axis=1).to_numpy()

    def by_margin(band: float) -> np.ndarray:
        return np.where(margin.isna() | (margin.abs() <= band), "tie", np.where(margin > 0, "1", "2"))

    preferred = by_margin(tie_margin)
    if method == "majority":
        top = counts.max(axis=1)
        single_top = (counts.eq(top, axis=0).sum(axis=1) == 1).to_numpy() & (total > 0)
        preferred = np.where(
            single_top, counts.idxmax(axis=1).to_numpy(), np.where(total > 0, by_margin(0.0), preferred)
        )
    if method == "dawid-skene":
        from rlhf_argilla.annotation.aggregate_weighted import weighted_judgements

        labels, weighted, weighted_margin = weighted_judgements(prefs, scores, index)
        preferred = labels.to_numpy()
        per_criterion = weighted.reindex(columns=criteria)
        margin = weighted_margin
    positions = [PREFERENCE_LABELS.index(label) for label in preferred]
    chosen = counts.to_numpy()[np.arange(len(index)), positions] if len(index) else np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(total > 0, chosen / np.maximum(total, 1), np.nan)
    record = (
        records.drop_duplicates("pair_id")
        .set_index("pair_id")
        .reindex(index=index, columns=[c for c in RECORD_COLUMNS if c != "pair_id"])
    )
    out = pd.DataFrame(
        {
            "pair_id": index.to_numpy(),
            "prompt": record["prompt"].to_numpy(),
            "response_1": record["response_1"].to_numpy(),
            "response_2": record["response_2"].to_numpy(),
            "preferred": preferred,
            "n_annotators": n_annotators.to_numpy().astype(int),
            **{column: per_criterion[column].to_numpy(dtype=float) for column in criteria},
            "margin": margin.round(6).to_numpy(dtype=float),
            "agreement": np.round(agreement, 6),
            **{column: shared_objects(record[column]) for column in AGGREGATED_METADATA_COLUMNS},
            **_control_columns(record),
        },
        columns=list(aggregated_columns()),
    )
    return out.sort_values("pair_id", ignore_index=True)


def _control_columns(record: pd.DataFrame) -> dict[str, object]:
    """``control`` 1 / 0, ``control_expected`` (nullable) and ``control_source`` of the aggregated pairs."""
    import pandas as pd

    flag, expected, source = (record[name] for name in AGGREGATED_CONTROL_COLUMNS)
    is_control = pd.to_numeric(flag, errors="coerce").eq(1).to_numpy()
    return {
        flag.name: is_control.astype(int),
        expected.name: pd.array(pd.to_numeric(expected, errors="coerce").where(is_control), dtype="Int64"),
        source.name: source.astype(object).where(is_control & source.notna().to_numpy(), None).to_numpy(),
    }
