"""The fitness classifier's data: the hand-labelled HH-RLHF turns, the model settings and where
its recorded out-of-sample evaluation lives.

The labelled set (``data/hh_rlhf_fitness_labels.jsonl``, described in ``data/README.md``) is what
the learned part of the classifier is fitted on at run time, together with the taxonomy's seed
questions and descriptions (positives) and a background of ordinary first turns
(``data/hh_rlhf_background.jsonl``, negatives). ``data/classifier_evaluation.json`` holds the figures and
the decision threshold written by ``python -m rlhf_argilla.analysis.crossval --write``; a test
checks they belong to the current labels and settings (``fingerprint``). The headline figures are
scored on ``data/hh_rlhf_fitness_holdout.jsonl`` (batch 3), which nothing is fitted or tuned on.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "DATA_DIR",
    "LABELLED_SET",
    "BACKGROUND_SET",
    "EVALUATION_FILE",
    "HOLDOUT_SET",
    "HOLDOUT_BATCH",
    "MODEL_SETTINGS",
    "CV_FOLDS",
    "CV_SEEDS",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
#: hand-labelled human turns of the shared HH-RLHF sample (source, line, turn, batch, fitness, ...)
LABELLED_SET = DATA_DIR / "hh_rlhf_fitness_labels.jsonl"
#: 600 random first turns of the same sample, not hand-labelled, with no fitness-ish word in them
#: (seeded draw): everyday requests the model must learn are not fitness. Training only, never scored.
BACKGROUND_SET = DATA_DIR / "hh_rlhf_background.jsonl"
#: batch 3: hand-labelled turns in no training batch, labelled before the design was last changed
#: and scored once it was frozen. Never trained or tuned on: the headline figures are measured here.
HOLDOUT_SET = DATA_DIR / "hh_rlhf_fitness_holdout.jsonl"
#: recorded out-of-sample figures and the threshold the shipped classifier uses
EVALUATION_FILE = DATA_DIR / "classifier_evaluation.json"

#: the batch number of :data:`HOLDOUT_SET` (the training labels are batches 1 and 2)
HOLDOUT_BATCH = 3

#: TF-IDF + logistic regression, fixed before evaluating (nothing here is tuned per fold
#: except the decision threshold).
MODEL_SETTINGS: dict[str, object] = {
    "extra_texts": True,  # the hand-written texts of classifier_texts.py
    "word_ngrams": (1, 2),
    "char_ngrams": (3, 5),
    "char_min_df": 2,
    "C": 10.0,
    "solver": "liblinear",
    "class_weight": "balanced",
}

#: stratified k-fold: folds, and the seeds of its repetitions
CV_FOLDS = 5
CV_SEEDS = (0, 1, 2)
