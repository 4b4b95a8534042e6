"""`build`: the pulled tables -> one DatasetDict per config saved as parquet, a chart and the card.

:func:`make_configs` is pure (rows in, rows per config and split out); :func:`build` reads the pull
folder, writes everything into a fresh temporary folder and swaps it into place, so a rerun
replaces a previous build completely and an interrupted one leaves the old build intact.
Same input + seed -> byte-identical files (rows are sorted by ``pair_id`` inside each split).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rlhf_argilla.dataset.build_stream import card_configs, light_rows, write_configs
from rlhf_argilla.dataset.card import collect_facts, render_card
from rlhf_argilla.dataset.control_card import control_facts, split_controls
from rlhf_argilla.dataset.formats import PAIRED_CONFIGS, ROW_BUILDERS, TIES_CONFIG, is_tie
from rlhf_argilla.dataset.judge_card import read_judge_report
from rlhf_argilla.dataset.kind_card import kind_facts, read_kind_alpha
from rlhf_argilla.dataset.pulled import read_extras, read_pulled
from rlhf_argilla.dataset.splits import SPLIT_NAMES, SplitRatios, assign_splits
from rlhf_argilla.errors import BuildError
from rlhf_argilla.schema import (
    AGGREGATED_FILE,
    CARD_FILE,
    PREFERENCE_LABELS,
    SUBTOPICS_CHART_FILE,
    content_id,
)
from rlhf_argilla.schema.progress import Progress

__all__ = [
    "TiesPolicy",
    "BuildResult",
    "make_configs",
    "read_pulled",
    "build",
    "check_output_folder",
]

TiesPolicy = Literal["exclude", "keep"]
Row = dict[str, Any]
Configs = dict[str, dict[str, list[Row]]]
#: a row's prompt group (``content_id`` of the prompt) when the row carries no prompt text
PROMPT_GROUP = "prompt_group"


@dataclass(frozen=True)
class BuildResult:
    out: Path
    counts: dict[str, dict[str, int]]  # config -> split -> rows
    warnings: tuple[str, ...]
    kinds: dict[str, dict[str, Any]] | None = None  # per pair kind (dataset.kind_card.kind_facts)


@dataclass(frozen=True)
class ConfigPlan:
    """Which split of which config every pair goes to (``pair_id`` keys), before any row is formatted."""

    paired: dict[str, str]  # pair id -> split, for every config of PAIRED_CONFIGS
    tied: dict[str, str]  # pair id -> split of the ties config (``ties="keep"``)
    warnings: tuple[str, ...]

    def targets(self, pair_id: str) -> list[tuple[str, str]]:
        """``(config, split)`` pairs a pair's formatted rows go to (none for a dropped tie)."""
        if pair_id in self.paired:
            return [(name, self.paired[pair_id]) for name in PAIRED_CONFIGS]
        if pair_id in self.tied:
            return [(TIES_CONFIG, self.tied[pair_id])]
        return []


def plan_configs(
    rows: Sequence[Mapping[str, Any]],
    *,
    ties: TiesPolicy = "exclude",
    ratios: SplitRatios | None = None,
    seed: int = 42,
) -> ConfigPlan:
    """The split of every pair in every config (see :func:`make_configs`); reads no response text.

    Args:
        rows: aggregated rows with ``pair_id``, ``preferred``, ``subtopic``, ``control`` and either
            ``prompt`` or :data:`PROMPT_GROUP` (the prompt's ``content_id``).
        ties, ratios, seed: see :func:`make_configs`.
    """
    ratios = ratios or SplitRatios()
    rows = split_controls(rows)[0]  # control items never reach a split
    _check_rows(rows)
    paired = [row for row in rows if not is_tie(row)]
    tied = [row for row in rows if is_tie(row)]
    if not paired:
        raise BuildError(f"all {len(rows)} pairs are ties: nothing to prefer; annotate more pairs first")
    plan = assign_splits(
        [_group(row) for row in paired], [str(row["subtopic"]) for row in paired], ratios, seed
    )
    warnings = list(plan.warnings)
    split_of = {_group(row): split for row, split in zip(paired, plan.splits)}
    tied_split: dict[str, str] = {}
    if ties == "keep" and tied:
        split_of.update(_split_tie_only(tied, split_of, ratios, seed, warnings))
        tied_split = {str(row["pair_id"]): split_of[_group(row)] for row in tied}
        missing = [split for split in ratios.active() if split not in set(tied_split.values())]
        if missing:
            warnings.append(f"the ties config has no {' / '.join(missing)} split (too few tied prompts)")
    paired_split = {str(row["pair_id"]): split for row, split in zip(paired, plan.splits)}
    return ConfigPlan(paired_split, tied_split, tuple(warnings))


def make_configs(
    rows: Sequence[Mapping[str, Any]],
    *,
    ties: TiesPolicy = "exclude",
    ratios: SplitRatios | None = None,
    seed: int = 42,
) -> tuple[Configs, tuple[str, ...]]:
    """Split the aggregated pairs and format them into every config.

    Control items (``control`` = 1) are dropped first. Splits are planned on the non-tied pairs (so the preference configs get the exact ratios);
    with ``ties="keep"`` a tied pair follows its prompt's split, and prompts with only ties are
    split on their own, so no prompt is in two splits in any config.

    Args:
        rows: aggregated rows (``schema.aggregated_columns()``).
        ties: ``"exclude"`` drops tied pairs; ``"keep"`` adds a ``ties`` config.
        ratios: split shares (default 80/10/10); seed: split seed.

    Returns:
        (config -> split -> rows sorted by ``pair_id``, warnings)

    Example:
        >>> rows = [{"pair_id": f"p{i}", "prompt": f"q{i}", "response_1": "a", "response_2": "b",
        ...          "preferred": "1", "subtopic": "running", "n_annotators": 2} for i in range(10)]
        >>> configs, _ = make_configs(rows)
        >>> {split: len(items) for split, items in configs["default"].items()}
        {'train': 8, 'validation': 1, 'test': 1}
    """
    plan = plan_configs(rows, ties=ties, ratios=ratios, seed=seed)
    members: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        for target in plan.targets(str(row["pair_id"])):
            members.setdefault(target, []).append(row)
    configs: Configs = {name: {} for name in PAIRED_CONFIGS}
    if plan.tied:
        configs[TIES_CONFIG] = {}
    for name in configs:
        configs[name] = {
            split: _format(name, members[(name, split)]) for split in SPLIT_NAMES if (name, split) in members
        }
    return configs, plan.warnings


def _group(row: Mapping[str, Any]) -> str:
    return str(row[PROMPT_GROUP]) if PROMPT_GROUP in row else content_id(str(row["prompt"]))


def _format(config: str, members: Sequence[Mapping[str, Any]]) -> list[Row]:
    builder = ROW_BUILDERS[config]
    out: list[Row] = []
    for row in sorted(members, key=lambda item: str(item["pair_id"])):
        made = builder(dict(row))
        out.extend(made if isinstance(made, list) else [made])
    return out


def _split_tie_only(
    tied: Sequence[Mapping[str, Any]],
    split_of: Mapping[str, str],
    ratios: SplitRatios,
    seed: int,
    warnings: list[str],
) -> dict[str, str]:
    """Splits for prompts that have only tied pairs (the others follow their prompt's split)."""
    alone = [row for row in tied if _group(row) not in split_of]
    if not alone:
        return {}
    groups = [_group(row) for row in alone]
    if len(set(groups)) < len(ratios.active()):
        warnings.append(
            f"{len(set(groups))} prompt(s) have only tied pairs: too few to split, all put in train"
        )
        return {group: "train" for group in groups}
    plan = assign_splits(groups, [str(row["subtopic"]) for row in alone], ratios, seed)
    return dict(zip(groups, plan.splits))


def _check_rows(rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        raise BuildError("the pulled table has no pairs: annotate and submit some records, then pull again")
    bad = sorted({str(row["preferred"]) for row in rows} - set(PREFERENCE_LABELS))
    if bad:
        raise BuildError(
            f"unexpected preferred values {bad} in {AGGREGATED_FILE}: expected 1, 2 or tie; pull again"
        )
    ids = [str(row["pair_id"]) for row in rows]
    if len(set(ids)) != len(ids):
        raise BuildError(f"duplicate pair_id values in {AGGREGATED_FILE}: pull again into an empty folder")


def build(
    pull_dir: str | Path,
    out: str | Path,
    *,
    ties: TiesPolicy = "exclude",
    ratios: SplitRatios | None = None,
    seed: int = 42,
    on_progress: Progress | None = None,
) -> BuildResult:
    """Build every config, the subtopic chart and the card from a pull folder into ``out``.

    Args:
        pull_dir: folder written by `pull` (aggregated.parquet; agreement.json and annotations.parquet
            are used for the card when present).
        out: the build folder; replaced if it holds a previous build, refused if it holds anything else.
        ties, ratios, seed: see :func:`make_configs`.
        on_progress: split files written of all, each file's relative path as the note.

    Returns:
        :class:`BuildResult` with the row counts and warnings.
    """
    from rlhf_argilla.report.charts import bar_chart

    ratios = ratios or SplitRatios()
    pull_dir, out = Path(pull_dir), Path(out)
    check_output_folder(out)
    rows, sorted_input = light_rows(pull_dir, PROMPT_GROUP)  # no texts: those are read again in batches
    agreement, simulated = read_extras(pull_dir)
    rows, controls = split_controls(rows)  # reported on the card, in no split
    plan = plan_configs(rows, ties=ties, ratios=ratios, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        counts = write_configs(pull_dir, plan, staging, sorted_input, on_progress)
        configs = card_configs(rows, plan, counts)
        facts = collect_facts(
            rows,
            configs,
            ties_policy=ties,
            ratios=ratios.as_tuple(),
            seed=seed,
            agreement=agreement,
            annotators=simulated,
            warnings=plan.warnings,
        )
        kinds = kind_facts(rows, configs, alpha=read_kind_alpha(pull_dir, rows, agreement))
        facts = dataclasses.replace(
            facts, judge=read_judge_report(pull_dir), kinds=kinds, controls=control_facts(controls, agreement)
        )
        totals = {name: sum(per.values()) for name, per in facts.subtopics.items()}
        bar_chart(
            list(totals),
            list(totals.values()),
            staging / SUBTOPICS_CHART_FILE,
            title="Pairs per subtopic",
            xlabel="pairs (default config, all splits)",
        )
        (staging / CARD_FILE).write_text(render_card(facts), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out, facts.counts, plan.warnings, kinds)


def check_output_folder(out: Path) -> None:
    """Refuse an output folder holding files a build did not write (nothing of the user's is deleted)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildError(f"{out} is a file: choose a folder")
    known = {CARD_FILE, SUBTOPICS_CHART_FILE, *PAIRED_CONFIGS, TIES_CONFIG}
    foreign = [
        entry.name
        for entry in out.iterdir()
        if entry.name not in known
        or (entry.is_dir() and any(not part.name.endswith(".parquet") for part in entry.iterdir()))
    ]
    if foreign:
        raise BuildError(
            f"{out} holds files a build did not write ({', '.join(sorted(foreign)[:3])}): "
            "choose an empty or new folder"
        )
