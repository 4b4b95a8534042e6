"""Pure: Dawid–Skene aggregation (``pull --method dawid-skene``).

Overall preference is the label of ``ds_preferences`` (direction from rankings and ratings as
separate sources; "tie" when most votes are ties). Criterion scores and the margin are means
weighted by each annotator's *ratings* competence above chance, so a spammer's ratings count ~0.
A pair whose annotators all weigh 0 falls back to equal weights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["weighted_judgements"]

#: keeps a pair whose annotators all weigh 0 defined (equal weights)
_FLOOR = 1e-6


def weighted_judgements(
    prefs: pd.DataFrame, scores: pd.DataFrame, index: pd.Index
) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    """(preferred label, weighted score per ``{criterion}_{response}`` column, weighted margin), on ``index``.

    Example:
        >>> import pandas as pd
        >>> prefs = pd.DataFrame({"pair_id": ["p", "p", "q", "q"], "annotator": ["x", "y"] * 2,
        ...                       "preferred": ["1", "1", "2", "2"]})
        >>> scores = pd.DataFrame({"pair_id": ["p"] * 4, "annotator": ["x", "x", "y", "y"],
        ...     "question": ["safety"] * 4, "response": [1, 2, 1, 2], "score": [5, 1, 3, 3]})
        >>> label, per, margin = weighted_judgements(prefs, scores, pd.Index(["p", "q"], name="pair_id"))
        >>> label.tolist(), round(float(per.loc["p", "safety_1"]), 3), round(float(margin.loc["p"]), 3)
        ... # y's equal ratings give its ratings source no decisive vote, so weight ~0: x's scores carry p
        (['1', '2'], 5.0, 4.0)
    """
    import pandas as pd

    from rlhf_argilla.annotation.ds_preferences import fit_preferences
    from rlhf_argilla.annotation.rating_sides import annotator_margins

    model = fit_preferences(prefs, scores)
    preferred = pd.Series(model.labels, dtype=object).reindex(index).fillna("tie")
    weights = model.ratings_weight
    weighted = scores.assign(w=scores["annotator"].map(weights).fillna(0.0).astype(float) + _FLOOR)
    weighted = weighted.assign(ws=weighted["w"] * weighted["score"])
    cells = weighted.groupby(["pair_id", "question", "response"])[["ws", "w"]].sum()
    per = (cells["ws"] / cells["w"]).unstack(["question", "response"])
    per.columns = [f"{question}_{response}" for question, response in per.columns]
    margin = pd.Series(float("nan"), index=index)
    if len(scores):
        own = annotator_margins(scores).rename("d").reset_index()
        own["w"] = own["annotator"].map(weights).fillna(0.0).astype(float) + _FLOOR
        sums = (own["d"] * own["w"]).groupby(own["pair_id"]).sum() / own["w"].groupby(own["pair_id"]).sum()
        margin = sums.reindex(index)
    return preferred, per.reindex(index=index), margin
