"""Out-of-sample evaluation of the fitness classifier's whole fitting procedure.

What is scored is :func:`~rlhf_argilla.analysis.procedure.fit_procedures`: the model, its C, class
weights and decision threshold are all fitted inside each training part, on its labels and the
domain texts, and the part's test turns are scored once. Two schemes over every hand-labelled turn
(batches 1-3):

* **pooled k-fold** (the headline): stratified k-fold (:data:`CV_FOLDS`), grouped so that turns of
  one conversation or with one text never sit on both sides, repeated with :data:`CV_SEEDS`; the
  everyday (background) turns are split into the same folds and the held-out ones scored as false
  alarms;
* **cross-subset**: fitted on the helpful-base labels and everyday turns, scored on harmless-base's,
  and the reverse (a training turn whose text is in the scored subset is dropped).

Two designs: the learned model alone (**leakage-free**: nothing in it was written or tuned while
reading labelled turns; :data:`HEADLINE_DESIGN`, the headline) and the keyword rules OR the model
(carries a **rule-design leak**: the rules were refined reading batch 1, so its scores on those
turns are partly in sample; :data:`SHIPPED_DESIGN`, printed beside the headline).

Run ``python -m rlhf_argilla.analysis.crossval`` to print the figures with the in-sample ones beside
them, ``--write`` to record them (and the settings and threshold ``analyze`` uses).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence

from rlhf_argilla.analysis.classify import RuleClassifier
from rlhf_argilla.analysis.evaluate import Evaluation, LabelledTurn, evaluate
from rlhf_argilla.analysis.model import (
    ModelClassifier,
    background_texts,
    load_all_labelled,
    normalised,
    seed_texts,
)
from rlhf_argilla.analysis.procedure import Fitted, everyday_splits, fit_procedures, grouped_splits
from rlhf_argilla.analysis.results import everyday_figures, figures, print_record
from rlhf_argilla.domain.classifier import (
    CV_FOLDS,
    CV_SEEDS,
    DESIGNS,
    EVALUATION_FILE,
    FROZEN_HOLDOUT_COUNTS,
    FROZEN_HOLDOUT_SCHEME,
    HEADLINE_DESIGN,
    INNER_FOLDS,
    MODEL_GRID,
    MODEL_SETTINGS,
    SHIPPED_DESIGN,
)
from rlhf_argilla.domain.taxonomy import SUBTOPICS
from rlhf_argilla.schema import write_text_atomic

__all__ = ["Fit", "scored", "pooled_kfold", "cross_subset", "fingerprint", "build_record", "main"]

#: the procedure under test: training turns, the training part's everyday turns, seed -> per design
Fit = Callable[[Sequence[LabelledTurn], Sequence[str], int], Mapping[str, Fitted]]


def _fit(train: Sequence[LabelledTurn], everyday: Sequence[str], seed: int) -> Mapping[str, Fitted]:
    return fit_procedures(train, everyday, DESIGNS, seed)


def scored(classifier: ModelClassifier, items: Sequence[LabelledTurn]) -> Evaluation:
    """Counts of ``classifier`` on ``items``."""
    found = classifier.classify_many([item.text for item in items])
    by_text = dict(zip([item.text for item in items], found))
    return evaluate(by_text.__getitem__, items)


def _alarms(classifier: ModelClassifier, everyday: Sequence[str]) -> int:
    return sum(found is not None for found in classifier.classify_many(list(everyday)))


def _merge(total: Evaluation, part: Evaluation) -> None:
    for name in ("true_positive", "false_positive", "false_negative", "true_negative", "subtopic_agree"):
        setattr(total, name, getattr(total, name) + getattr(part, name))


def pooled_kfold(
    items: Sequence[LabelledTurn],
    everyday: Sequence[str],
    fit: Fit = _fit,
    seeds: Sequence[int] = CV_SEEDS,
    folds: int = CV_FOLDS,
) -> dict[str, dict]:
    """Per design: counts pooled over every repetition (each turn scored once per seed), the same
    split by labelling batch (``by_batch``), false alarms on the held-out everyday turns, per-seed runs."""
    pooled: dict[str, Evaluation] = {}
    by_batch: dict[str, dict[int, Evaluation]] = {}
    alarms: dict[str, int] = {}
    runs: dict[str, list[dict]] = {}
    for seed in seeds:
        run: dict[str, Evaluation] = {}
        chosen: dict[str, list] = {}
        splits = zip(grouped_splits(items, folds, seed), everyday_splits(len(everyday), folds, seed))
        for (train_index, test_index), (train_everyday, test_everyday) in splits:
            train = [items[index] for index in train_index]
            test = [items[index] for index in test_index]
            held_everyday = [everyday[index] for index in test_everyday]
            for design, fitted in fit(train, [everyday[index] for index in train_everyday], seed).items():
                texts = [item.text for item in test]
                found = dict(zip(texts, fitted.classifier.classify_many(texts)))
                _merge(run.setdefault(design, Evaluation()), evaluate(found.__getitem__, test))
                for batch in sorted({item.batch for item in test}):
                    part = evaluate(found.__getitem__, [item for item in test if item.batch == batch])
                    _merge(by_batch.setdefault(design, {}).setdefault(batch, Evaluation()), part)
                alarms[design] = alarms.get(design, 0) + _alarms(fitted.classifier, held_everyday)
                chosen.setdefault(design, []).append(
                    {**fitted.config, "threshold": round(fitted.threshold, 4)}
                )
        for design, result in run.items():
            _merge(pooled.setdefault(design, Evaluation()), result)
            runs.setdefault(design, []).append(
                {"seed": seed, **figures(result, repeats=1), "chosen": chosen[design]}
            )
    return {
        design: {
            **figures(result, repeats=len(seeds)),
            "everyday": everyday_figures(alarms[design], len(everyday) * len(seeds), repeats=len(seeds)),
            "by_batch": {
                str(batch): figures(part, repeats=len(seeds))
                for batch, part in sorted(by_batch[design].items())
            },
            "runs": runs[design],
        }
        for design, result in pooled.items()
    }


def _source(item: LabelledTurn) -> str:
    return item.source.split("/")[0]


def cross_subset(
    items: Sequence[LabelledTurn], everyday: Sequence[tuple[str, str]], fit: Fit = _fit
) -> dict[str, list[dict]]:
    """Per design: fitted on one HH-RLHF subset's labels and everyday turns, scored on the other's,
    both ways. ``everyday``: ``(source file, text)``."""
    subsets = sorted({_source(item) for item in items})
    result: dict[str, list[dict]] = {}
    for train_subset in subsets:
        for test_subset in subsets:
            if test_subset == train_subset:
                continue
            test = [item for item in items if _source(item) == test_subset]
            seen = {normalised(item.text) for item in test}
            train = [
                item for item in items if _source(item) == train_subset and normalised(item.text) not in seen
            ]
            train_everyday = [text for source, text in everyday if source.split("/")[0] == train_subset]
            test_everyday = [text for source, text in everyday if source.split("/")[0] == test_subset]
            for design, fitted in fit(train, train_everyday, CV_SEEDS[0]).items():
                result.setdefault(design, []).append(
                    {
                        "trained_on": f"{train_subset} ({len(train)} turns, {sum(i.fitness for i in train)} fitness)",
                        "scored_on": f"{test_subset} ({len(test)} turns, {sum(i.fitness for i in test)} fitness)",
                        **figures(scored(fitted.classifier, test), repeats=1),
                        "everyday": everyday_figures(
                            _alarms(fitted.classifier, test_everyday), len(test_everyday), repeats=1
                        ),
                        "in_sample": figures(scored(fitted.classifier, train), repeats=1),
                        "chosen": {**fitted.config, "threshold": round(fitted.threshold, 4)},
                    }
                )
    return result


def fingerprint() -> str:
    """sha256 over everything the figures depend on: labels, domain texts, rules, settings, CV plan."""
    items = load_all_labelled()
    plan = {
        "labels": [(i.source, i.line, i.turn, i.batch, i.fitness, i.subtopic, i.text) for i in items],
        "seeds": seed_texts(),
        "background": list(background_texts()),
        "rules": [(item.id, item.keywords, item.exclude) for item in SUBTOPICS],
        "settings": MODEL_SETTINGS,
        "grid": MODEL_GRID,
        "cv": [CV_FOLDS, INNER_FOLDS, list(CV_SEEDS), list(DESIGNS), HEADLINE_DESIGN, SHIPPED_DESIGN],
    }
    return hashlib.sha256(json.dumps(plan, sort_keys=True, default=list).encode()).hexdigest()


def _counts(items: Sequence[LabelledTurn]) -> dict:
    positives = sum(item.fitness for item in items)
    return {"turns": len(items), "fitness": positives, "other": len(items) - positives}


def build_record(items: Sequence[LabelledTurn], fit: Fit = _fit) -> dict:
    """Every figure ``--write`` records, and the shipped design's settings and threshold."""
    sampled = [(str(source), text) for source, text in background_texts() if source is not None]
    everyday = [text for _, text in sampled]
    kfold = pooled_kfold(items, everyday, fit)
    subsets = cross_subset(items, sampled, fit)
    shipped = fit(items, everyday, CV_SEEDS[0])
    designs = {
        design: {
            "kfold": kfold[design],
            "cross_subset": subsets[design],
            "in_sample": {
                **figures(scored(fitted.classifier, items), repeats=1),
                "everyday": everyday_figures(_alarms(fitted.classifier, everyday), len(everyday), repeats=1),
            },
        }
        for design, fitted in shipped.items()
    }
    chosen = shipped[SHIPPED_DESIGN]

    def short(design: str) -> dict:
        return {key: value for key, value in kfold[design].items() if key not in ("runs", "by_batch")}

    return {
        "fingerprint": fingerprint(),
        "design": SHIPPED_DESIGN,
        "config": chosen.config,
        "threshold": round(chosen.threshold, 6),
        "labelled_set": {
            **_counts(items),
            "batches": {
                str(b): _counts([i for i in items if i.batch == b]) for b in sorted({i.batch for i in items})
            },
            "subsets": {
                s: _counts([i for i in items if _source(i) == s]) for s in sorted({_source(i) for i in items})
            },
        },
        "out_of_sample": {
            "scheme": f"the whole fitting procedure (model, C, class weights, threshold chosen by inner "
            f"{INNER_FOLDS}-fold in each training part) scored by stratified {CV_FOLDS}-fold grouped by "
            f"conversation and text, x{len(CV_SEEDS)} seeds, over all {len(items)} hand-labelled turns",
            "design": HEADLINE_DESIGN,
            "leakage_free": HEADLINE_DESIGN == "model",
            **short(HEADLINE_DESIGN),
            "shipped": {
                "design": SHIPPED_DESIGN,
                "leakage_free": SHIPPED_DESIGN == "model",
                **short(SHIPPED_DESIGN),
            },
        },
        "in_sample": designs[HEADLINE_DESIGN]["in_sample"],
        "designs": designs,
        "rules_only": figures(evaluate(RuleClassifier().classify, items), repeats=1),
        "frozen_holdout": _frozen(),
    }


def _frozen() -> dict:
    """The historical batch-3 score with its Wilson intervals (computed from its recorded counts)."""
    counts = FROZEN_HOLDOUT_COUNTS
    result = Evaluation(
        counts["true_positive"], counts["false_positive"], counts["false_negative"], counts["true_negative"]
    )
    found = figures(result, repeats=1)
    return {"scheme": FROZEN_HOLDOUT_SCHEME, **found, "subtopic_agreement": None}


def main(argv: Sequence[str] | None = None) -> None:
    """Print the classifier's out-of-sample and in-sample figures; ``--write`` records them."""
    parser = argparse.ArgumentParser(
        prog="python -m rlhf_argilla.analysis.crossval",
        description="Out-of-sample evaluation of the fitness classifier's whole fitting procedure.",
        epilog="Example: python -m rlhf_argilla.analysis.crossval --write",
    )
    parser.add_argument("--write", action="store_true", help=f"record the figures in {EVALUATION_FILE.name}")
    args = parser.parse_args(argv)
    record = build_record(load_all_labelled())
    print_record(record)
    if args.write:
        write_text_atomic(EVALUATION_FILE, json.dumps(record, indent=2) + "\n")
        print(f"wrote {EVALUATION_FILE}")


if __name__ == "__main__":
    main()
