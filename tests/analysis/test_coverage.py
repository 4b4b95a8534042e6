import math

import pytest

from rlhf_argilla.analysis.coverage import CoverageTally, gaps_document, subtopic_weights, under_covered
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS


@pytest.mark.parametrize(
    "counts",
    [
        {"a": 0, "b": 0},
        {"a": 5, "b": 0, "c": 1},
        {"a": 1000, "b": 1, "c": 1, "d": 0},
    ],
)
def test_weights_positive_sum_to_one_and_favour_thin_subtopics(counts):
    weights = subtopic_weights(counts)
    assert list(weights) == list(counts)
    assert math.isclose(sum(weights.values()), 1.0)
    assert all(value > 0 for value in weights.values())
    for first in counts:
        for second in counts:
            if counts[first] < counts[second]:
                assert weights[first] > weights[second]
            if counts[first] == counts[second]:
                assert math.isclose(weights[first], weights[second])


def test_under_covered_threshold_and_nothing_found():
    counts = {"a": 10, "b": 10, "c": 2, "d": 3}  # uniform share 25 %, threshold 12.5 % of 25 = 3.125
    assert under_covered(counts) == ["c", "d"]
    assert under_covered({"a": 0, "b": 0}) == ["a", "b"]


def test_tally_keeps_a_few_examples_and_rejects_unknown_ids():
    tally = CoverageTally(["x"], subtopic_ids=("a", "b"), examples_per_subtopic=2)
    for line in range(5):
        tally.add("x", line, f"t{line}", "a")
    result = tally.result()
    assert result.counts == {"a": 5, "b": 0} and [e.line for e in result.examples["a"]] == [0, 1]
    with pytest.raises(ValueError, match="unknown subtopic"):
        tally.add("x", 9, "t", "zzz")


def test_gaps_document_follows_the_contract():
    tally = CoverageTally(["f.jsonl.gz"])
    tally.add("f", 1, "q", SUBTOPIC_IDS[0])
    tally.add("f", 2, "q", SUBTOPIC_IDS[0])
    tally.add("f", 3, "q", SUBTOPIC_IDS[1])
    tally.add("f", 4, "q", None)
    gaps = gaps_document(tally.result(), {"name": "rules", "precision": 0.9, "recall": None})

    assert set(gaps) == {
        "source",
        "conversations",
        "fitness_conversations",
        "subtopics",
        "under_covered",
        "classifier",
    }
    assert gaps["source"] == ["f.jsonl.gz"] and gaps["conversations"] == 4
    assert gaps["fitness_conversations"] == 3
    assert list(gaps["subtopics"]) == list(SUBTOPIC_IDS)
    first = gaps["subtopics"][SUBTOPIC_IDS[0]]
    assert set(first) == {"count", "share_of_fitness", "weight"}
    assert first["count"] == 2 and math.isclose(first["share_of_fitness"], 2 / 3, abs_tol=1e-6)
    assert math.isclose(sum(item["weight"] for item in gaps["subtopics"].values()), 1.0)
    assert set(gaps["under_covered"]) == set(SUBTOPIC_IDS[2:])
    assert gaps["classifier"] == {"name": "rules", "precision": 0.9, "recall": None}
