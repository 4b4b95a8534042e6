"""The fitness classifier's data: the hand-labelled HH-RLHF turns, the model settings and where
its recorded out-of-sample evaluation lives.

The labelled sets (``data/hh_rlhf_fitness_labels.jsonl``, batches 1 and 2, and
``data/hh_rlhf_fitness_holdout.jsonl``, batch 3; described in ``data/README.md``) are what the
learned model is fitted on at run time, together with the taxonomy's seed questions and descriptions
(positives) and a background of ordinary first turns (``data/hh_rlhf_background.jsonl``, negatives).
``data/classifier_evaluation.json`` holds the figures, the model setting and the decision threshold
written by ``python -m rlhf_argilla.analysis.crossval --write``; a test checks they belong to the
current labels and settings (``fingerprint``). The headline is the pooled k-fold over all batches of
the whole fitting procedure (:mod:`rlhf_argilla.analysis.procedure`).
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
    "LABEL_FILES",
    "MODEL_SETTINGS",
    "MODEL_GRID",
    "DESIGNS",
    "HEADLINE_DESIGN",
    "SHIPPED_DESIGN",
    "CV_FOLDS",
    "INNER_FOLDS",
    "CV_SEEDS",
    "FROZEN_HOLDOUT_SCHEME",
    "FROZEN_HOLDOUT_COUNTS",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
#: hand-labelled human turns of the shared HH-RLHF sample (source, line, turn, batch, fitness, ...)
LABELLED_SET = DATA_DIR / "hh_rlhf_fitness_labels.jsonl"
#: 600 random first turns of the same sample, not hand-labelled, with no fitness-ish word in them
#: (seeded draw): everyday requests the model must learn are not fitness. Training only, never scored.
BACKGROUND_SET = DATA_DIR / "hh_rlhf_background.jsonl"
#: batch 3: hand-labelled turns labelled before the issue-14 redesign and scored once on it
#: (:data:`FROZEN_HOLDOUT_SCORE`); since then pooled with batches 1 and 2 (k-fold, shipped model).
HOLDOUT_SET = DATA_DIR / "hh_rlhf_fitness_holdout.jsonl"
#: recorded out-of-sample figures and the threshold the shipped classifier uses
EVALUATION_FILE = DATA_DIR / "classifier_evaluation.json"

#: the batch number of :data:`HOLDOUT_SET`
HOLDOUT_BATCH = 3
#: every hand-labelled file: the evaluation pools them (batches 1-3) and the shipped model is fitted on all
LABEL_FILES = (LABELLED_SET, HOLDOUT_SET)

#: TF-IDF (word 1-2-grams + character 3-5-grams) + logistic regression: the fixed part of the model
MODEL_SETTINGS: dict[str, object] = {
    "extra_texts": True,  # the hand-written texts of classifier_texts.py
    "word_ngrams": (1, 2),
    "char_ngrams": (3, 5),
    "char_min_df": 2,
    "solver": "liblinear",
}
#: the model's choices made by inner k-fold inside each training part (never by the scored folds)
MODEL_GRID: dict[str, tuple] = {"C": (1.0, 3.0, 10.0, 30.0), "class_weight": ("balanced", None)}

#: the two designs evaluated: the learned model alone, and the keyword rules OR the model
DESIGNS = ("model", "rules_or_model")
#: the design whose figure is the headline: the learned model alone, the only one whose every
#: data-fitted part is fitted inside the evaluation's training folds (leakage-free)
HEADLINE_DESIGN = "model"
#: the design ``analyze`` ships: rules OR model. Its k-fold figure carries the rule-design leak (the
#: rules were refined reading batch 1), but on the whole 4,666-conversation sample the model alone
#: flags about 40 ordinary first turns no one labelled ("How does Carvana work?", "How many seconds
#: are in a week?") against about 15 for rules OR model (``tests/analysis/test_run.py`` bounds them)
SHIPPED_DESIGN = "rules_or_model"

#: stratified grouped k-fold: outer folds, inner folds (choices inside a training part), seeds
CV_FOLDS = 5
INNER_FOLDS = 5
CV_SEEDS = (0, 1, 2)

#: batch 3 scored once on the design frozen at revision a841323 (rules OR model fitted on batches 1
#: and 2, threshold 0.6945), recorded by d68b6e4 before batch 3 became a training batch; a fact of
#: history, not recomputed (the design and the labels it was fitted on have changed since)
FROZEN_HOLDOUT_SCHEME = (
    "rules OR model fitted on batches 1+2 (311 turns), threshold chosen by inner 5-fold on them, "
    "scored once on batch 3 (234 turns, 7 fitness) at revision a841323"
)
FROZEN_HOLDOUT_COUNTS: dict[str, int] = {
    "true_positive": 4,
    "false_positive": 3,
    "false_negative": 3,
    "true_negative": 224,
}
