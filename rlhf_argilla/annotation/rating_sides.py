"""Pure: the two sides of every criterion rating side by side, one row per (pair, annotator, criterion).

Reliability (rated direction) and aggregation (the margin) compare an annotator's score of
response 1 with their score of response 2. A ``pivot_table`` of the ~3 M rated rows of 100k
records holds several 3-level indexes at once; here the rows are numbered by their group once
and each side's mean is a ``numpy.bincount``, one block of pairs at a time (a pair's rows are
all in its block, and blocks follow the sorted pair order, so the joined result is sorted too).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "KEYS",
    "BLOCK_PAIRS",
    "pair_blocks",
    "rating_cells",
    "rating_sides",
    "annotator_margins",
    "criterion_means",
]

KEYS: list[str] = ["pair_id", "annotator", "question"]
#: pairs (in sorted order) whose ratings are paired at a time: one block's group numbers, not 3 M
BLOCK_PAIRS = 10_000


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
    import pandas as pd

    parts = [_sides(block) for block in pair_blocks(scores)]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def pair_blocks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The rows of ``frame`` by blocks of :data:`BLOCK_PAIRS` pair ids, in sorted pair order (at least one).

    Example:
        >>> import pandas as pd
        >>> [len(block) for block in pair_blocks(pd.DataFrame({"pair_id": ["b", "a", "b"]}))]
        [3]
    """
    from rlhf_argilla.annotation.tidy_codes import column_codes

    pair, pairs = column_codes(frame["pair_id"])
    for start in range(0, max(len(pairs), 1), BLOCK_PAIRS):
        yield frame[(pair >= start) & (pair < start + BLOCK_PAIRS)]


def _sides(scores: pd.DataFrame) -> pd.DataFrame:
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
    import pandas as pd

    parts = [_margins(_sides(block)) for block in pair_blocks(scores)]  # blocks in sorted pair order
    return pd.concat(parts) if len(parts) > 1 else parts[0]


def _margins(sides: pd.DataFrame) -> pd.Series:
    difference = sides["score_1"] - sides["score_2"]
    return difference.groupby([sides["pair_id"], sides["annotator"]], observed=True).mean()


def rating_cells(pair: np.ndarray, question: np.ndarray, side: np.ndarray, questions: int) -> np.ndarray:
    """One integer per (pair code, question code, side 1 / 2): ``(pair x questions + question) x 2 + side - 1``;
    -1 where a code is missing (-1) or the side is neither 1 nor 2.

    Example:
        >>> import numpy as np
        >>> rating_cells(np.array([0, 1, -1, 1]), np.array([1, 0, 0, 1]), np.array([2, 1, 1, 3]), 2).tolist()
        [3, 4, -1, -1]
    """
    import numpy as np

    valid = (pair >= 0) & (question >= 0) & ((side == 1) | (side == 2))
    cell = (pair.astype(np.int64) * questions + question) * 2 + side.astype(np.int64) - 1
    return np.where(valid, cell, -1)


def criterion_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Per pair (index, sorted) the mean score over annotators of each ``{question}_{response}`` column.

    The cells a ``pivot_table(index="pair_id", columns=["question", "response"], aggfunc="mean")``
    holds (NaN where nobody rated), from sums and counts over pair x question x side codes.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p", "p", "q"], "annotator": ["x", "y", "x"],
        ...     "question": ["safety"] * 3, "response": [1, 1, 2], "score": [5, 2, 4]})
        >>> criterion_means(rows).to_dict("index")
        {'p': {'safety_1': 3.5, 'safety_2': nan}, 'q': {'safety_1': nan, 'safety_2': 4.0}}
    """
    import numpy as np
    import pandas as pd

    from rlhf_argilla.annotation.tidy_codes import column_codes, row_slices

    pair, pairs = column_codes(scores["pair_id"])
    question, questions = column_codes(scores["question"])
    side, score = scores["response"].to_numpy(), scores["score"].to_numpy()
    size = len(pairs) * len(questions) * 2
    total, rated = np.zeros(size), np.zeros(size, dtype=np.int64)
    for at in row_slices(len(scores)):  # sums of small integers: exact in any order
        cell = rating_cells(pair[at], question[at], side[at], len(questions))
        valid = cell >= 0
        total += np.bincount(cell[valid], weights=score[at][valid].astype(float), minlength=size)
        rated += np.bincount(cell[valid], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(rated > 0, total / np.maximum(rated, 1), np.nan).reshape(
            len(pairs), len(questions) * 2
        )
    columns = [f"{name}_{number}" for name in questions for number in (1, 2)]
    return pd.DataFrame(means, index=pd.Index(pairs, name="pair_id"), columns=columns)
