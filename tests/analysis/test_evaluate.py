"""The hand-labelled set: its integrity against the real sample, and the classifier's quality."""

import gzip
import json

import pytest

from rlhf_argilla.analysis.evaluate import load_labelled, load_recorded
from rlhf_argilla.analysis.hh_rlhf import split_turns
from rlhf_argilla.domain.classifier import FRESH_BATCH, LABELLED_SET
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.errors import AnalysisError

LABELLED = LABELLED_SET


def test_labelled_set_shape():
    items = load_labelled(LABELLED)
    positives = [item for item in items if item.fitness]
    assert len(positives) >= 90 and len(items) - len(positives) >= 200
    fresh = [item for item in items if item.batch == FRESH_BATCH]
    assert len(fresh) >= 150 and sum(item.fitness for item in fresh) >= 40
    assert {item.batch for item in items} == {1, FRESH_BATCH}
    assert all(item.subtopic in SUBTOPIC_IDS for item in positives)
    assert all(item.subtopic is None for item in items if not item.fitness)
    assert len({(item.source, item.line, item.turn) for item in items}) == len(items)


def test_labelled_set_points_at_the_real_sample(shared_data):
    """Every reference (source + line + turn) holds exactly the stored human turn."""
    wanted: dict = {}
    for item in load_labelled(LABELLED):
        wanted.setdefault(item.source, {}).setdefault(item.line, {})[item.turn] = item.text
    for source, lines in wanted.items():
        with gzip.open(shared_data / source, "rt", encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                if number in lines:
                    human = [text for role, text in split_turns(json.loads(raw)["chosen"]) if role == "Human"]
                    for turn, text in lines.pop(number).items():
                        assert human[turn - 1] == text, (source, number, turn)
        assert not lines, f"{source}: lines {sorted(lines)} not found"


def test_recorded_evaluation_belongs_to_the_current_labels_and_settings():
    from rlhf_argilla.analysis.crossval import fingerprint

    recorded = load_recorded()
    assert recorded["fingerprint"] == fingerprint(), "rerun: python -m rlhf_argilla.analysis.crossval --write"
    items = load_labelled(LABELLED)
    assert recorded["labelled_set"]["turns"] == len(items)
    assert recorded["labelled_set"]["fresh_batch"]["turns"] == sum(i.batch == FRESH_BATCH for i in items)
    oos = recorded["out_of_sample"]
    # pooled over the repetitions: each fresh turn is scored once per seed
    assert oos["true_positive"] + oos["false_negative"] == len(oos["runs"]) * sum(
        i.fitness for i in items if i.batch == FRESH_BATCH
    )
    assert (
        recorded["in_sample"]["precision"] > oos["precision"]
        or recorded["in_sample"]["recall"] > oos["recall"]
    )


def test_bad_labelled_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "x", "line": 1}\n')
    with pytest.raises(AnalysisError, match="bad.jsonl:1: not a labelled turn"):
        load_labelled(bad)
    with pytest.raises(AnalysisError, match="cannot read the labelled set"):
        load_labelled(tmp_path / "missing.jsonl")
