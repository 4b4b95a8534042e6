"""The preference model's vote matrix, built from codes, holds what a pivot of vote strings holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rlhf_argilla.annotation import ds_preferences
from rlhf_argilla.annotation.ds_preferences import RATINGS_SOURCE, fit_preferences


def _frames(seed: int):
    rng = np.random.default_rng(seed)
    pairs = [f"p{number:03d}" for number in range(60)]
    prefs = pd.DataFrame(
        [
            (pair, who, rng.choice(["1", "2", "tie"], p=[0.45, 0.35, 0.2]))
            for pair in pairs
            for who in ("ann", "bob", "cy")
            if rng.random() > 0.15
        ],
        columns=["pair_id", "annotator", "preferred"],
    )
    rows = [
        (pair, who, question, side, int(rng.integers(1, 6)))
        for pair in pairs[5:] + ["only-rated"]  # one pair has ratings but no ranking
        for who in ("ann", "bob", "dee")  # dee rates but never ranks
        for question in ("safety", "clarity")
        for side in (1, 2)
        if rng.random() > 0.1
    ]
    scores = pd.DataFrame(rows, columns=["pair_id", "annotator", "question", "response", "score"])
    return prefs, scores.astype({"response": "int8", "score": "int8"})


def _pivot_reference(prefs: pd.DataFrame, scores: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The matrix as a pivot of vote strings gives it (the way it was built before)."""
    means = scores.groupby(["pair_id", "annotator", "response"])["score"].mean().unstack()
    margin = (means[1] - means[2]).dropna()
    rated = pd.DataFrame(
        {"preferred": np.where(margin > 0, "1", np.where(margin < 0, "2", "tie"))}, index=margin.index
    ).reset_index()
    rated["annotator"] = rated["annotator"].astype(str) + RATINGS_SOURCE
    votes = pd.concat([prefs, rated])
    decisive = votes[votes["preferred"].isin(["1", "2"])]
    wide = decisive.assign(code=decisive["preferred"].map({"1": 0, "2": 1})).pivot_table(
        index="pair_id", columns="annotator", values="code", aggfunc="first"
    )
    wide = wide.reindex(index=sorted(prefs["pair_id"].astype(str).unique()))
    return wide.fillna(-1).to_numpy(dtype=int), [str(name) for name in wide.columns]


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vote_matrix_equals_the_pivot_of_vote_strings(seed, categorical):
    prefs, scores = _frames(seed)
    if categorical:  # as a pull's judgement views hold them: codes with one vocabulary
        ids = pd.CategoricalDtype(sorted({*prefs["pair_id"], *scores["pair_id"]}))
        prefs = prefs.astype({"pair_id": ids, "annotator": "category"})
        scores = scores.astype({"pair_id": ids, "annotator": "category", "question": "category"})
    pairs = pd.Index(sorted(prefs["pair_id"].astype(str).unique()))

    matrix, names = ds_preferences._vote_matrix(prefs, ds_preferences._rating_margins(scores), pairs)
    expected, expected_names = _pivot_reference(prefs.astype(str), scores.astype({"pair_id": str}))

    assert names == expected_names and f"dee{RATINGS_SOURCE}" in names
    np.testing.assert_array_equal(matrix, expected)
    assert (matrix >= 0).sum() > 200  # the frames hold decisive votes from both sources


def test_a_model_fitted_on_codes_equals_one_on_plain_strings():
    prefs, scores = _frames(3)
    ids = pd.CategoricalDtype(sorted({*prefs["pair_id"], *scores["pair_id"]}))
    coded = fit_preferences(
        prefs.astype({"pair_id": ids, "annotator": "category"}),
        scores.astype({"pair_id": ids, "annotator": "category"}),
    )
    plain = fit_preferences(prefs, scores)

    assert coded == plain and len(plain.labels) == prefs["pair_id"].nunique()
    assert set(plain.ratings_weight) == {"ann", "bob", "dee"}
