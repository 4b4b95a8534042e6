"""The blockwise, code-based views of the ratings equal the pivot tables and merges they replace."""

from __future__ import annotations

import pandas as pd
import pytest

from rlhf_argilla.annotation import agreement, rating_sides, suggested, tidy_codes
from rlhf_argilla.annotation.aggregate import aggregate
from rlhf_argilla.annotation.judgements import Judgements
from rlhf_argilla.annotation.pull import annotations_frame, record_row, response_rows
from rlhf_argilla.annotation.reliability_data import control_answers
from rlhf_argilla.annotation.reliability_flags import Thresholds, reliability_summary
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from rlhf_argilla.annotation.suggested import suggestion_hits, suggestion_rows, suggestions_frame
from tests.annotation.api_records import api_records

USERS = {"u1": "sim-annotator-1", "u2": "sim-annotator-2", "u3": "alice"}
NAMES = {f"{c}_{s}": f"{c}_{s}" for c in ("accuracy", "safety", "clarity") for s in "ab"}


@pytest.fixture(scope="module")
def tables():
    records = list(
        api_records(150, SimulationConfig(annotators=3, seed=7, accept_rate=0.3), control_every=10)
    )
    annotations = annotations_frame([row for record in records for row in response_rows(record, USERS)])
    table = pd.DataFrame([record_row(record) for record in records])
    suggestions = suggestions_frame(
        [row for record in records for row in suggestion_rows(record, NAMES, record["metadata"]["a_is"])]
    )
    return annotations, table, suggestions


def test_rating_sides_equal_the_pivot_of_both_sides(tables):
    scores = agreement.ratings(tables[0])
    wide = scores.pivot_table(index=rating_sides.KEYS, columns="response", values="score")
    expected = wide.rename(columns={1: "score_1", 2: "score_2"}).reset_index()
    expected.columns.name = None

    got = rating_sides.rating_sides(scores)

    pd.testing.assert_frame_equal(got, expected[got.columns], check_dtype=False)
    assert got["score_1"].notna().sum() > 1000


def test_criterion_means_equal_the_pivot_per_pair(tables):
    scores = agreement.ratings(tables[0])
    expected = scores.pivot_table(index="pair_id", columns=["question", "response"], values="score")
    expected.columns = [f"{question}_{response}" for question, response in expected.columns]

    got = rating_sides.criterion_means(scores).reindex(index=expected.index, columns=expected.columns)

    pd.testing.assert_frame_equal(got, expected, check_names=False)


def test_suggestion_hits_equal_the_merge(tables):
    annotations, _, suggestions = tables
    scores = agreement.ratings(annotations)
    joined = scores.merge(suggestions, on=["pair_id", "question", "response"], how="inner")
    expected = (joined["score"] == joined["value"]).groupby(joined["annotator"]).agg(["mean", "size"])

    hits = suggestion_hits(scores, suggestions)
    got = hits["hit"].groupby(hits["annotator"]).agg(["mean", "size"])

    pd.testing.assert_frame_equal(got, expected)
    assert 0 < got["mean"].min() < 1


def test_small_blocks_and_slices_give_the_same_figures(tables, monkeypatch):
    annotations, records, suggestions = tables
    controls = control_answers(records)

    def figures():
        judged = Judgements.of(annotations)
        ordinary = judged.without("pair_id", controls)
        return (
            agreement.agreement_summary(ordinary),
            reliability_summary(judged, records, controls, suggestions, Thresholds()),
            [aggregate(judged, records, method=method) for method in ("majority", "mean", "dawid-skene")],
        )

    whole = figures()
    monkeypatch.setattr(rating_sides, "BLOCK_PAIRS", 7)  # pairs split over many blocks
    monkeypatch.setattr(tidy_codes, "SLICE_ROWS", 97)  # responses and ratings split across slices
    pieces = figures()
    assert len(tidy_codes.row_slices(len(annotations))) > 10  # the patch reaches every slicer

    assert pieces[0] == whole[0] and pieces[1] == whole[1]
    for got, expected in zip(pieces[2], whole[2]):
        pd.testing.assert_frame_equal(got, expected)
    assert whole[0]["alpha"]["overall"] is not None and len(whole[2][0]) > 100


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("categorical", [False, True])
def test_a_suggestion_on_a_pair_nobody_rated_is_ignored_without_a_deprecated_pandas_call(categorical):
    # pandas 3 warns (and 4 will raise) when a Categorical is built from values outside its categories
    scores = pd.DataFrame(
        {
            "pair_id": ["p", "p"],
            "annotator": ["x", "y"],
            "question": ["safety"] * 2,
            "response": [1, 1],
            "score": [4, 3],
        }
    )
    if categorical:
        scores = scores.astype({"pair_id": "category", "question": "category"})
    hints = pd.DataFrame(
        {"pair_id": ["p", "q"], "question": ["safety", "clarity"], "response": [1, 1], "value": [4, 2]}
    )
    hits = suggested.suggestion_hits(scores, hints)
    assert hits.to_dict("records") == [{"annotator": "x", "hit": True}, {"annotator": "y", "hit": False}]
