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

import numpy as np

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


def _rating_margins(scores: pd.DataFrame | None) -> pd.Series:
    """Per (pair, annotator) the mean score of response 1 minus that of response 2 (rated both only):
    its sign is the preference vote of the annotator's ratings source."""
    import pandas as pd

    none = pd.Series(
        [], dtype=float, index=pd.MultiIndex.from_arrays([[], []], names=["pair_id", "annotator"])
    )
    if scores is None or scores.empty:
        return none
    from rlhf_argilla.annotation.rating_sides import pair_blocks

    keys = ["pair_id", "annotator", "response"]  # one block of pairs at a time: the order does not matter
    means = [block.groupby(keys, sort=False)["score"].mean().unstack() for block in pair_blocks(scores)]
    by_response = pd.concat(means) if len(means) > 1 else means[0]
    if not {1, 2} <= set(by_response.columns):
        return none
    return (by_response[1] - by_response[2]).dropna()


def _vote_matrix(prefs: pd.DataFrame, margins: pd.Series, pairs: pd.Index) -> tuple[np.ndarray, list[str]]:
    """pairs x sources class codes (-1: no decisive vote) and the source names, sorted: each
    annotator's ranking (``prefs``) and ratings (``margins``, named with :data:`RATINGS_SOURCE`).

    Built from codes, not from a table of vote strings (600k votes at 100k records).
    """
    import numpy as np
    import pandas as pd

    ranked = prefs["preferred"].map(_CODES)
    decisive = ranked.notna().to_numpy()
    rated = margins[margins != 0]
    votes = (
        (prefs["pair_id"][decisive], prefs["annotator"][decisive], ranked[decisive].to_numpy(int), ""),
        (
            rated.index.get_level_values(0),
            rated.index.get_level_values(1),
            np.where(rated.to_numpy() > 0, _CODES["1"], _CODES["2"]),
            RATINGS_SOURCE,
        ),
    )
    who = [pd.factorize(pd.Series(annotators)) for _, annotators, _, _ in votes]
    names = sorted({f"{name}{suffix}" for (_, found), (*_, suffix) in zip(who, votes) for name in found})
    column = {name: at for at, name in enumerate(names)}
    matrix = np.full((len(pairs), len(names)), -1, dtype=int)
    for (pair_ids, _, codes, suffix), (annotator, found) in zip(votes, who):
        row = _positions(pair_ids, pairs)
        col = np.array([column[f"{name}{suffix}"] for name in found], dtype=int)[annotator]
        known = row >= 0
        matrix[row[known], col[known]] = codes[known]
    return matrix, names


def _positions(values: pd.Series | pd.Index, index: pd.Index) -> np.ndarray:
    """Where each of ``values`` is in ``index`` (-1: absent); a categorical is looked up per category."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        categorical = pd.Categorical(values)  # its codes, not a copy of its strings
        at = np.append(index.get_indexer(categorical.categories.astype(str)), -1)  # code -1: missing
        return at[categorical.codes]
    return index.get_indexer(pd.Index(values).astype(str))


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
    pairs = pd.Index(sorted(map(str, prefs["pair_id"].unique())))
    matrix, names = _vote_matrix(prefs, _rating_margins(scores), pairs)
    if not names:
        return PreferenceModel(labels=dict.fromkeys(pairs, "tie"))
    fitted: DawidSkene = dawid_skene(matrix, len(_CODES))
    weights = dict(zip(names, chance_corrected(fitted.competence, fitted.priors).tolist()))
    competence = dict(zip(names, fitted.competence.tolist()))
    tie_share = (prefs["preferred"] == "tie").groupby(prefs["pair_id"]).mean()
    labels = {}
    for pair, code in zip(pairs.tolist(), fitted.labels().tolist()):
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
