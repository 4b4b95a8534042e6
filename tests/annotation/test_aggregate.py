"""One judgement per pair: majority / mean of criteria, margin, agreement, metadata carried."""

from __future__ import annotations

import pandas as pd
import pytest

from rlhf_argilla.annotation.aggregate import aggregate
from rlhf_argilla.schema import aggregated_columns
from tests.annotation.annotation_rows import response_rows, table

ALL_FIVE = ("accuracy", "safety", "clarity", "completeness", "actionability")


def _scores(first: int, second: int) -> dict[str, tuple[int, int]]:
    return {name: (first, second) for name in ALL_FIVE}


def _records(*pair_ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "pair_id": pid,
                "prompt": f"Q {pid}",
                "response_1": "one",
                "response_2": "two",
                "subtopic": "strength",
                "persona": "beginner",
                "difficulty": "easy",
                "strategy_1": "s1",
                "strategy_2": "s2",
                "model_1": "m1",
                "model_2": "m2",
            }
            for pid in pair_ids
        ]
    )


def test_majority_vote_with_margin_and_agreement():
    rows = table(
        response_rows("p", "a", ranks=(1, 2), scores=_scores(5, 3)),
        response_rows("p", "b", ranks=(1, 2), scores=_scores(4, 4)),
        response_rows("p", "c", ranks=(2, 1), scores=_scores(2, 3)),
    )

    [row] = aggregate(rows, _records("p")).to_dict("records")

    assert row["preferred"] == "1"
    assert row["agreement"] == pytest.approx(2 / 3, abs=1e-6)
    assert row["n_annotators"] == 3
    assert row["safety_1"] == pytest.approx(11 / 3) and row["safety_2"] == pytest.approx(10 / 3)
    assert row["margin"] == pytest.approx((2 + 0 - 1) / 3, abs=1e-6)
    assert (row["subtopic"], row["model_2"], row["prompt"]) == ("strength", "m2", "Q p")


def test_split_vote_is_settled_by_the_criteria_margin():
    rows = table(
        response_rows("p", "a", ranks=(1, 2), scores=_scores(3, 3)),
        response_rows("p", "b", ranks=(2, 1), scores=_scores(2, 4)),
    )

    [row] = aggregate(rows, _records("p")).to_dict("records")

    assert row["preferred"] == "2"
    assert row["agreement"] == 0.5


def test_mean_method_ignores_votes_and_honours_the_tie_margin():
    rows = table(response_rows("p", "a", ranks=(2, 1), scores={**_scores(4, 4), "safety": (5, 4)}))

    by_mean = aggregate(rows, _records("p"), method="mean").iloc[0]
    wide_tie = aggregate(rows, _records("p"), method="mean", tie_margin=0.5).iloc[0]

    assert by_mean["preferred"] == "1" and by_mean["margin"] == pytest.approx(0.2)
    assert by_mean["agreement"] == 0.0  # the one annotator ranked 2 first
    assert wide_tie["preferred"] == "tie"


def test_only_pairs_with_a_submitted_response_appear_in_schema_order():
    rows = table(
        response_rows("p", "a", ranks=(1, 1), scores=_scores(3, 3)),
        response_rows("q", "a", status="draft", ranks=(1, 2)),
        response_rows("r", "b", status="discarded"),
    )

    out = aggregate(rows, _records("p", "q", "r"))

    assert tuple(out.columns) == aggregated_columns()
    assert out["pair_id"].tolist() == ["p"]
    assert out.iloc[0]["preferred"] == "tie"


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="majority, mean"):
        aggregate(table(response_rows("p", "a", ranks=(1, 2))), _records("p"), method="median")
