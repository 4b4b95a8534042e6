"""The fitness classifier: strong-signal keyword rules, and a small learned model for the rest.

A human turn is about fitness when the taxonomy's keyword rules match it (high precision,
:mod:`rlhf_argilla.analysis.classify`) **or** when a TF-IDF + logistic regression model scores
it at or above a decision threshold. The model is fitted at run time, on the packaged
hand-labelled turns plus the taxonomy's seed questions and descriptions (positives) and a
packaged background of ordinary first turns (negatives), with fixed settings from
:mod:`rlhf_argilla.domain.classifier`; liblinear is deterministic, so the same data always gives the same model. The threshold is chosen on
held-out data by :mod:`rlhf_argilla.analysis.crossval` and recorded with its evaluation.

Subtopics: the rules' subtopic when they match; otherwise the subtopic whose centroid (mean
TF-IDF vector of its seed texts and labelled turns) is nearest in cosine.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.analysis.evaluate import LabelledTurn, load_labelled, load_recorded
from rlhf_argilla.domain.classifier import BACKGROUND_SET, LABELLED_SET, MODEL_SETTINGS
from rlhf_argilla.domain.classifier_texts import FITNESS_TEXTS, LOOKALIKE_TEXTS
from rlhf_argilla.domain.strategies import QUESTION_SEEDS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS, SUBTOPICS

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = [
    "background_texts",
    "seed_texts",
    "FitnessModel",
    "HybridClassifier",
    "fit_classifier",
    "shipped_classifier",
]


def seed_texts() -> list[tuple[str, str]]:
    """Fitness texts from the domain tables as ``(text, subtopic)``: seed questions, descriptions
    and the hand-written plain questions of :mod:`rlhf_argilla.domain.classifier_texts`.

    The rules' keywords are left out: as one- or two-word positives they teach the model that any
    short turn ("Hey", "Shut up") is about fitness.

    Example:
        >>> ("How do I stop skipping workouts?", "training_mindset") in seed_texts()
        True
    """
    texts = [(question, key) for key, questions in QUESTION_SEEDS.items() for question in questions]
    texts += [(item.description, item.id) for item in SUBTOPICS]
    if MODEL_SETTINGS.get("extra_texts", True):
        texts += list(FITNESS_TEXTS)
    return texts


@lru_cache(maxsize=1)
def background_texts() -> tuple[str, ...]:
    """Ordinary first turns of the sample without any fitness-ish word: negatives for training only."""
    import json

    lines = BACKGROUND_SET.read_text(encoding="utf-8").splitlines()
    texts = tuple(json.loads(line)["text"] for line in lines if line.strip())
    return texts + (LOOKALIKE_TEXTS if MODEL_SETTINGS.get("extra_texts", True) else ())


def _pipeline() -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    settings = MODEL_SETTINGS
    features = make_union(
        TfidfVectorizer(ngram_range=settings["word_ngrams"], sublinear_tf=True),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=settings["char_ngrams"],
            sublinear_tf=True,
            min_df=settings["char_min_df"],
        ),
    )
    return make_pipeline(
        features,
        LogisticRegression(
            C=settings["C"], solver=settings["solver"], class_weight=settings["class_weight"], max_iter=2000
        ),
    )


class FitnessModel:
    """TF-IDF + logistic regression (fitness or not) and subtopic centroids in the same space."""

    def __init__(self, labelled: Sequence[LabelledTurn]) -> None:
        seeds = seed_texts()
        texts = [item.text for item in labelled] + [text for text, _ in seeds]
        targets = [item.fitness for item in labelled] + [True] * len(seeds)
        background = list(background_texts())
        self._pipeline = _pipeline()
        self._pipeline.fit(texts + background, targets + [False] * len(background))
        subtopics = [item.subtopic for item in labelled] + [key for _, key in seeds]
        vectors = self._features(texts)
        rows = []
        for key in SUBTOPIC_IDS:
            chosen = [index for index, value in enumerate(subtopics) if value == key]
            centroid = np.asarray(vectors[chosen].mean(axis=0)).ravel()
            rows.append(centroid / (np.linalg.norm(centroid) or 1.0))
        self._centroids = np.vstack(rows)

    def _features(self, texts: Sequence[str]):
        return self._pipeline[0].transform(list(texts))

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of "fitness" per text."""
        if not texts:
            return np.zeros(0)
        return self._pipeline.predict_proba(list(texts))[:, 1]

    def subtopics(self, texts: Sequence[str]) -> list[str]:
        """Nearest subtopic centroid per text."""
        if not texts:
            return []
        similarity = self._features(texts) @ self._centroids.T
        return [SUBTOPIC_IDS[index] for index in np.asarray(similarity).argmax(axis=1)]


class HybridClassifier:
    """Rules first; the model's score decides the turns no rule matches.

    Example:
        >>> classifier = shipped_classifier()
        >>> classifier.classify("What are some good stretches before going to the gym?")
        'mobility_flexibility'
        >>> classifier.classify("How can I squat in a building without anyone noticing?") is None
        True
    """

    name = "keyword-rules+tfidf-logreg"

    def __init__(self, model: FitnessModel, threshold: float, rules: RuleClassifier | None = None) -> None:
        self.model, self.threshold = model, threshold
        self.rules = rules if rules is not None else RuleClassifier()

    def classify_many(self, texts: Sequence[str]) -> list[str | None]:
        """Subtopic id or ``None`` per text (batching makes the model cheap per turn)."""
        ruled = [self.rules.classify(text) for text in texts]
        rest = [index for index, found in enumerate(ruled) if found is None]
        if rest:
            pending = [texts[index] for index in rest]
            flagged = self.model.scores(pending) >= self.threshold
            chosen = [text for text, keep in zip(pending, flagged) if keep]
            named = iter(self.model.subtopics(chosen))
            for index, keep in zip(rest, flagged):
                if keep:
                    ruled[index] = next(named)
        return ruled

    def classify(self, text: str) -> str | None:
        """The subtopic id of one human turn, or ``None`` when it is not about fitness."""
        return self.classify_many([text])[0]


def fit_classifier(labelled: Sequence[LabelledTurn], threshold: float) -> HybridClassifier:
    """Fit the model on ``labelled`` (plus the domain's seed texts) and wrap it with the rules."""
    return HybridClassifier(FitnessModel(labelled), threshold)


@lru_cache(maxsize=1)
def shipped_classifier() -> HybridClassifier:
    """The classifier ``analyze`` uses: fitted on the packaged labels, with the recorded threshold."""
    return fit_classifier(load_labelled(LABELLED_SET), float(load_recorded()["threshold"]))
