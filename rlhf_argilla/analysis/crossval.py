"""Out-of-sample evaluation of the fitness classifier: nested, repeated stratified k-fold.

Outer loop: stratified k-fold over the labelled turns, grouped so that duplicate texts and turns
of one conversation never sit on both sides, repeated with :data:`CV_SEEDS`. Inner loop, on the
training part only: k-fold scores of the learned model, and the decision threshold that
maximises F1 of the whole classifier (rules OR model) on them. The model is then fitted on the
whole training part and scored, with that threshold, on the held-out fold.

Two schemes:

* **fresh** (the headline): held-out folds come from the fresh batch only
  (:data:`FRESH_BATCH`, labelled after the keyword rules were last refined), older labels are
  always in training, so neither the rules nor the model were tuned on what is scored;
* **whole set**: k-fold over all labels; optimistic, since the rules were refined on batch 1.

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
    FRESH_BATCH,
    LABELLED_SET,
    MODEL_SETTINGS,
)
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
    digest = hashlib.sha256(LABELLED_SET.read_bytes() + BACKGROUND_SET.read_bytes())
    plan = {
        "seeds": seed_texts(),
        "rules": [(item.id, item.keywords, item.exclude) for item in SUBTOPICS],
        "settings": MODEL_SETTINGS,
        "cv": [CV_FOLDS, list(CV_SEEDS), FRESH_BATCH],
    }
    digest.update(json.dumps(plan, sort_keys=True, default=list).encode())
    return digest.hexdigest()


def _counts(items: Sequence[LabelledTurn]) -> dict:
    positives = sum(item.fitness for item in items)
    return {"turns": len(items), "fitness": positives, "other": len(items) - positives}


def build_record(items: Sequence[LabelledTurn]) -> dict:
    """Every figure ``--write`` records: threshold, out-of-sample, whole-set CV, in-sample, rules only."""
    fresh = [item for item in items if item.batch == FRESH_BATCH]
    threshold = choose_threshold(items, CV_SEEDS[0])
    shipped = HybridClassifier(FitnessModel(items), threshold)
    predicted = dict(zip([item.text for item in items], shipped.classify_many([item.text for item in items])))
    out_of_sample, fresh_runs = cross_validate(items, FRESH_BATCH)
    whole, whole_runs = cross_validate(items, None)
    return {
        "fingerprint": fingerprint(),
        "threshold": round(threshold, 6),
        "labelled_set": {**_counts(items), "fresh_batch": {"batch": FRESH_BATCH, **_counts(fresh)}},
        "out_of_sample": {
            "scheme": f"{CV_FOLDS}-fold stratified, grouped, x{len(CV_SEEDS)} seeds over batch {FRESH_BATCH}; "
            "older batches always in training; threshold chosen by inner k-fold in each training part",
            **_figures(out_of_sample),
            "runs": fresh_runs,
        },
        "whole_set_cv": {**_figures(whole), "runs": whole_runs},
        "in_sample": _figures(evaluate(predicted.__getitem__, items)),
        "in_sample_fresh_batch": _figures(evaluate(predicted.__getitem__, fresh)),
        "rules_only_fresh_batch": _figures(evaluate(RuleClassifier().classify, fresh)),
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
    items = load_labelled(LABELLED_SET)
    record = build_record(items)
    sizes, fresh = record["labelled_set"], record["labelled_set"]["fresh_batch"]
    print(
        f"{LABELLED_SET.name}: {sizes['turns']} hand-labelled turns ({sizes['fitness']} fitness, "
        f"{sizes['other']} look-alikes); fresh batch {fresh['batch']}: {fresh['turns']} "
        f"({fresh['fitness']} fitness, {fresh['other']} look-alikes)"
    )
    print(f"threshold (inner {CV_FOLDS}-fold on all labels): {record['threshold']:.4f}")
    print(_line("OUT-OF-SAMPLE, fresh batch", record["out_of_sample"]))
    print(_line("  in-sample, fresh batch", record["in_sample_fresh_batch"]))
    print(_line("out-of-sample, whole-set CV", record["whole_set_cv"]))
    print(_line("  in-sample, whole set", record["in_sample"]))
    print(_line("rules only, fresh batch", record["rules_only_fresh_batch"]))
    for run in record["out_of_sample"]["runs"]:
        print(f"  fresh seed {run['seed']}: precision {run['precision']}, recall {run['recall']}")
    if args.write:
        write_text_atomic(EVALUATION_FILE, json.dumps(record, indent=2) + "\n")
        print(f"wrote {EVALUATION_FILE}")


if __name__ == "__main__":
    main()
