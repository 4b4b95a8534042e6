"""Pure: the two sides of every criterion rating side by side, one row per (pair, annotator, criterion).

Reliability (rated direction) and aggregation (the margin) compare an annotator's score of
response 1 with their score of response 2. A ``pivot_table`` of the ~3 M rated rows of 100k
records holds several 3-level indexes at once; here the rows are numbered by their group once
and each side's mean is a ``numpy.bincount``, so the only large temporaries are two int arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KEYS", "rating_sides", "annotator_margins"]

KEYS: list[str] = ["pair_id", "annotator", "question"]


def rating_sides(scores: pd.DataFrame) -> pd.DataFrame:
    """``KEYS`` + ``score_1``, ``score_2``: each side's mean score (NaN: that side not rated), sorted by ``KEYS``.

    Args:
        scores: ``agreement.ratings`` (``response`` 1 / 2, ``score``).

    Returns:
        The rows a ``pivot_table(index=KEYS, columns="response", values="score")`` would hold.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["q", "p", "p"], "annotator": ["x"] * 3,
        ...     "question": ["safety"] * 3, "response": [1, 2, 1], "score": [3, 2, 5]})
        >>> rating_sides(rows).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
        [{'pair_id': 'p', 'annotator': 'x', 'question': 'safety', 'score_1': 5.0, 'score_2': 2.0},
         {'pair_id': 'q', 'annotator': 'x', 'question': 'safety', 'score_1': 3.0, 'score_2': nan}]
    """
    import numpy as np

    grouped = scores.groupby(KEYS, observed=True, sort=True)
    group = grouped.ngroup().to_numpy()
    count = grouped.ngroups
    _, first = np.unique(group, return_index=True)
    out = scores[KEYS].iloc[first].reset_index(drop=True)
    side, score = scores["response"].to_numpy(), scores["score"].to_numpy(dtype=float)
    for number in (1, 2):
        mine = side == number
        total = np.bincount(group[mine], weights=score[mine], minlength=count)
        rated = np.bincount(group[mine], minlength=count)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"score_{number}"] = np.where(rated > 0, total / np.maximum(rated, 1), np.nan)
    return out


def annotator_margins(scores: pd.DataFrame) -> pd.Series:
    """Per (pair, annotator): the mean over criteria of score 1 minus score 2 (NaN: no criterion has both).

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p"] * 4, "annotator": ["x"] * 4,
        ...     "question": ["safety", "safety", "clarity", "clarity"], "response": [1, 2, 1, 2], "score": [5, 1, 2, 3]})
        >>> annotator_margins(rows).to_dict()
        {('p', 'x'): 1.5}
    """
    sides = rating_sides(scores)
    difference = sides["score_1"] - sides["score_2"]
    return difference.groupby([sides["pair_id"], sides["annotator"]], observed=True).mean()
