"""Pure allocation of prompts over subtopic x persona x difficulty."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.errors import GenerationError
from rlhf_argilla.generation.allocation import allocate, apportion, load_gap_weights, select_subtopics


def test_uniform_120_gives_every_subtopic_at_least_five_percent():
    slots = allocate(120)
    counts = Counter(slot.subtopic for slot in slots)
    assert len(slots) == 120 and set(counts) == set(SUBTOPIC_IDS)
    assert min(counts.values()) / 120 >= 0.05 and max(counts.values()) - min(counts.values()) <= 1
    assert [slot.index for slot in slots] == list(range(120))


def test_persona_and_difficulty_are_spread_within_a_subtopic():
    slots = [slot for slot in allocate(300) if slot.subtopic == "running"]  # 20 slots
    assert len({(slot.persona, slot.difficulty) for slot in slots}) == len(slots)
    assert len({slot.persona for slot in slots}) >= 8 and {slot.difficulty for slot in slots} == {
        level.id for level in DIFFICULTIES
    }
    assert {slot.persona for slot in allocate(3000)} == {persona.id for persona in PERSONAS}


def test_same_seed_same_slots_other_seed_other_order():
    assert allocate(60, seed=7) == allocate(60, seed=7)
    assert allocate(60, seed=7) != allocate(60, seed=8)


def test_weights_follow_the_gaps_report(tmp_path):
    weights = {key: 0.01 for key in SUBTOPIC_IDS} | {"supplements": 0.5, "running": 0.37}  # sums to 1
    gaps = tmp_path / "gaps.json"
    gaps.write_text(
        json.dumps(
            {
                "subtopics": {
                    key: {"count": 1, "share_of_fitness": 0.1, "weight": value}
                    for key, value in weights.items()
                }
            }
        )
    )
    counts = Counter(slot.subtopic for slot in allocate(100, weights=load_gap_weights(tmp_path)))
    assert counts["supplements"] == 50 and counts["running"] == 37
    assert sum(counts.values()) == 100


def test_subtopic_filter_and_its_errors():
    assert {slot.subtopic for slot in allocate(10, ["running", "supplements"])} == {"running", "supplements"}
    with pytest.raises(GenerationError, match="unknown subtopic.*nope"):
        select_subtopics(["running", "nope"])
    with pytest.raises(GenerationError, match="selects nothing"):
        select_subtopics([" ", ""])
    with pytest.raises(GenerationError, match="zero weight"):
        allocate(10, ["running"], weights={"supplements": 1.0})


def test_apportion_is_exact_and_stable():
    assert apportion(7, {"a": 0.5, "b": 0.25, "c": 0.25}) == {"a": 3, "b": 2, "c": 2}  # 3.5, 1.75, 1.75
    assert sum(apportion(1000, {key: i + 1 for i, key in enumerate(SUBTOPIC_IDS)}).values()) == 1000


def test_bad_gaps_file_is_a_one_line_error(tmp_path):
    with pytest.raises(GenerationError, match="not found; run the analysis \\(`rlhf-argilla analyze`\\)"):
        load_gap_weights(tmp_path / "missing.json")
    broken = tmp_path / "gaps.json"
    broken.write_text("{not json")
    with pytest.raises(GenerationError, match="re-run analyze"):
        load_gap_weights(broken)
