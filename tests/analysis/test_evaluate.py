"""The hand-labelled set: its integrity against the real sample, and the classifier's quality."""

import gzip
import json

import pytest

from rlhf_argilla.analysis.evaluate import load_labelled, load_recorded
from rlhf_argilla.analysis.hh_rlhf import split_turns
from rlhf_argilla.domain.classifier import HOLDOUT_BATCH, HOLDOUT_SET, LABELLED_SET
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.errors import AnalysisError

LABELLED = LABELLED_SET


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def test_labelled_set_shape():
    items = load_labelled(LABELLED)
    positives = [item for item in items if item.fitness]
    assert len(positives) >= 90 and len(items) - len(positives) >= 200
    assert {item.batch for item in items} == {1, 2}
    assert all(item.subtopic in SUBTOPIC_IDS for item in positives)
    assert all(item.subtopic is None for item in items if not item.fitness)
    assert len({(item.source, item.line, item.turn) for item in items}) == len(items)


def test_holdout_batch_shares_no_turn_or_text_with_the_training_data():
    from rlhf_argilla.analysis.model import background_texts, seed_texts

    held = load_labelled(HOLDOUT_SET)
    assert len(held) >= 200 and {item.batch for item in held} == {HOLDOUT_BATCH}
    assert sum(item.fitness for item in held) >= 5
    assert all((item.subtopic in SUBTOPIC_IDS) == item.fitness for item in held)
    assert len({_norm(item.text) for item in held}) == len(held)
    training = load_labelled(LABELLED)
    assert not {(i.source, i.line, i.turn) for i in held} & {(i.source, i.line, i.turn) for i in training}
    seen = {_norm(i.text) for i in training} | {_norm(t) for _, t in background_texts()}
    seen |= {_norm(text) for text, _ in seed_texts()}
    assert not {_norm(item.text) for item in held} & seen


@pytest.mark.parametrize("path", [LABELLED, HOLDOUT_SET], ids=["training", "holdout"])
def test_labelled_set_points_at_the_real_sample(shared_data, path):
    """Every reference (source + line + turn) holds exactly the stored human turn."""
    wanted: dict = {}
    for item in load_labelled(path):
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
    from rlhf_argilla.analysis.model import load_all_labelled
    from rlhf_argilla.domain.classifier import HEADLINE_DESIGN, SHIPPED_DESIGN

    recorded = load_recorded()
    assert recorded["fingerprint"] == fingerprint(), "rerun: python -m rlhf_argilla.analysis.crossval --write"
    items = load_all_labelled()
    positives = sum(i.fitness for i in items)
    assert recorded["labelled_set"]["turns"] == len(items) and {1, 2, 3} == {i.batch for i in items}
    # the headline is the pooled k-fold of the leakage-free design (the learned model alone), the
    # shipped design's figure beside it: every labelled turn once per repetition
    oos = recorded["out_of_sample"]
    assert oos["design"] == HEADLINE_DESIGN == "model" and oos["leakage_free"]
    assert recorded["design"] == oos["shipped"]["design"] == SHIPPED_DESIGN
    for design, figures in ((HEADLINE_DESIGN, oos), (SHIPPED_DESIGN, oos["shipped"])):
        kfold = recorded["designs"][design]["kfold"]
        assert {key: figures[key] for key in ("precision", "recall", "true_positive", "everyday")} == {
            key: kfold[key] for key in ("precision", "recall", "true_positive", "everyday")
        }
    kfold = recorded["designs"][HEADLINE_DESIGN]["kfold"]
    for found in recorded["designs"].values():
        repeats = found["kfold"]["repeats"]
        assert found["kfold"]["true_positive"] + found["kfold"]["false_negative"] == repeats * positives
        assert found["kfold"]["false_positive"] + found["kfold"]["true_negative"] == repeats * (
            len(items) - positives
        )
        low, high = found["kfold"]["precision_ci"]
        assert low < found["kfold"]["precision"] < high
        scored = sorted(part["true_positive"] + part["false_negative"] for part in found["cross_subset"])
        by_subset = sorted(
            sum(i.fitness for i in items if i.source.startswith(s)) for s in ("helpful", "harmless")
        )
        assert scored == by_subset  # each subset scored whole, once
    inside = recorded["in_sample"]
    assert inside["precision"] >= kfold["precision"] and inside["recall"] >= kfold["recall"]


def test_bad_labelled_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "x", "line": 1}\n')
    with pytest.raises(AnalysisError, match="bad.jsonl:1: not a labelled turn"):
        load_labelled(bad)
    with pytest.raises(AnalysisError, match="cannot read the labelled set"):
        load_labelled(tmp_path / "missing.jsonl")
