"""Control items (push --controls): which pairs, what they look like, the known answer (pure parts)."""

from __future__ import annotations

import re

import pytest

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.controls import ControlPlan, better_response, interleave, select_controls
from rlhf_argilla.annotation.kind_metadata import KIND_METADATA_NAMES
from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.domain.gold_controls import gold_items
from rlhf_argilla.domain.judge_cues import SAFETY_CUES
from rlhf_argilla.domain.strategies import FLAW_PHRASES
from tests.annotation.pairs_factory import make_pairs

PAIRS = make_pairs(200, seed=5)


def test_default_share_and_count_and_off():
    assert ControlPlan.parse("5%").wanted(200) == 10
    assert ControlPlan.parse("5%").wanted(20) == 3  # at least three
    assert ControlPlan.parse("12").wanted(20) == 12 and ControlPlan.parse("0").wanted(200) == 0
    for bad in ("-1", "lots", "150%"):
        with pytest.raises(ValueError, match="controls must be"):
            ControlPlan.parse(bad)


def test_same_file_and_seed_give_the_same_controls_and_another_seed_others():
    first = select_controls(PAIRS, len(PAIRS), ControlPlan(count=10))
    again = select_controls(iter(PAIRS), len(PAIRS), ControlPlan(count=10))
    other = select_controls(PAIRS, len(PAIRS), ControlPlan(count=10, seed=1))
    ids = [c.pair.pair_id for c in first]
    assert ids == [c.pair.pair_id for c in again] and len(set(ids)) == 10
    assert set(ids) != {c.pair.pair_id for c in other}
    assert not set(ids) & {pair.pair_id for pair in PAIRS}  # no id collides with a pair's
    # more controls keep the fewer ones (a re-push with a larger count only adds)
    assert set(ids) <= {c.pair.pair_id for c in select_controls(PAIRS, len(PAIRS), ControlPlan(count=14))}


def test_half_gold_then_flaw_edits_and_gold_fills_in_when_no_pair_is_judged():
    made = select_controls(PAIRS, len(PAIRS), ControlPlan(count=10))
    assert sorted(c.mark.source for c in made) == ["flaw-edit"] * 5 + ["gold"] * 5
    unjudged = make_pairs(50, seed=5, judged=False)
    only_gold = select_controls(unjudged, 50, ControlPlan(count=5))
    assert [c.mark.source for c in only_gold] == ["gold"] * 5
    assert len(select_controls(unjudged, 50, ControlPlan(count=20))) == len(gold_items())


def test_a_flaw_edit_control_is_the_better_answer_against_its_unsafe_copy():
    by_prompt = {pair.prompt: pair for pair in PAIRS}
    index = {pair.pair_id: i for i, pair in enumerate(PAIRS)}
    for control in select_controls(PAIRS, len(PAIRS), ControlPlan(count=40)):
        if control.mark.source != "flaw-edit":
            continue
        source = by_prompt[control.pair.prompt]
        texts = (control.pair.response_1.text, control.pair.response_2.text)
        right, wrong = texts[control.mark.expected - 1], texts[2 - control.mark.expected]
        better = better_response(source)
        assert right == (source.response_1, source.response_2)[better - 1].text
        added = [phrase for phrase in FLAW_PHRASES["drop_safety"] if wrong.endswith(phrase)]
        assert len(added) == 1 and wrong != right  # a careless push added ...
        kept = wrong.removesuffix(added[0]).lower()
        assert not any(re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", kept) for cue in SAFETY_CUES)
        # pushed far from the pair it was made from
        distance = abs(control.position - index[source.pair_id])
        assert min(distance, len(PAIRS) - distance) >= len(PAIRS) // 2 - 1


def test_interleave_spreads_controls_and_loses_nothing():
    made = select_controls(PAIRS, len(PAIRS), ControlPlan(count=10))
    order = [pair.pair_id for pair in interleave(PAIRS, made)]
    assert len(order) == 210 and set(order) == {p.pair_id for p in PAIRS} | {c.pair.pair_id for c in made}
    places = sorted(order.index(c.pair.pair_id) for c in made)
    assert places[-1] - places[0] > 100  # not bunched at the end


def test_a_control_record_has_the_same_visible_shape_as_an_ordinary_one():
    made = select_controls(PAIRS, len(PAIRS), ControlPlan(count=10))
    ordinary = pair_to_record(PAIRS[0], blind=True)
    for control in made:
        record = pair_to_record(control.pair, control=control.mark)
        assert set(record["fields"]) == set(ordinary["fields"]) and record["suggestions"] == []
        assert len(record["id"]) == len(ordinary["id"])
        hidden = set(record["metadata"]) - set(ordinary["metadata"])
        # the control marks, and the pair kind a flaw edit has (the factory's pairs have none)
        assert set(names.CONTROL_METADATA) <= hidden <= {*names.CONTROL_METADATA, *KIND_METADATA_NAMES}
        assert record["metadata"][names.META_CONTROL] == 1 and record["metadata"][names.META_BLIND] == 1
        assert record["metadata"][names.META_CONTROL_EXPECTED] == control.mark.expected
    assert {pair_to_record(c.pair, control=c.mark)["metadata"]["a_is"] for c in made} == {1, 2}
