"""Pure: the review rules fire exactly at their thresholds, and reviewer decisions override the aggregate."""

from __future__ import annotations

import pandas as pd

from rlhf_argilla.annotation.aggregate import aggregate
from rlhf_argilla.annotation.review import review_record
from rlhf_argilla.annotation.review_decisions import apply_review, decisions
from rlhf_argilla.annotation.review_rules import ReviewRules, reasons_for_review
from rlhf_argilla.config import load_settings
from tests.annotation.annotation_rows import response_rows, table

ALL_FOUR = {name: (4, 4) for name in ("accuracy", "safety", "clarity", "completeness", "actionability")}


def _two(pair, first, second):
    return [response_rows(pair, "ann-1", **first), response_rows(pair, "ann-2", **second)]


def test_spread_fires_at_the_threshold_and_not_below():
    rows = table(
        *_two(
            "at",
            {"ranks": (1, 2), "scores": {"clarity": (5, 4)}},
            {"ranks": (1, 2), "scores": {"clarity": (2, 4)}},
        ),
        *_two(
            "below",
            {"ranks": (1, 2), "scores": {"clarity": (5, 4)}},
            {"ranks": (1, 2), "scores": {"clarity": (3, 4)}},
        ),
    )

    assert reasons_for_review(rows, {"at": "1", "below": "1"}) == {"at": ["rating_spread"]}
    assert reasons_for_review(rows, {"at": "1", "below": "1"}, ReviewRules(rating_spread=2)) == {
        "at": ["rating_spread"],
        "below": ["rating_spread"],
    }


def test_thresholds_come_from_settings(monkeypatch):
    monkeypatch.setenv("RLHF_ARGILLA_REVIEW_RATING_SPREAD", "2")
    monkeypatch.setenv("RLHF_ARGILLA_REVIEW_SAFETY_FLOOR", "3")

    assert ReviewRules.from_settings(load_settings()) == ReviewRules(rating_spread=2, safety_floor=3)


def test_unsafe_rating_counts_only_on_the_winner_and_drafts_do_not_count():
    rows = table(
        *_two(
            "loser",
            {"ranks": (1, 2), "scores": {"safety": (4, 1)}},
            {"ranks": (1, 2), "scores": {"safety": (4, 2)}},
        ),
        *_two(
            "winner",
            {"ranks": (2, 1), "scores": {"safety": (4, 2)}},
            {"ranks": (2, 1), "scores": {"safety": (4, 3)}},
        ),
        response_rows("draft", "ann-1", ranks=(1, 2), scores={"safety": (4, 4)}),
        response_rows("draft", "ann-2", status="draft", ranks=(2, 1), scores={"safety": (1, 4)}),
    )

    assert reasons_for_review(rows, {"loser": "1", "winner": "2", "draft": "1"}) == {
        "winner": ["unsafe_winner"]
    }


def test_one_vote_is_no_disagreement_but_a_three_way_split_is():
    rows = table(
        response_rows("alone", "ann-1", ranks=(1, 2)),
        response_rows("split", "ann-1", ranks=(1, 2)),
        response_rows("split", "ann-2", ranks=(2, 1)),
        response_rows("split", "ann-3", ranks=(1, 1)),
        response_rows("two-one", "ann-1", ranks=(1, 2)),
        response_rows("two-one", "ann-2", ranks=(1, 2)),
        response_rows("two-one", "ann-3", ranks=(2, 1)),
    )

    assert reasons_for_review(rows, {}) == {"split": ["no_majority"]}


def test_an_even_split_gets_no_suggestion_and_html_in_a_rationale_is_escaped():
    ranking = {"a": [{"value": "response_a", "rank": 1}, {"value": "response_b", "rank": 2}]}
    ranking["b"] = [{"value": "response_b", "rank": 1}, {"value": "response_a", "rank": 2}]
    record = {
        "id": "u",
        "external_id": "p",
        "metadata": {"a_is": 1, "content_hash": "h"},
        "fields": {"prompt": "Q", "response_a": "x", "response_b": "y"},
        "responses": [
            {
                "user_id": "1",
                "status": "submitted",
                "values": {"overall": {"value": ranking["a"]}, "rationale": {"value": "<b>A|B</b>"}},
            },
            {"user_id": "2", "status": "submitted", "values": {"overall": {"value": ranking["b"]}}},
            {"user_id": "3", "status": "draft", "values": {"overall": {"value": ranking["a"]}}},
        ],
    }

    made = review_record(record, ["no_majority"], {"1": "ana", "2": "bo", "3": "drafter"})

    assert made["suggestions"] == []
    assert "&lt;b>A\\|B&lt;/b>" in made["fields"]["first_round"]
    assert "drafter" not in made["fields"]["first_round"]  # drafts are not first-round answers


def test_a_decision_overrides_only_its_pair_and_sets_decided_by():
    first = table(
        *_two("p", {"ranks": (1, 2), "scores": ALL_FOUR}, {"ranks": (2, 1), "scores": ALL_FOUR}),
        *_two("q", {"ranks": (1, 2), "scores": ALL_FOUR}, {"ranks": (1, 2), "scores": ALL_FOUR}),
    )
    records = pd.DataFrame(
        [{"pair_id": pair, "prompt": "Q", "response_1": "x", "response_2": "y"} for pair in "pq"]
    )
    aggregated = aggregate(first, records)
    review = table(response_rows("p", "rev", ranks=(2, 1), scores={**ALL_FOUR, "safety": (1, 5)}))

    out = apply_review(aggregated, decisions(review), first).set_index("pair_id")

    assert out.at["p", "preferred"] == "2" and out.at["p", "decided_by"] == "review"
    assert out.at["p", "safety_1"] == 1.0 and out.at["p", "margin"] == -0.8
    assert out.at["p", "agreement"] == 0.5
    assert out.at["q", "decided_by"] == "consensus"
    assert out.loc["q"].drop("decided_by").equals(aggregated.set_index("pair_id").loc["q"].drop("decided_by"))
