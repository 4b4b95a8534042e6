"""Pure: Dawid–Skene aggregation (``pull --method dawid-skene``).

Overall preference is the Dawid–Skene posterior mode; criterion scores and the margin are means
weighted by each annotator's competence above chance (``dawid_skene.chance_corrected``), so a
spammer's ratings count ~0. A pair whose annotators all weigh 0 falls back to equal weights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rlhf_argilla.annotation.agreement import PREFERENCE_LABELS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["annotator_weights", "weighted_judgements"]

#: keeps a pair whose annotators all weigh 0 defined (equal weights)
_FLOOR = 1e-6


def annotator_weights(prefs: pd.DataFrame) -> dict[str, float]:
    """annotator -> competence above chance (0..1) from Dawid–Skene on overall preferences."""
    from rlhf_argilla.annotation.dawid_skene import chance_corrected
    from rlhf_argilla.annotation.reliability import fit_preferences

    model, _pairs, names = fit_preferences(prefs)
    if model is None:
        return {}
    return {str(name): float(w) for name, w in zip(names, chance_corrected(model.competence, model.priors))}


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
        >>> label.tolist(), float(per.loc["p", "safety_1"]), float(margin.loc["p"])
        (['1', '2'], 4.0, 2.0)
    """
    import pandas as pd

    from rlhf_argilla.annotation.reliability import fit_preferences

    model, pairs, names = fit_preferences(prefs)
    preferred = pd.Series("tie", index=index, dtype=object)
    weights: dict[str, float] = {}
    if model is not None:
        from rlhf_argilla.annotation.dawid_skene import chance_corrected

        codes = model.labels()
        labels = pd.Series([PREFERENCE_LABELS[c] if c >= 0 else "tie" for c in codes], index=pairs)
        preferred = labels.reindex(index).fillna("tie")
        weights = dict(zip(names, chance_corrected(model.competence, model.priors)))
    weighted = scores.assign(w=scores["annotator"].map(weights).fillna(0.0).astype(float) + _FLOOR)
    weighted = weighted.assign(ws=weighted["w"] * weighted["score"])
    cells = weighted.groupby(["pair_id", "question", "response"])[["ws", "w"]].sum()
    per = (cells["ws"] / cells["w"]).unstack(["question", "response"])
    per.columns = [f"{question}_{response}" for question, response in per.columns]
    wide = weighted.pivot_table(
        index=["pair_id", "annotator", "question"], columns="response", values="score"
    )
    margin = pd.Series(float("nan"), index=index)
    if {1, 2} <= set(wide.columns):
        own = (wide[1] - wide[2]).groupby(level=[0, 1]).mean().rename("d").reset_index()
        own["w"] = own["annotator"].map(weights).fillna(0.0).astype(float) + _FLOOR
        sums = (own["d"] * own["w"]).groupby(own["pair_id"]).sum() / own["w"].groupby(own["pair_id"]).sum()
        margin = sums.reindex(index)
    return preferred, per.reindex(index=index), margin
