"""Near-duplicate removal (MinHash LSH, confirmed by exact Jaccard) and text distance."""

from __future__ import annotations

from rlhf_argilla.generation.similarity import NearDuplicateIndex, dedupe, jaccard_distance

BASE = "I'm a busy parent. How many days a week should I lift weights to get stronger at home?"


def test_near_duplicates_are_dropped_and_distinct_prompts_kept():
    texts = [
        BASE,
        BASE.upper().replace("?", " ?"),  # case and spacing only
        BASE.replace("at home", "at home, please"),  # one small edit
        "How much protein should a teenager eat after football practice?",
        "What is a safe first running plan for someone over 65 with knee arthritis?",
    ]
    assert dedupe(texts) == [0, 3, 4]


def test_shared_persona_scaffold_alone_is_not_a_duplicate():
    intro = "I'm a person over 65 who wants to stay strong, mobile and independent. "
    texts = [
        intro + "Should I stretch before or after a workout?",
        intro + "How many rest days do I need each week?",
    ]
    assert dedupe(texts) == [0, 1]


def test_index_add_reports_what_it_stored():
    index = NearDuplicateIndex(threshold=0.7)
    assert index.add(BASE) is True
    assert index.add(BASE + " ") is False
    assert index.find("Is creatine safe for teenagers?") is None


def test_dedupe_scales_to_thousands_of_texts():
    texts = [f"Question {i}: how should I plan week {i} of training number {i * 7}?" for i in range(3000)]
    assert len(dedupe(texts + texts[:100])) == 3000


def test_jaccard_distance_bounds():
    assert jaccard_distance(BASE, BASE) == 0.0
    assert jaccard_distance(BASE, "Completely unrelated words about cycling cadence drills") == 1.0
    assert 0.0 < jaccard_distance(BASE, BASE.replace("stronger", "bigger")) < 0.5
