"""Out-of-sample evaluation of the fitness classifier: a held-out batch, and nested k-fold.

* **held out** (the headline): the classifier is fitted on the training labels (batches 1 and 2,
  :data:`LABELLED_SET`) with the decision threshold chosen by inner k-fold on them, exactly as
  ``analyze`` ships it, and scored once on batch 3 (:data:`HOLDOUT_SET`), which was labelled
  before the design was last changed and is never fitted or tuned on.
* **k-fold** over the training labels: stratified k-fold, grouped so that duplicate texts and turns
  of one conversation never sit on both sides, repeated with :data:`CV_SEEDS`. Inner loop, on
  the training part only: k-fold scores of the learned model and the threshold that maximises
  F1 of the whole classifier (rules OR model) on them. Optimistic: the rules were refined on
  batch 1 and the design chosen while watching these folds.

Run ``python -m rlhf_argilla.analysis.crossval`` to print the figures with the in-sample ones
beside them, ``--write`` to record them (and the threshold ``analyze`` uses) in the domain data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence

import numpy as np

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.analysis.evaluate import Evaluation, LabelledTurn, evaluate, load_labelled
from rlhf_argilla.analysis.model import FitnessModel, HybridClassifier, seed_texts
from rlhf_argilla.domain.classifier import (
    BACKGROUND_SET,
    CV_FOLDS,
    CV_SEEDS,
    EVALUATION_FILE,
    HOLDOUT_BATCH,
    HOLDOUT_SET,
    LABELLED_SET,
    MODEL_SETTINGS,
)
from rlhf_argilla.domain.classifier_texts import LOOKALIKE_TEXTS
from rlhf_argilla.domain.taxonomy import SUBTOPICS
from rlhf_argilla.schema import write_text_atomic

__all__ = ["groups", "choose_threshold", "cross_validate", "fingerprint", "build_record", "main"]


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
        for key in ((item.source, item.line), " ".join(item.text.lower().split())):
            if key in first:
                parent[root(index)] = root(first[key])
            else:
                first[key] = index
    return [root(index) for index in range(len(items))]


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    hits = int((truth & predicted).sum())
    return 2 * hits / (int(truth.sum()) + int(predicted.sum())) if hits else 0.0


def _splits(labels: np.ndarray, group_ids: Sequence[int], seed: int):
    from sklearn.model_selection import StratifiedGroupKFold

    folds = StratifiedGroupKFold(CV_FOLDS, shuffle=True, random_state=seed)
    return folds.split(np.zeros(len(labels)), labels, list(group_ids))


def choose_threshold(train: Sequence[LabelledTurn], seed: int) -> float:
    """The model threshold maximising F1 of rules-OR-model on inner k-fold scores of ``train``."""
    labels = np.array([item.fitness for item in train])
    ruled = np.array([RuleClassifier().classify(item.text) is not None for item in train])
    scores = np.zeros(len(train))
    for fit_part, held in _splits(labels, groups(train), seed):
        model = FitnessModel([train[index] for index in fit_part])
        scores[held] = model.scores([train[index].text for index in held])
    candidates = np.unique(scores)
    quality = [(_f1(labels, ruled | (scores >= value)), -abs(value - 0.5)) for value in candidates]
    return float(candidates[max(range(len(candidates)), key=quality.__getitem__)])


def _merge(total: Evaluation, part: Evaluation) -> None:
    for name in ("true_positive", "false_positive", "false_negative", "true_negative", "subtopic_agree"):
        setattr(total, name, getattr(total, name) + getattr(part, name))


def cross_validate(
    items: Sequence[LabelledTurn], test_batch: int | None, seeds: Sequence[int] = CV_SEEDS
) -> tuple[Evaluation, list[dict]]:
    """Pooled held-out counts over all repetitions, and per-repetition figures with thresholds.

    ``test_batch``: score only turns of this batch (the others always train); ``None``: all turns.
    """
    testable = [index for index, item in enumerate(items) if test_batch in (None, item.batch)]
    chosen = set(testable)
    always = [index for index in range(len(items)) if index not in chosen]
    labels = np.array([items[index].fitness for index in testable])
    group_ids = groups([items[index] for index in testable])
    pooled, runs = Evaluation(), []
    for seed in seeds:
        run = Evaluation()
        thresholds = []
        for fit_part, held in _splits(labels, group_ids, seed):
            train = [items[index] for index in always] + [items[testable[index]] for index in fit_part]
            test = [items[testable[index]] for index in held]
            threshold = choose_threshold(train, seed)
            classifier = HybridClassifier(FitnessModel(train), threshold)
            predicted = dict(
                zip([item.text for item in test], classifier.classify_many([item.text for item in test]))
            )
            _merge(run, evaluate(predicted.__getitem__, test))
            thresholds.append(round(threshold, 4))
        _merge(pooled, run)
        runs.append({"seed": seed, **_figures(run), "thresholds": thresholds})
    return pooled, runs


def _figures(result: Evaluation) -> dict:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "precision": rounded(result.precision),
        "recall": rounded(result.recall),
        "subtopic_agreement": rounded(result.subtopic_accuracy),
        "true_positive": result.true_positive,
        "false_positive": result.false_positive,
        "false_negative": result.false_negative,
        "true_negative": result.true_negative,
    }


def fingerprint() -> str:
    """sha256 over everything the figures depend on: labels, seed texts, rules, settings, CV plan."""
    digest = hashlib.sha256(
        LABELLED_SET.read_bytes() + BACKGROUND_SET.read_bytes() + HOLDOUT_SET.read_bytes()
    )
    plan = {
        "seeds": seed_texts(),
        "rules": [(item.id, item.keywords, item.exclude) for item in SUBTOPICS],
        "settings": MODEL_SETTINGS,
        "lookalikes": list(LOOKALIKE_TEXTS),
        "cv": [CV_FOLDS, list(CV_SEEDS), HOLDOUT_BATCH],
    }
    digest.update(json.dumps(plan, sort_keys=True, default=list).encode())
    return digest.hexdigest()


def _counts(items: Sequence[LabelledTurn]) -> dict:
    positives = sum(item.fitness for item in items)
    return {"turns": len(items), "fitness": positives, "other": len(items) - positives}


def _scored(classifier: HybridClassifier, items: Sequence[LabelledTurn]) -> Evaluation:
    predicted = dict(
        zip([item.text for item in items], classifier.classify_many([item.text for item in items]))
    )
    return evaluate(predicted.__getitem__, items)


def build_record(items: Sequence[LabelledTurn], holdout: Sequence[LabelledTurn]) -> dict:
    """Every figure ``--write`` records: threshold, held-out batch, k-fold, in-sample, rules only."""
    threshold = choose_threshold(items, CV_SEEDS[0])
    shipped = HybridClassifier(FitnessModel(items), threshold)
    kfold, kfold_runs = cross_validate(items, None)
    batches = sorted({item.batch for item in items})
    return {
        "fingerprint": fingerprint(),
        "threshold": round(threshold, 6),
        "labelled_set": {
            **_counts(items),
            "batches": {
                str(batch): _counts([item for item in items if item.batch == batch]) for batch in batches
            },
        },
        "holdout_set": {"batch": HOLDOUT_BATCH, **_counts(holdout)},
        "out_of_sample": {
            "scheme": f"fitted on batches {'+'.join(map(str, batches))} ({len(items)} turns) with the threshold "
            f"chosen by inner {CV_FOLDS}-fold on them; scored once on held-out batch {HOLDOUT_BATCH}",
            **_figures(_scored(shipped, holdout)),
        },
        "kfold_cv": {
            "scheme": f"{CV_FOLDS}-fold stratified, grouped, x{len(CV_SEEDS)} seeds over batches "
            f"{'+'.join(map(str, batches))}; threshold chosen by inner k-fold in each training part",
            **_figures(kfold),
            "runs": kfold_runs,
        },
        "in_sample": _figures(_scored(shipped, items)),
        "rules_only_holdout": _figures(evaluate(RuleClassifier().classify, holdout)),
    }


def _line(label: str, figures: dict) -> str:
    def fmt(value: float | None) -> str:
        return "  n/a" if value is None else f"{value:.3f}"

    return (
        f"{label:<34} precision {fmt(figures['precision'])}  recall {fmt(figures['recall'])}  "
        f"subtopic agreement {fmt(figures['subtopic_agreement'])}  (TP {figures['true_positive']}, "
        f"FP {figures['false_positive']}, FN {figures['false_negative']}, TN {figures['true_negative']})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the classifier's out-of-sample and in-sample figures; ``--write`` records them."""
    parser = argparse.ArgumentParser(
        prog="python -m rlhf_argilla.analysis.crossval",
        description="Nested, repeated k-fold evaluation of the fitness classifier on the packaged labels.",
        epilog="Example: python -m rlhf_argilla.analysis.crossval --write",
    )
    parser.add_argument("--write", action="store_true", help=f"record the figures in {EVALUATION_FILE.name}")
    args = parser.parse_args(argv)
    items, holdout = load_labelled(LABELLED_SET), load_labelled(HOLDOUT_SET)
    record = build_record(items, holdout)
    sizes, held = record["labelled_set"], record["holdout_set"]
    print(
        f"training labels {LABELLED_SET.name}: {sizes['turns']} hand-labelled turns ({sizes['fitness']} fitness, "
        f"{sizes['other']} look-alikes); held out {HOLDOUT_SET.name}: batch {held['batch']}, "
        f"{held['turns']} turns ({held['fitness']} fitness, {held['other']} look-alikes)"
    )
    print(f"threshold (inner {CV_FOLDS}-fold on the training labels): {record['threshold']:.4f}")
    print(_line(f"OUT-OF-SAMPLE, held-out batch {held['batch']}", record["out_of_sample"]))
    print(_line(f"out-of-sample, {CV_FOLDS}-fold x{len(CV_SEEDS)}", record["kfold_cv"]))
    print(_line("  in-sample, training labels", record["in_sample"]))
    print(_line(f"rules only, held-out batch {held['batch']}", record["rules_only_holdout"]))
    for run in record["kfold_cv"]["runs"]:
        print(f"  k-fold seed {run['seed']}: precision {run['precision']}, recall {run['recall']}")
    if args.write:
        write_text_atomic(EVALUATION_FILE, json.dumps(record, indent=2) + "\n")
        print(f"wrote {EVALUATION_FILE}")


if __name__ == "__main__":
    main()
