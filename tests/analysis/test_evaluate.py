"""The hand-labelled set: its integrity against the real sample, and the classifier's quality."""

import gzip
import json
from pathlib import Path

import pytest

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.analysis.evaluate import evaluate, load_labelled
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.errors import AnalysisError

LABELLED = Path(__file__).resolve().parents[1] / "data" / "hh_rlhf_fitness_labels.jsonl"


def test_labelled_set_shape():
    items = load_labelled(LABELLED)
    positives = [item for item in items if item.fitness]
    assert len(positives) >= 50 and len(items) - len(positives) >= 100
    assert all(item.subtopic in SUBTOPIC_IDS for item in positives)
    assert all(item.subtopic is None for item in items if not item.fitness)
    assert len({(item.source, item.line) for item in items}) == len(items)


def test_labelled_set_points_at_the_real_sample(shared_data):
    """Every reference (source + line) holds exactly the stored first human turn."""
    wanted = {}
    for item in load_labelled(LABELLED):
        wanted.setdefault(item.source, {})[item.line] = item.first_turn
    for source, lines in wanted.items():
        with gzip.open(shared_data / source, "rt", encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                if number in lines:
                    chosen = json.loads(raw)["chosen"]
                    assert chosen.split("\n\nHuman:", 1)[1].split("\n\nAssistant:")[0].strip() == lines.pop(
                        number
                    )
        assert not lines, f"{source}: lines {sorted(lines)} not found"


def test_classifier_quality_on_the_labelled_set():
    result = evaluate(RuleClassifier().classify, load_labelled(LABELLED))
    assert result.precision >= 0.95, result.errors
    assert result.recall >= 0.9, result.errors
    assert result.subtopic_accuracy >= 0.75


def test_bad_labelled_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "x", "line": 1}\n')
    with pytest.raises(AnalysisError, match="bad.jsonl:1: not a labelled turn"):
        load_labelled(bad)
    with pytest.raises(AnalysisError, match="cannot read the labelled set"):
        load_labelled(tmp_path / "missing.jsonl")
