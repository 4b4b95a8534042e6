"""Pure pair -> record conversion: A/B shuffle, metadata, suggestions, content hash."""

from __future__ import annotations

import pytest

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.records import a_is, pair_to_record, record_hash, undo_display
from rlhf_argilla.domain.criteria import CRITERION_IDS
from tests.annotation.pairs_factory import make_pair, make_pairs


def test_record_shows_both_texts_in_the_order_a_is_says():
    for pair in make_pairs(40):
        record = pair_to_record(pair)
        shown = record["metadata"][names.META_A_IS]
        originals = {1: pair.response_1.text, 2: pair.response_2.text}
        assert record["id"] == pair.pair_id
        assert record["fields"][names.FIELD_PROMPT] == pair.prompt
        assert record["fields"][names.FIELD_A] == originals[undo_display("a", shown)]
        assert record["fields"][names.FIELD_B] == originals[undo_display("b", shown)]


def test_ab_order_is_stable_and_roughly_balanced():
    ids = [pair.pair_id for pair in make_pairs(400)]
    first = [a_is(pair_id) for pair_id in ids]
    assert first == [a_is(pair_id) for pair_id in ids]
    swapped = first.count(2) / len(first)
    assert 0.4 < swapped < 0.6, swapped


def test_metadata_keeps_original_strategies_and_models_per_response():
    pair = make_pair(3).model_copy(update={"pair_kind": "close"})
    metadata = pair_to_record(pair)["metadata"]
    assert set(metadata) == set(names.METADATA_NAMES) - set(
        names.CONTROL_METADATA
    )  # those mark controls only
    assert (
        metadata["pair_kind"] == "close" and metadata["predicted_margin"] == pair.selection.predicted_margin
    )
    unknown = pair_to_record(make_pair(3))["metadata"]  # the factory's strategies are not ours: no kind
    assert make_pair(3).pair_kind is None and set(metadata) - set(unknown) == {"pair_kind"}
    assert metadata["strategy_1"] == pair.response_1.strategy and metadata["model_2"] == pair.response_2.model
    assert metadata[names.META_STRATEGIES] == sorted({pair.response_1.strategy, pair.response_2.strategy})
    assert (metadata["subtopic"], metadata["persona"], metadata["difficulty"]) == (
        pair.subtopic,
        pair.persona,
        pair.difficulty,
    )


def test_judge_scores_become_suggestions_on_the_displayed_side():
    pair = make_pair(5)
    record = pair_to_record(pair)
    shown_a = record["metadata"][names.META_A_IS]
    judges = {1: pair.response_1.judge, 2: pair.response_2.judge}
    by_question = {item["question_name"]: item for item in record["suggestions"]}
    for criterion_id in CRITERION_IDS:
        for side in names.SIDES:
            item = by_question[names.rating_question(criterion_id, side)]
            assert item["value"] == getattr(judges[undo_display(side, shown_a)], criterion_id)
            assert item["agent"] == judges[1].judge_model
    mean_a, mean_b = judges[undo_display("a", shown_a)].mean(), judges[undo_display("b", shown_a)].mean()
    if mean_a != mean_b:
        overall = by_question[names.OVERALL]
        assert overall["value"][0] == (names.FIELD_A if mean_a > mean_b else names.FIELD_B)
        assert len(overall["score"]) == 2 and all(0 <= s <= 1 for s in overall["score"])


def test_unjudged_pair_has_no_suggestions():
    assert pair_to_record(make_pair(1, judged=False))["suggestions"] == []


def test_content_hash_changes_with_any_pushed_content_and_only_then():
    pair = make_pair(7)
    record = pair_to_record(pair)
    assert record["metadata"][names.META_CONTENT_HASH] == record_hash(record)
    assert pair_to_record(pair) == record
    rejudged = pair.model_copy(
        update={
            "response_1": pair.response_1.model_copy(
                update={
                    "judge": pair.response_1.judge.model_copy(
                        update={"clarity": 6 - pair.response_1.judge.clarity}
                    )
                }
            )
        }
    )
    assert (
        pair_to_record(rejudged)["metadata"][names.META_CONTENT_HASH]
        != record["metadata"][names.META_CONTENT_HASH]
    )
    moved = pair.model_copy(update={"difficulty": "advanced" if pair.difficulty != "advanced" else "basic"})
    assert (
        pair_to_record(moved)["metadata"][names.META_CONTENT_HASH]
        != record["metadata"][names.META_CONTENT_HASH]
    )


def test_undo_display_rejects_nonsense():
    with pytest.raises(ValueError):
        undo_display("c", 1)
