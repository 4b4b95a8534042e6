"""The fitting procedure: everything data-fitted about the classifier, fitted on training labels only.

:func:`fit_procedure` takes the training turns and returns a classifier. Inside it, on those turns
alone: stratified grouped k-fold (:data:`INNER_FOLDS`) gives out-of-fold model scores for every
setting of :data:`MODEL_GRID` (labelled and everyday turns); the setting and the decision
threshold that maximise F1 of the design on those scores are kept, and the model is refitted on all training turns with them. The
out-of-sample evaluation (:mod:`rlhf_argilla.analysis.crossval`) calls it once per training fold,
and ``analyze`` ships it fitted on every labelled turn, so what is scored is what ships.

The domain texts (seed questions, hand-written texts) always train. The everyday turns (the
sampled background, assumed not fitness) are the training part's: they are split into the inner
folds too, so the threshold is chosen knowing how often ordinary requests score high.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.analysis.evaluate import LabelledTurn
from rlhf_argilla.analysis.model import (
    FitnessModel,
    ModelClassifier,
    build_classifier,
    features,
    logistic,
    lookalike_texts,
    normalised,
    seed_texts,
)
from rlhf_argilla.domain.classifier import INNER_FOLDS, MODEL_GRID

__all__ = [
    "Fitted",
    "groups",
    "grouped_splits",
    "configs",
    "best_threshold",
    "fit_procedures",
    "fit_procedure",
]


@dataclass(frozen=True)
class Fitted:
    """A fitted procedure: the classifier and the choices made on the training labels."""

    classifier: ModelClassifier
    design: str
    config: dict
    threshold: float
    inner_f1: float


def groups(items: Sequence[LabelledTurn]) -> list[int]:
    """A group id per turn: one for turns sharing a conversation or a (normalised) text.

    Example:
        >>> turns = [LabelledTurn("a", 1, True, "running", "Run?"), LabelledTurn("a", 1, True, None, "x", turn=2),
        ...          LabelledTurn("b", 7, True, None, "run? "), LabelledTurn("c", 2, False, None, "y")]
        >>> groups(turns)
        [0, 0, 0, 3]
    """
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first: dict[object, int] = {}
    for index, item in enumerate(items):
        for key in ((item.source, item.line), normalised(item.text)):
            if key in first:
                parent[root(index)] = root(first[key])
            else:
                first[key] = index
    return [root(index) for index in range(len(items))]


def grouped_splits(
    items: Sequence[LabelledTurn], folds: int, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified k-fold over ``items`` with :func:`groups` kept whole: ``(train, test)`` index arrays."""
    from sklearn.model_selection import StratifiedGroupKFold

    labels = np.array([item.fitness for item in items])
    splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(items)), labels, groups(items)))


def configs() -> list[dict]:
    """Every setting of :data:`MODEL_GRID`, in a fixed order.

    Example:
        >>> configs()[0]
        {'C': 1.0, 'class_weight': 'balanced'}
    """
    keys = sorted(MODEL_GRID)
    return [dict(zip(keys, values)) for values in itertools.product(*(MODEL_GRID[key] for key in keys))]


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    hits = int((truth & predicted).sum())
    return 2 * hits / (int(truth.sum()) + int(predicted.sum())) if hits else 0.0


def best_threshold(truth: np.ndarray, scores: np.ndarray, ruled: np.ndarray) -> tuple[float, float]:
    """The threshold maximising F1 of ``ruled | (scores >= threshold)``, and that F1; ties go to
    the threshold nearest 0.5.

    Example:
        >>> truth = np.array([True, True, False, False])
        >>> best_threshold(truth, np.array([0.9, 0.6, 0.7, 0.1]), np.zeros(4, bool))
        (0.6, 0.8)
    """
    candidates = np.unique(scores)
    quality = [(_f1(truth, ruled | (scores >= value)), -abs(value - 0.5)) for value in candidates]
    best = max(range(len(candidates)), key=quality.__getitem__)
    return float(candidates[best]), quality[best][0]


def everyday_splits(count: int, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled k-fold over ``count`` everyday turns (one conversation each): ``(train, test)`` index arrays."""
    from sklearn.model_selection import KFold

    if count < folds:
        return [(np.arange(count), np.arange(0))] * folds
    return list(KFold(folds, shuffle=True, random_state=seed).split(np.zeros(count)))


def _out_of_fold(
    train: Sequence[LabelledTurn], everyday: Sequence[str], seed: int, settings: Sequence[dict]
) -> np.ndarray:
    """Inner k-fold scores of ``train`` then ``everyday``: one row per setting, one column per turn."""
    seeds = [text for text, _ in seed_texts()]
    fixed = seeds + lookalike_texts()
    scores = np.zeros((len(settings), len(train) + len(everyday)))
    splits = zip(grouped_splits(train, INNER_FOLDS, seed), everyday_splits(len(everyday), INNER_FOLDS, seed))
    for (fit_part, held), (fit_everyday, held_everyday) in splits:
        texts = (
            [train[index].text for index in fit_part] + fixed + [everyday[index] for index in fit_everyday]
        )
        targets = [train[index].fitness for index in fit_part] + [True] * len(seeds)
        targets += [False] * (len(texts) - len(targets))
        vectoriser = features()
        matrix = vectoriser.fit_transform(texts)
        held_texts = [train[index].text for index in held] + [everyday[index] for index in held_everyday]
        columns = np.concatenate([held, len(train) + held_everyday]).astype(int)
        scored = vectoriser.transform(held_texts)
        for row, config in enumerate(settings):
            scores[row, columns] = logistic(config).fit(matrix, targets).predict_proba(scored)[:, 1]
    return scores


def fit_procedures(
    train: Sequence[LabelledTurn], everyday: Sequence[str], designs: Sequence[str], seed: int
) -> dict[str, Fitted]:
    """:func:`fit_procedure` for several designs at once (they share the inner k-fold scores)."""
    settings = configs()
    scores = _out_of_fold(train, everyday, seed, settings)
    truth = np.array([item.fitness for item in train] + [False] * len(everyday))
    rules = RuleClassifier()
    texts = [item.text for item in train] + list(everyday)
    fitted: dict[str, Fitted] = {}
    models: dict[int, FitnessModel] = {}
    for design in designs:
        if design == "rules_or_model":
            ruled = np.array([rules.classify(text) is not None for text in texts], dtype=bool)
        else:
            ruled = np.zeros(len(texts), dtype=bool)
        choices = [best_threshold(truth, row, ruled) for row in scores]
        best = max(range(len(settings)), key=lambda index: choices[index][1])
        if best not in models:
            models[best] = FitnessModel(train, settings[best], everyday)
        threshold, f1 = choices[best]
        classifier = build_classifier(design, models[best], threshold)
        fitted[design] = Fitted(classifier, design, settings[best], threshold, f1)
    return fitted


def fit_procedure(train: Sequence[LabelledTurn], everyday: Sequence[str], design: str, seed: int) -> Fitted:
    """Choose the model's setting and threshold by inner k-fold on ``train`` and ``everyday`` (the
    training part's labelled and everyday turns), then fit on all of them."""
    return fit_procedures(train, everyday, [design], seed)[design]
