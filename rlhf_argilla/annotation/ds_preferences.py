"""Pure: the Dawid–Skene model of overall preference that reliability and ``--method dawid-skene`` share.

Two choices make it recover known answers at least as often as the plain majority vote:

* **Direction only.** The EM models the two decisive classes ("1" / "2"); a "tie" vote is an
  abstention on direction. With "tie" as a third true class, the EM on a few hundred pairs tends
  to turn it into a second copy of the common class (a label switch: careful annotators then look
  ~50 % competent). A pair is "tie" when more than half of its votes are ties, or none is decisive.
* **Two sources per annotator.** Each annotator's ranking, and the sign of their own
  mean-of-criteria margin (their ratings), enter as separate sources, so each gets its own
  confusion matrix. Majority voting already uses the ratings to settle split votes; here they
  count with the competence the EM finds for them (a spammer's random ratings weigh ~0).

``competence`` of an annotator is that of their ranking source; ``ratings_weight`` (above chance)
weighs their criterion scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rlhf_argilla.schema import PREFERENCE_LABELS

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.dawid_skene import DawidSkene

__all__ = ["RATINGS_SOURCE", "PreferenceModel", "fit_preferences"]

#: suffix of an annotator's ratings source (Argilla user names cannot contain a space)
RATINGS_SOURCE = " (ratings)"
#: the two decisive labels ("1", "2") and their class codes in the EM
_CODES = {label: code for code, label in enumerate(PREFERENCE_LABELS[:2])}


@dataclass(frozen=True)
class PreferenceModel:
    """A fitted model: per-pair ``labels`` ("1" / "2" / "tie"), per-annotator ``competence`` and
    ``weight`` (ranking source), ``ratings_weight`` (ratings source), and the EM's ``iterations``."""

    labels: dict[str, str] = field(default_factory=dict)
    competence: dict[str, float] = field(default_factory=dict)
    weight: dict[str, float] = field(default_factory=dict)
    ratings_weight: dict[str, float] = field(default_factory=dict)
    iterations: int = 0


def _rating_votes(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (pair, annotator) the sign of the mean criterion margin, as a preference vote of the ratings source."""
    import numpy as np
    import pandas as pd

    if scores is None or scores.empty:
        return pd.DataFrame({"pair_id": [], "annotator": [], "preferred": []}, dtype=object)
    from rlhf_argilla.annotation.rating_sides import pair_blocks

    keys = ["pair_id", "annotator", "response"]  # one block of pairs at a time: the order does not matter
    means = [block.groupby(keys, sort=False)["score"].mean().unstack() for block in pair_blocks(scores)]
    by_response = pd.concat(means) if len(means) > 1 else means[0]
    if not {1, 2} <= set(by_response.columns):
        return pd.DataFrame({"pair_id": [], "annotator": [], "preferred": []}, dtype=object)
    margin = (by_response[1] - by_response[2]).dropna()
    votes = pd.Series(np.where(margin > 0, "1", np.where(margin < 0, "2", "tie")), index=margin.index)
    out = votes.rename("preferred").reset_index()
    out["annotator"] = out["annotator"].astype(str) + RATINGS_SOURCE
    return out


def fit_preferences(prefs: pd.DataFrame, scores: pd.DataFrame | None = None) -> PreferenceModel:
    """Fit Dawid–Skene on the direction of each pair, from rankings (``prefs``) and ratings (``scores``).

    Args:
        prefs: ``pair_id``, ``annotator``, ``preferred`` ("1" / "2" / "tie"), one row per submitted ranking.
        scores: the tidy ratings (``pair_id``, ``annotator``, ``question``, ``response``, ``score``), or None.

    Example:
        >>> import pandas as pd
        >>> prefs = pd.DataFrame({"pair_id": ["p"] * 3 + ["q"] * 3 + ["r"] * 3,
        ...     "annotator": ["x", "y", "z"] * 3, "preferred": ["1", "1", "2", "2", "2", "1", "tie", "tie", "1"]})
        >>> model = fit_preferences(prefs)
        >>> model.labels, sorted(model.competence) == ["x", "y", "z"]
        ({'p': '1', 'q': '2', 'r': 'tie'}, True)
    """
    import pandas as pd

    from rlhf_argilla.annotation.dawid_skene import chance_corrected, dawid_skene

    if prefs.empty:
        return PreferenceModel()
    votes = pd.concat([prefs[["pair_id", "annotator", "preferred"]], _rating_votes(scores)])
    decisive = votes[votes["preferred"].isin(list(_CODES))]
    pairs = sorted(prefs["pair_id"].unique())
    if decisive.empty:
        return PreferenceModel(labels=dict.fromkeys(pairs, "tie"))
    wide = decisive.assign(code=decisive["preferred"].map(_CODES)).pivot_table(
        index="pair_id", columns="annotator", values="code", aggfunc="first"
    )
    wide = wide.reindex(index=pairs)
    fitted: DawidSkene = dawid_skene(wide.fillna(-1).to_numpy(dtype=int), len(_CODES))
    names = [str(name) for name in wide.columns]
    weights = dict(zip(names, chance_corrected(fitted.competence, fitted.priors).tolist()))
    competence = dict(zip(names, fitted.competence.tolist()))
    tie_share = (prefs["preferred"] == "tie").groupby(prefs["pair_id"]).mean()
    labels = {}
    for pair, code in zip(pairs, fitted.labels().tolist()):
        labels[pair] = "tie" if code < 0 or tie_share.get(pair, 0.0) > 0.5 else PREFERENCE_LABELS[code]
    rankers = [name for name in names if not name.endswith(RATINGS_SOURCE)]
    return PreferenceModel(
        labels=labels,
        competence={name: competence[name] for name in rankers},
        weight={name: weights[name] for name in rankers},
        ratings_weight={
            name[: -len(RATINGS_SOURCE)]: weights[name] for name in names if name.endswith(RATINGS_SOURCE)
        },
        iterations=fitted.iterations,
    )
