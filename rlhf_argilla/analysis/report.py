"""Write the analysis outputs: report.md, gaps.json and coverage.png (atomically, so a failed
run never leaves half a file behind)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rlhf_argilla.analysis.coverage import Coverage, gaps_document, under_covered
from rlhf_argilla.analysis.evaluate import Evaluation
from rlhf_argilla.analysis.quality import DESIGN_TEXT, headline, recorded_section
from rlhf_argilla.domain.taxonomy import subtopic
from rlhf_argilla.report.charts import bar_chart
from rlhf_argilla.report.markdown import format_share, markdown_table
from rlhf_argilla.schema import ANALYSIS_REPORT_FILE, COVERAGE_CHART_FILE, GAPS_FILE, write_text_atomic

__all__ = ["classifier_summary", "headline", "render_report", "write_outputs"]

_EXAMPLE_CHARS = 200


def classifier_summary(name: str, recorded: dict | None) -> dict[str, object]:
    """The ``classifier`` entry of gaps.json: the recorded OUT-OF-SAMPLE precision / recall
    (``None`` when no evaluation is recorded), never figures measured on the training labels (the
    leakage-free figures: the learned model alone, refitted in every fold)."""
    figures = (recorded or {}).get("out_of_sample", {})
    return {
        "name": name,
        "precision": figures.get("precision"),
        "recall": figures.get("recall"),
        "measured": "out_of_sample" if figures else None,
    }


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXAMPLE_CHARS else flat[: _EXAMPLE_CHARS - 1] + "…"


def _conversations(count: int) -> str:
    return f"{count:,} conversation" + ("" if count == 1 else "s")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _classifier_section(
    name: str,
    evaluation: Evaluation | None,
    labelled_from: str | None,
    recorded: dict | None = None,
    evaluated_of: int = 0,
) -> list[str]:
    lines = [
        "## Classifier",
        "",
        f"`{name}`: "
        + (DESIGN_TEXT.get((recorded or {}).get("design", ""), "") or "the classifier")
        + "; a TF-IDF + logistic regression model fitted on the packaged hand labels and the taxonomy's seed "
        "texts, applied to the first human turn.",
        "",
        f"Quality: {headline(recorded)}.",
        *recorded_section(recorded),
    ]
    if evaluation is None:
        return lines + [""]
    lines += [
        "",
        f"`--evaluate {labelled_from}`: {evaluated_of - evaluation.positives - evaluation.negatives} of its "
        f"{evaluated_of} turns are in the training labels and were left out; scored on the other "
        f"{evaluation.positives} fitness and {evaluation.negatives} look-alike turns:",
        "",
        markdown_table(
            ["metric", "value"],
            [
                ["precision", _fmt(evaluation.precision)],
                ["recall", _fmt(evaluation.recall)],
                ["subtopic agreement on true positives", _fmt(evaluation.subtopic_accuracy)],
                ["true / false positives", f"{evaluation.true_positive} / {evaluation.false_positive}"],
                ["false negatives", str(evaluation.false_negative)],
            ],
        ).rstrip("\n"),
    ]
    if evaluation.errors:
        rows = [
            [
                f"{item.source}:{item.line}",
                "fitness" if item.fitness else "other",
                predicted,
                _short(item.text),
            ]
            for item, predicted in evaluation.errors
        ]
        lines += [
            "",
            "Misclassified:",
            "",
            markdown_table(["record", "label", "predicted", "first turn"], rows, align=["left"] * 4).rstrip(
                "\n"
            ),
        ]
    return lines + [""]


def render_report(
    coverage: Coverage,
    gaps: dict,
    evaluation: Evaluation | None,
    classifier_name: str,
    labelled_from: str | None = None,
    recorded: dict | None = None,
    evaluated_of: int = 0,
) -> str:
    """The markdown report (pure: the same inputs give the same text)."""
    thin = set(gaps["under_covered"])
    rows = [
        [
            f"{subtopic(key).title} (`{key}`)",
            count,
            format_share(gaps["subtopics"][key]["share_of_fitness"]),
            format_share(count / coverage.conversations if coverage.conversations else 0.0, digits=2),
            f"{gaps['subtopics'][key]['weight']:.3f}",
            "yes" if key in thin else "",
        ]
        for key, count in sorted(coverage.counts.items(), key=lambda item: -item[1])
    ]
    lines = [
        "# HH-RLHF fitness coverage",
        "",
        f"Input: {', '.join(f'`{source}`' for source in coverage.sources)}",
        "",
        markdown_table(
            ["", "value"],
            [
                ["conversations read", f"{coverage.conversations:,}"],
                [
                    "fitness conversations",
                    f"{coverage.fitness:,} ({format_share(coverage.fitness_share, 2)})",
                ],
                ["malformed lines (skipped)", f"{coverage.malformed_total:,}"],
                ["under-covered subtopics", f"{len(thin)} of {len(coverage.counts)}"],
                ["classifier quality", headline(recorded)],
            ],
        ).rstrip("\n"),
        "",
        "## Coverage per subtopic",
        "",
        f"![fitness conversations per subtopic]({COVERAGE_CHART_FILE})",
        "",
        markdown_table(
            [
                "subtopic",
                "conversations",
                "share of fitness",
                "share of all",
                "prompt weight",
                "under-covered",
            ],
            rows,
        ).rstrip("\n"),
        "",
        "Under-covered: share of fitness conversations below half the uniform share. Prompt weight "
        "(smoothed inverse coverage, sums to 1) is what `generate prompts --gaps` allocates by.",
        "",
        "## Under-covered subtopics",
        "",
    ]
    lines += [
        f"- **{subtopic(key).title}** (`{key}`): {_conversations(coverage.counts[key])} — "
        f"{subtopic(key).description}"
        for key in under_covered(coverage.counts)
    ] or ["None."]
    if coverage.malformed:
        lines += [
            "",
            "## Malformed lines",
            "",
            markdown_table(["reason", "lines"], sorted(coverage.malformed.items())).rstrip("\n"),
        ]
    lines += ["", "## Examples", ""]
    for key, examples in coverage.examples.items():
        if examples:
            lines += [f"**{subtopic(key).title}**", ""]
            lines += [f"- `{item.source}:{item.line}` — {_short(item.text)}" for item in examples]
            lines.append("")
    lines += _classifier_section(classifier_name, evaluation, labelled_from, recorded, evaluated_of)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_outputs(
    out_dir: Path,
    coverage: Coverage,
    evaluation: Evaluation | None,
    classifier_name: str,
    labelled_from: str | None = None,
    recorded: dict | None = None,
    evaluated_of: int = 0,
) -> dict[str, Path]:
    """Write report.md, gaps.json and coverage.png into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gaps = gaps_document(coverage, classifier_summary(classifier_name, recorded))
    ordered = sorted(coverage.counts, key=lambda key: -coverage.counts[key])
    chart_tmp = out_dir / f".{COVERAGE_CHART_FILE}.tmp.png"
    bar_chart(
        ordered,
        [coverage.counts[key] for key in ordered],
        chart_tmp,
        title=f"HH-RLHF fitness conversations per subtopic (n={coverage.fitness:,} of "
        f"{coverage.conversations:,})",
        xlabel="conversations",
        highlight=gaps["under_covered"],
        highlight_label="under-covered",
    )
    os.replace(chart_tmp, out_dir / COVERAGE_CHART_FILE)
    write_text_atomic(out_dir / GAPS_FILE, json.dumps(gaps, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(
        out_dir / ANALYSIS_REPORT_FILE,
        render_report(coverage, gaps, evaluation, classifier_name, labelled_from, recorded, evaluated_of),
    )
    return {name: out_dir / name for name in (ANALYSIS_REPORT_FILE, GAPS_FILE, COVERAGE_CHART_FILE)}
