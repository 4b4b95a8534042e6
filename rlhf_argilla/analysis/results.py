"""The classifier evaluation's figures: counts to precision / recall with Wilson intervals, and
the printed summary of a recorded evaluation (:mod:`rlhf_argilla.analysis.crossval`)."""

from __future__ import annotations

from rlhf_argilla.analysis.evaluate import Evaluation, wilson

__all__ = ["figures", "everyday_figures", "interval", "print_record"]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def figures(result: Evaluation, repeats: int) -> dict:
    """Precision, recall, their Wilson 95 % intervals and the counts.

    ``repeats``: how many times each turn was scored (repeated k-fold); the intervals use the counts
    divided by it, so they describe the labelled set's size, not the number of scorings.

    Example:
        >>> figures(Evaluation(true_positive=8, false_positive=2, false_negative=2, true_negative=88), 2)["precision_ci"]
        [0.3755, 0.9638]
    """

    def bounds(hits: int, total: int) -> list[float] | None:
        found = wilson(hits / repeats, total / repeats)
        return None if found is None else [round(found[0], 4), round(found[1], 4)]

    predicted = result.true_positive + result.false_positive
    return {
        "precision": _rounded(result.precision),
        "precision_ci": bounds(result.true_positive, predicted),
        "recall": _rounded(result.recall),
        "recall_ci": bounds(result.true_positive, result.positives),
        "subtopic_agreement": _rounded(result.subtopic_accuracy),
        "true_positive": result.true_positive,
        "false_positive": result.false_positive,
        "false_negative": result.false_negative,
        "true_negative": result.true_negative,
        "repeats": repeats,
    }


def everyday_figures(alarms: int, scored: int, repeats: int) -> dict:
    """False alarms on everyday turns (assumed not fitness): count, rate and its Wilson 95 % interval.

    Example:
        >>> everyday_figures(6, 1200, 2)["rate"]
        0.005
    """
    found = wilson(alarms / repeats, scored / repeats) if scored else None
    return {
        "scored": scored,
        "false_alarms": alarms,
        "rate": round(alarms / scored, 4) if scored else None,
        "rate_ci": None if found is None else [round(found[0], 4), round(found[1], 4)],
    }


def interval(bounds: list[float] | None) -> str:
    """``[0.812, 0.901]`` or ``n/a``.

    Example:
        >>> interval([0.81234, 0.9])
        '[0.812, 0.900]'
    """
    return "n/a" if bounds is None else f"[{bounds[0]:.3f}, {bounds[1]:.3f}]"


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def _line(label: str, found: dict, beside: dict | None = None) -> str:
    text = (
        f"{label:<44} P {_fmt(found['precision'])} {interval(found.get('precision_ci'))}  "
        f"R {_fmt(found['recall'])} {interval(found.get('recall_ci'))}  "
        f"(TP {found['true_positive']}, FP {found['false_positive']}, FN {found['false_negative']}, "
        f"TN {found['true_negative']})"
    )
    if "everyday" in found:
        alarms = found["everyday"]
        text += f"  everyday false alarms {alarms['false_alarms']}/{alarms['scored']} {interval(alarms['rate_ci'])}"
    if beside is not None:
        text += f"  | in sample P {_fmt(beside['precision'])} R {_fmt(beside['recall'])}"
        if "everyday" in beside:
            text += f", everyday {beside['everyday']['false_alarms']}/{beside['everyday']['scored']}"
    return text


_DESIGN_NAMES = {
    "model": "model alone (leakage-free)",
    "rules_or_model": "rules OR model (rule-design leak)",
}


def print_record(record: dict) -> None:
    """Print a recorded evaluation: headline first, every scheme and design with in-sample beside."""
    sizes, headline = record["labelled_set"], record["out_of_sample"]
    batches = ", ".join(
        f"batch {key}: {value['turns']} ({value['fitness']} fitness)"
        for key, value in sizes["batches"].items()
    )
    print(
        f"labelled turns: {sizes['turns']} ({sizes['fitness']} fitness, {sizes['other']} look-alikes; {batches})"
    )
    print(f"HEADLINE, {_DESIGN_NAMES[headline['design']]}: {headline['scheme']}")
    print(_line("  OUT-OF-SAMPLE, pooled k-fold", headline, record["in_sample"]))
    shipped = headline["shipped"]
    if shipped["design"] != headline["design"]:
        print(f"shipped design, {_DESIGN_NAMES[shipped['design']]}, same k-fold:")
        print(_line("  pooled k-fold", shipped, record["designs"][shipped["design"]]["in_sample"]))
    print(
        f"shipped: design {record['design']}, C {record['config']['C']}, class_weight "
        f"{record['config']['class_weight']}, threshold {record['threshold']:.4f} (inner k-fold on all labels)"
    )
    for design, found in record["designs"].items():
        print(f"{_DESIGN_NAMES[design]}:")
        print(_line("  pooled k-fold", found["kfold"], found["in_sample"]))
        for part in found["cross_subset"]:
            print(
                _line(
                    f"  fit {part['trained_on'].split()[0]} -> score {part['scored_on']}",
                    part,
                    part["in_sample"],
                )
            )
        for batch, part in found["kfold"]["by_batch"].items():
            print(_line(f"    pooled k-fold, batch {batch} turns only", part))
        for run in found["kfold"]["runs"]:
            print(f"    seed {run['seed']}: P {_fmt(run['precision'])} R {_fmt(run['recall'])}")
    print(_line("rules alone, all labels (rules written on batch 1)", record["rules_only"]))
    frozen = record["frozen_holdout"]
    print(_line("historical: held-out batch 3, frozen design", frozen))
    print(f"  ({frozen['scheme']}; not recomputed)")
