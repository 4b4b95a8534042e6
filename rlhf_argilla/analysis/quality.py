"""The classifier's recorded quality as report text: the headline (leakage-free out-of-sample
figures with intervals, set size and scheme) and the table of every scheme and design."""

from __future__ import annotations

from rlhf_argilla.domain.classifier import CV_FOLDS
from rlhf_argilla.report.markdown import markdown_table

__all__ = ["DESIGN_TEXT", "headline", "recorded_section"]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _ci(bounds: list[float] | None) -> str:
    return "" if not bounds else f" (95 % CI {bounds[0]:.2f}-{bounds[1]:.2f})"


DESIGN_TEXT = {
    "model": "learned model alone (leakage-free: nothing in it was written or tuned reading labelled turns)",
    "rules_or_model": "keyword rules OR learned model (carries a rule-design leak: the rules were refined "
    "reading batch 1)",
}


def headline(recorded: dict | None) -> str:
    """The report's classifier headline: the leakage-free out-of-sample precision / recall with
    intervals, set size and scheme, then the shipped design's figure when it is another design."""
    if not recorded:
        return "not measured (no recorded evaluation)"
    oos, sizes = recorded["out_of_sample"], recorded["labelled_set"]
    leak = "leakage-free" if oos.get("leakage_free") else "with a rule-design leak"
    text = (
        f"precision {_fmt(oos['precision'])}{_ci(oos.get('precision_ci'))}, recall {_fmt(oos['recall'])}"
        f"{_ci(oos.get('recall_ci'))} out of sample ({leak}: {_SHORT[oos['design']]}; stratified grouped "
        f"{CV_FOLDS}-fold x{oos['repeats']} seeds over {sizes['turns']} hand-labelled turns, {sizes['fitness']} "
        f"fitness, the whole fitting procedure refitted in each training part{_everyday(oos)})"
    )
    shipped = oos.get("shipped")
    if shipped and shipped["design"] != oos["design"]:
        text += (
            f"; the shipped {_SHORT[shipped['design']]} scores precision {_fmt(shipped['precision'])}, recall "
            f"{_fmt(shipped['recall'])} on the same folds, partly in sample (its rules were refined reading "
            "batch 1)"
        )
    return text


_SHORT = {"model": "the learned model alone", "rules_or_model": "keyword rules OR learned model"}


def _everyday(figures: dict) -> str:
    found = figures.get("everyday")
    if not found or found["rate"] is None:
        return ""
    return f"; false-alarm rate {found['rate']:.3f}{_ci(found['rate_ci'])} on held-out everyday first turns"


def _alarms(figures: dict) -> str:
    found = figures.get("everyday")
    return "" if not found else f"{found['false_alarms']} / {found['scored']}"


def _row(label: str, figures: dict, beside: dict | None = None) -> list[str]:
    return [
        label,
        _fmt(figures["precision"]) + _ci(figures.get("precision_ci")),
        _fmt(figures["recall"]) + _ci(figures.get("recall_ci")),
        f"{figures['true_positive']} / {figures['false_positive']} / {figures['false_negative']}",
        _alarms(figures),
        "" if beside is None else f"{_fmt(beside['precision'])} / {_fmt(beside['recall'])}",
    ]


def recorded_section(recorded: dict | None) -> list[str]:
    if not recorded:
        return []
    oos, sizes = recorded["out_of_sample"], recorded["labelled_set"]
    rows = []
    for design, found in recorded["designs"].items():
        marks = [
            name
            for name, key in (("headline", oos["design"]), ("shipped", recorded["design"]))
            if key == design
        ]
        mark = f" **({', '.join(marks)})**" if marks else ""
        rows.append(_row(f"{design}{mark}: pooled k-fold", found["kfold"], found["in_sample"]))
        for part in found["cross_subset"]:
            rows.append(
                _row(
                    f"{design}: fit {part['trained_on']}, score {part['scored_on']}", part, part["in_sample"]
                )
            )
    rows.append(_row("keyword rules alone, all labels (in sample for batch 1)", recorded["rules_only"]))
    frozen = recorded["frozen_holdout"]
    rows.append(_row("historical: batch 3 scored once on the earlier frozen design", frozen))
    batches = ", ".join(
        f"batch {key} {value['turns']} ({value['fitness']} fitness)"
        for key, value in sizes["batches"].items()
    )
    designs = "; ".join(f"`{key}` = {text}" for key, text in DESIGN_TEXT.items())
    return [
        "",
        f"Labelled set: {sizes['turns']} human turns of the HH-RLHF sample labelled by hand ({sizes['fitness']} "
        f"fitness, {sizes['other']} look-alikes; {batches}); how it was made: `rlhf_argilla/domain/data/README.md`. "
        f"Out of sample = {oos['scheme']}. Designs: {designs}. Intervals: Wilson 95 %, on counts per repetition. "
        "Everyday false alarms: held-out sampled ordinary first turns (assumed not fitness) that were flagged; "
        "they were drawn among turns with no fitness-ish word, so this rate understates the whole sample's. "
        "Figures recorded by `python -m rlhf_argilla.analysis.crossval --write` in "
        "`rlhf_argilla/domain/data/classifier_evaluation.json`.",
        "",
        markdown_table(
            ["measured", "precision", "recall", "TP / FP / FN", "everyday false alarms", "in sample P / R"],
            rows,
        ).rstrip("\n"),
    ]
