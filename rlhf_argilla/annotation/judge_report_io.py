"""The judge report on disk: read the dataset (REST) and pairs.jsonl, write judge_report.{json,md,png}."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.schema import write_text_atomic

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.config import Settings
    from rlhf_argilla.gateway import ArgillaRest

__all__ = [
    "JUDGE_REPORT_FILES",
    "read_blind_annotations",
    "render_markdown",
    "write_judge_report",
    "judge_report_run",
    "read_swap_summary",
    "swap_sentence",
]

JUDGE_REPORT_FILES = ("judge_report.json", "judge_report.md", "judge_report.png")


def read_blind_annotations(
    rest: ArgillaRest, dataset_id: str, usernames: dict[str, str]
) -> tuple[pd.DataFrame, set[str]]:
    """The tidy annotation table and the blind pair ids (``metadata["blind"] == 1``) of a dataset;
    control items (``push --controls``) are left out: the judge never scored them."""
    from rlhf_argilla.annotation.pull import annotations_frame, response_rows

    rows: list[tuple] = []
    blind: set[str] = set()
    for page, _total in rest.record_pages(dataset_id):
        for record in page:
            if (record.get("metadata") or {}).get(ds.META_CONTROL) == 1:
                continue
            rows.extend(response_rows(record, usernames))
            if (record.get("metadata") or {}).get(ds.META_BLIND) == 1:
                blind.add(record.get("external_id") or record["id"])
    return annotations_frame(rows), blind


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _interval(values: list[float] | None) -> str:
    return "–" if not values else f"[{values[0]:.3f}, {values[1]:.3f}]"


def render_markdown(report: dict[str, Any]) -> str:
    """The report as markdown (no timestamps: the same input gives the same bytes)."""
    source = "simulated annotators" if report["simulated"] else "human annotators"
    lines = [
        "# How far the AI judge can be trusted",
        "",
        f"On **{report['blind_records']} blind records** (shown without the judge's suggestions), answered by "
        f"{source}; {report['suggested_records']} records were shown with suggestions.",
        "",
        "| criterion | units | κ (quadratic) | α (judge as rater) | exact | ±1 | MAE |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, c in report["criteria"].items():
        lines.append(
            f"| {name} | {c['units']} | {_fmt(c.get('kappa_quadratic'))} | {_fmt(c.get('krippendorff_alpha'))} "
            f"| {_fmt(c.get('exact'))} | {_fmt(c.get('within_one'))} | {_fmt(c.get('mae'))} |"
        )
    pref = report["preference"]
    trusted = pref["trusted_margin"]
    lines += [
        "",
        f"Overall preference: the judge agrees with the human majority on {_fmt(pref['agreement'])} "
        f"(95 % Wilson {_interval(pref['interval'])}) of {pref['records']} blind records where humans did not tie.",
        "From a judge margin of "
        + (f"**{trusted:.2f}**" if trusted is not None else "no measured value")
        + f" the judge agrees with humans ≥ {report['trust_agreement']:.0%} of the time"
        + (" (human review could be skipped above it)." if trusted is not None else "."),
    ]
    if report.get("judge_swap"):
        lines += ["", swap_sentence(report["judge_swap"])]
    anchor = report["anchoring"]
    if anchor.get("effect") is not None:
        lines += [
            "",
            "Anchoring: single answers equal the judge on "
            f"{anchor['agreement_suggested']:.3f} {_interval(anchor['agreement_suggested_interval'])} of ratings "
            f"with suggestions vs {anchor['agreement_blind']:.3f} {_interval(anchor['agreement_blind_interval'])} "
            f"blind: effect {anchor['effect']:+.3f} {_interval(anchor['effect_interval'])}; estimated share of "
            f"answers that kept the suggestions {anchor['acceptance']:.3f} {_interval(anchor['acceptance_interval'])}.",
        ]
    return "\n".join(lines) + "\n"


def swap_sentence(swap: dict[str, Any]) -> str:
    """The swap probe in one sentence (report and card).

    Example:
        >>> swap_sentence({"compared": 40, "consistent": 34, "swap_consistency": 0.85, "flipped": 6})
        'Position bias: judged again with the candidates in reversed order, the judge kept its verdict on 34 of 40 prompts (swap consistency 0.85); the 6 pairs whose verdict flipped carry no judge margin or suggested ranking.'
    """
    consistency = swap.get("swap_consistency")
    return (
        "Position bias: judged again with the candidates in reversed order, the judge kept its verdict on "
        f"{swap['consistent']} of {swap['compared']} prompts (swap consistency "
        f"{'–' if consistency is None else f'{consistency:.2f}'}); the {swap['flipped']} pairs whose verdict "
        "flipped carry no judge margin or suggested ranking."
    )


def _chart(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    criteria = report["criteria"]
    names = list(criteria)
    left.bar(names, [criteria[n].get("kappa_quadratic") or 0.0 for n in names], color="#4c72b0")
    left.set_title("Judge vs humans: quadratic κ (blind)")
    left.set_ylim(-0.2, 1.0)
    left.tick_params(axis="x", rotation=30)
    curve = report["preference"]["curve"]
    if curve:
        right.plot([p["margin"] for p in curve], [p["agreement"] for p in curve], marker="o")
    right.axhline(report["trust_agreement"], color="grey", linestyle="--")
    right.set_xlabel("judge margin ≥")
    right.set_ylabel("agreement with humans")
    right.set_title("Reliability by judge margin")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def write_judge_report(out: Path, report: dict[str, Any]) -> tuple[Path, ...]:
    """Write the three files into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = tuple(out / name for name in JUDGE_REPORT_FILES)
    write_text_atomic(paths[0], json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    paths[1].write_text(render_markdown(report), encoding="utf-8")
    _chart(report, paths[2])
    return paths


def judge_report_run(
    settings: Settings, dataset: str, pairs_file: Path, out: Path, workspace: str | None = None, seed: int = 0
) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """Read the dataset and the pairs, compute the report, write it."""
    from rlhf_argilla.annotation.judge_report import judge_report
    from rlhf_argilla.annotation.push import iter_pairs, pairs_path
    from rlhf_argilla.gateway import ArgillaRest, resolve_target

    with ArgillaRest(resolve_target(settings)) as rest:
        found = rest.require_dataset(dataset, workspace or settings.workspace)
        annotations, blind = read_blind_annotations(rest, found["id"], rest.usernames(found["workspace_id"]))
    report = judge_report(annotations, iter_pairs(pairs_path(pairs_file)), blind, seed=seed)
    swap = read_swap_summary(pairs_path(pairs_file).parent)
    if swap is not None:
        report["judge_swap"] = swap
    return report, write_judge_report(out, report)


def read_swap_summary(pairs_dir: Path) -> dict[str, Any] | None:
    """The swap probe's figures from judge_swap.json next to pairs.jsonl (``generate pairs
    --judge-swap-share``), or None when the probe did not run."""
    from rlhf_argilla.generation.judge_swap import JUDGE_SWAP_FILE

    path = pairs_dir / JUDGE_SWAP_FILE
    if not path.is_file():
        return None
    found = json.loads(path.read_text(encoding="utf-8"))
    keys = ("judge_model", "probed", "compared", "consistent", "swap_consistency")
    return {**{key: found.get(key) for key in keys}, "flipped": len(found.get("flipped_prompts") or [])}
