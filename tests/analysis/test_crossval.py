"""The out-of-sample evaluation cannot score what it fitted on.

A *memorising* classifier (it flags exactly the fitness texts it was trained on) finds every
positive it saw and none it did not; under an evaluation that never trains on a scored turn (nor on
its conversation or text) its out-of-sample recall is 0, and any leak shows as hits.
"""

import json

import pytest

from rlhf_argilla.analysis.crossval import cross_subset, pooled_kfold
from rlhf_argilla.analysis.model import background_texts, load_all_labelled, normalised, seed_texts
from rlhf_argilla.analysis.procedure import Fitted, best_threshold, configs, fit_procedure, grouped_splits
from rlhf_argilla.domain.classifier import BACKGROUND_SET, CV_FOLDS, CV_SEEDS, MODEL_GRID


class Memoriser:
    name = "memoriser"

    def __init__(self, train, everyday):
        self.known = {normalised(item.text): item.subtopic for item in train if item.fitness}
        self.known |= {normalised(text): "fat_loss" for text in everyday}  # flags the everyday turns it saw

    def classify_many(self, texts):
        return [self.known.get(normalised(text)) for text in texts]


@pytest.fixture(scope="module")
def items():
    return load_all_labelled()


@pytest.fixture(scope="module")
def everyday():
    return [(source, text) for source, text in background_texts() if source is not None]


def _spy(calls):
    def fit(train, everyday, seed):
        calls.append((list(train), list(everyday), seed))
        memoriser = Memoriser(train, everyday)
        return {"model": Fitted(memoriser, "model", {}, 0.5, 0.0)}  # type: ignore[arg-type]

    return fit


def test_pooled_kfold_never_scores_a_turn_it_trained_on(items, everyday):
    calls: list = []
    texts = [text for _, text in everyday]
    found = pooled_kfold(items, texts, _spy(calls), seeds=(0, 1))["model"]
    assert len(calls) == 2 * CV_FOLDS
    positives = sum(item.fitness for item in items)
    assert found["true_positive"] == 0 and found["false_negative"] == 2 * positives  # nothing leaked
    assert found["true_negative"] + found["false_positive"] == 2 * (len(items) - positives)
    assert (found["everyday"]["scored"], found["everyday"]["false_alarms"]) == (2 * len(texts), 0)
    for _, trained_everyday, _ in calls:  # each fold trains on about (k-1)/k of the everyday turns
        assert len(texts) * 0.75 < len(trained_everyday) < len(texts)


def test_outer_folds_keep_conversations_and_texts_whole(items):
    for seed in CV_SEEDS:
        tested = []
        for train, test in grouped_splits(items, CV_FOLDS, seed):
            seen = {(items[i].source, items[i].line) for i in train} | {
                normalised(items[i].text) for i in train
            }
            for index in test:
                assert (items[index].source, items[index].line) not in seen
                assert normalised(items[index].text) not in seen
            tested += list(test)
            assert sum(items[i].fitness for i in test) >= 15  # stratified: every fold has positives
        assert sorted(tested) == list(range(len(items)))  # each turn scored once per seed


def test_cross_subset_fits_on_one_subset_and_scores_the_other(items, everyday):
    calls: list = []
    parts = cross_subset(items, everyday, _spy(calls))["model"]
    assert len(parts) == len(calls) == 2
    for (train, trained_everyday, _), part in zip(calls, parts):
        subset = part["scored_on"].split()[0]
        assert {item.source.split("/")[0] for item in train} == {part["trained_on"].split()[0]} != {subset}
        own = {text for source, text in everyday if source.startswith(part["trained_on"].split()[0])}
        assert set(trained_everyday) == own
        assert part["everyday"]["false_alarms"] == 0 and part["everyday"]["scored"] == len(everyday) - len(
            own
        )
        scored = [item for item in items if item.source.startswith(subset)]
        assert part["true_positive"] == 0 and part["false_negative"] == sum(i.fitness for i in scored)
        assert part["false_positive"] + part["true_negative"] == sum(not i.fitness for i in scored)
        assert part["in_sample"]["recall"] == 1.0  # the memoriser does find what it trained on


def test_domain_texts_hold_no_labelled_text_or_conversation(items):
    labelled = {normalised(item.text) for item in items}
    assert not labelled & {normalised(text) for text, _ in seed_texts()}
    assert not labelled & {normalised(text) for _, text in background_texts()}
    conversations = {(item.source, item.line) for item in items}
    rows = [json.loads(line) for line in BACKGROUND_SET.read_text().splitlines()]
    dropped = [row for row in rows if (row["source"], row["line"]) in conversations]
    assert dropped  # the background does meet labelled conversations; those turns are left out
    kept = {text for source, text in background_texts() if source is not None}
    assert not {row["text"] for row in dropped} & kept


def test_best_threshold_and_grid():
    import numpy as np

    truth = np.array([True, True, True, False, False, False])
    scores = np.array([0.9, 0.8, 0.3, 0.35, 0.2, 0.1])
    assert best_threshold(truth, scores, np.zeros(6, bool)) == (0.3, 6 / 7)  # 3 found, 1 false alarm
    ruled = np.array([False, False, True, False, False, False])
    assert best_threshold(truth, scores, ruled) == (0.8, 1.0)  # the rules cover the low-scored positive
    assert len(configs()) == len(MODEL_GRID["C"]) * len(MODEL_GRID["class_weight"])


def test_procedure_chooses_its_setting_and_threshold_inside_the_training_turns(items, monkeypatch):
    """The inner k-fold splits only the turns the procedure is given."""
    from rlhf_argilla.analysis import procedure

    split_on: list = []
    real = procedure.grouped_splits

    def recording(turns, folds, seed):
        split_on.append(list(turns))
        return real(turns, folds, seed)

    monkeypatch.setattr(procedure, "grouped_splits", recording)
    train = [item for item in items if item.batch == 1]
    fitted = fit_procedure(train, [text for source, text in background_texts() if source][:200], "model", 0)
    assert split_on == [train]
    assert fitted.config in configs() and 0.0 < fitted.threshold < 1.0
    assert fitted.classifier.classify("How often should I lift weights to build muscle?") is not None
