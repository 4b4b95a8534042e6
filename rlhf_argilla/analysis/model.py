"""The fitness classifier's parts: a TF-IDF + logistic regression model and the two designs on it.

* :class:`ModelClassifier` — the learned model alone: a human turn is about fitness when its score
  is at or above a decision threshold;
* :class:`HybridClassifier` — the taxonomy's keyword rules (:mod:`rlhf_argilla.analysis.classify`)
  **or** the model.

The model is fitted at run time on hand-labelled turns plus domain texts: the taxonomy's seed
questions and descriptions and the hand-written questions of
:mod:`rlhf_argilla.domain.classifier_texts` (positives), a packaged background of ordinary first
turns and the hand-written look-alikes (negatives). Its C, class weights and threshold are chosen
by :mod:`rlhf_argilla.analysis.procedure` on training labels only; liblinear is deterministic, so
the same data always gives the same model.

Subtopics: the rules' subtopic when they match; otherwise the subtopic whose centroid (mean
TF-IDF vector of its seed texts and labelled turns) is nearest in cosine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.analysis.evaluate import LabelledTurn, load_labelled, load_recorded
from rlhf_argilla.domain.classifier import BACKGROUND_SET, LABEL_FILES, MODEL_SETTINGS
from rlhf_argilla.domain.classifier_texts import FITNESS_TEXTS, LOOKALIKE_TEXTS
from rlhf_argilla.domain.strategies import QUESTION_SEEDS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS, SUBTOPICS

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

__all__ = [
    "normalised",
    "load_all_labelled",
    "seed_texts",
    "background_texts",
    "everyday_texts",
    "lookalike_texts",
    "features",
    "logistic",
    "FitnessModel",
    "ModelClassifier",
    "HybridClassifier",
    "build_classifier",
    "shipped_classifier",
]


def normalised(text: str) -> str:
    """The form duplicate texts are matched in: lower case, single spaces.

    Example:
        >>> normalised("  Run  FAST? ")
        'run fast?'
    """
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def _all_labelled() -> tuple[LabelledTurn, ...]:
    return tuple(item for path in LABEL_FILES for item in load_labelled(path))


def load_all_labelled() -> list[LabelledTurn]:
    """Every hand-labelled turn (batches 1-3, :data:`~rlhf_argilla.domain.classifier.LABEL_FILES`)."""
    return list(_all_labelled())


@lru_cache(maxsize=1)
def _seed_texts() -> tuple[tuple[str, str], ...]:
    texts = [(question, key) for key, questions in QUESTION_SEEDS.items() for question in questions]
    texts += [(item.description, item.id) for item in SUBTOPICS]
    if MODEL_SETTINGS.get("extra_texts", True):
        texts += list(FITNESS_TEXTS)
    labelled = {normalised(item.text) for item in _all_labelled()}
    return tuple(pair for pair in texts if normalised(pair[0]) not in labelled)


def seed_texts() -> list[tuple[str, str]]:
    """Fitness texts from the domain tables as ``(text, subtopic)``: seed questions, descriptions
    and the hand-written plain questions of :mod:`rlhf_argilla.domain.classifier_texts`.

    The rules' keywords are left out: as one- or two-word positives they teach the model that any
    short turn ("Hey", "Shut up") is about fitness. A text equal to a hand-labelled turn is left out.

    Example:
        >>> ("How do I stop skipping workouts?", "training_mindset") in seed_texts()
        True
    """
    return list(_seed_texts())


@lru_cache(maxsize=1)
def background_texts() -> tuple[tuple[str | None, str], ...]:
    """Training-only negatives as ``(source, text)``: ordinary first turns of the sample with no
    fitness-ish word (``source`` = their HH-RLHF file) and the hand-written look-alikes (``None``).

    A background turn whose conversation holds a hand-labelled turn, and any text equal to a
    labelled turn, is left out: no fold trains on a scored turn's text or conversation through them.
    """
    labelled = _all_labelled()
    conversations = {(item.source, item.line) for item in labelled}
    texts = {normalised(item.text) for item in labelled}
    lines = BACKGROUND_SET.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    kept: list[tuple[str | None, str]] = [
        (row["source"], row["text"]) for row in rows if (row["source"], row["line"]) not in conversations
    ]
    if MODEL_SETTINGS.get("extra_texts", True):
        kept += [(None, text) for text in LOOKALIKE_TEXTS]
    return tuple((source, text) for source, text in kept if normalised(text) not in texts)


def everyday_texts(sources: set[str] | None = None) -> list[str]:
    """The sampled background turns (all, or those of the HH-RLHF files in ``sources``): ordinary
    requests, assumed not fitness; the evaluation splits them into folds like the labelled turns."""
    return [
        text
        for source, text in background_texts()
        if source is not None and (sources is None or source in sources)
    ]


def lookalike_texts() -> list[str]:
    """The hand-written look-alikes: negatives that always train (domain texts, never scored)."""
    return [text for source, text in background_texts() if source is None]


def features() -> FeatureUnion:
    """Word 1-2-gram and character 3-5-gram TF-IDF (the fixed settings of :data:`MODEL_SETTINGS`)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    settings = MODEL_SETTINGS
    return make_union(
        TfidfVectorizer(ngram_range=settings["word_ngrams"], sublinear_tf=True),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=settings["char_ngrams"],
            sublinear_tf=True,
            min_df=settings["char_min_df"],
        ),
    )


def logistic(config: Mapping[str, object]) -> LogisticRegression:
    """Logistic regression with the fixed solver and ``config``'s ``C`` and ``class_weight``."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=float(config["C"]),  # type: ignore[arg-type]
        class_weight=config["class_weight"],
        solver=str(MODEL_SETTINGS["solver"]),
        max_iter=2000,
    )


class FitnessModel:
    """TF-IDF + logistic regression (fitness or not) and subtopic centroids in the same space.

    ``everyday``: the sampled background turns to train on (default: all of them); the
    hand-written look-alikes always train.
    """

    def __init__(
        self,
        labelled: Sequence[LabelledTurn],
        config: Mapping[str, object],
        everyday: Sequence[str] | None = None,
    ) -> None:
        seeds = seed_texts()
        texts = [item.text for item in labelled] + [text for text, _ in seeds]
        targets = [item.fitness for item in labelled] + [True] * len(seeds)
        background = list(everyday_texts() if everyday is None else everyday) + lookalike_texts()
        self._features = features()
        matrix = self._features.fit_transform(texts + background)
        self._model = logistic(config).fit(matrix, targets + [False] * len(background))
        subtopics = [item.subtopic for item in labelled] + [key for _, key in seeds]
        vectors = matrix[: len(texts)]
        rows = []
        for key in SUBTOPIC_IDS:
            chosen = [index for index, value in enumerate(subtopics) if value == key]
            centroid = np.asarray(vectors[chosen].mean(axis=0)).ravel()
            rows.append(centroid / (np.linalg.norm(centroid) or 1.0))
        self._centroids = np.vstack(rows)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of "fitness" per text."""
        if not texts:
            return np.zeros(0)
        return self._model.predict_proba(self._features.transform(list(texts)))[:, 1]

    def subtopics(self, texts: Sequence[str]) -> list[str]:
        """Nearest subtopic centroid per text."""
        if not texts:
            return []
        similarity = self._features.transform(list(texts)) @ self._centroids.T
        return [SUBTOPIC_IDS[index] for index in np.asarray(similarity).argmax(axis=1)]


class ModelClassifier:
    """The learned model alone: fitness when the score reaches the threshold.

    Example:
        >>> classifier = shipped_classifier()
        >>> classifier.classify("What are some good stretches before going to the gym?") is not None
        True
        >>> classifier.classify("How do I bake rye bread?") is None
        True
    """

    name = "tfidf-logreg"

    def __init__(self, model: FitnessModel, threshold: float) -> None:
        self.model, self.threshold = model, threshold

    def _flag(self, texts: Sequence[str], ruled: list[str | None]) -> list[str | None]:
        rest = [index for index, found in enumerate(ruled) if found is None]
        if rest:
            pending = [texts[index] for index in rest]
            flagged = self.model.scores(pending) >= self.threshold
            named = iter(self.model.subtopics([text for text, keep in zip(pending, flagged) if keep]))
            for index, keep in zip(rest, flagged):
                if keep:
                    ruled[index] = next(named)
        return ruled

    def classify_many(self, texts: Sequence[str]) -> list[str | None]:
        """Subtopic id or ``None`` per text (batching makes the model cheap per turn)."""
        return self._flag(texts, [None] * len(texts))

    def classify(self, text: str) -> str | None:
        """The subtopic id of one human turn, or ``None`` when it is not about fitness."""
        return self.classify_many([text])[0]


class HybridClassifier(ModelClassifier):
    """Rules first; the model's score decides the turns no rule matches.

    Example:
        >>> classifier = HybridClassifier(shipped_classifier().model, 0.5)
        >>> classifier.classify("How can I squat in a building without anyone noticing?") is None
        True
    """

    name = "keyword-rules+tfidf-logreg"

    def __init__(self, model: FitnessModel, threshold: float, rules: RuleClassifier | None = None) -> None:
        super().__init__(model, threshold)
        self.rules = rules if rules is not None else RuleClassifier()

    def classify_many(self, texts: Sequence[str]) -> list[str | None]:
        return self._flag(texts, [self.rules.classify(text) for text in texts])


def build_classifier(design: str, model: FitnessModel, threshold: float) -> ModelClassifier:
    """``"model"``: the model alone; ``"rules_or_model"``: the keyword rules OR the model."""
    if design == "model":
        return ModelClassifier(model, threshold)
    if design == "rules_or_model":
        return HybridClassifier(model, threshold)
    raise ValueError(f"unknown classifier design {design!r}")


@lru_cache(maxsize=1)
def shipped_classifier() -> ModelClassifier:
    """The classifier ``analyze`` uses: the recorded design, settings and threshold, fitted on every
    hand-labelled turn (the procedure the recorded out-of-sample figures evaluate)."""
    recorded = load_recorded()
    model = FitnessModel(load_all_labelled(), recorded["config"])
    return build_classifier(recorded["design"], model, float(recorded["threshold"]))
