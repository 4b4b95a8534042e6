"""The whole loop on one machine, as `make demo` / `rlhf-argilla demo` runs it.

server up -> analyze HH-RLHF -> prompts weighted by the gaps -> response pairs -> push to Argilla
-> simulated annotators (one a planted spammer) -> pull + agreement, flagged annotators excluded,
judge report on the blind slice -> build splits + card -> publish dry run.

Every stage is the same library call the stage's own command makes, and every stage is
idempotent, so a rerun reuses the LLM cache, skips unchanged records and finishes fast.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rlhf_argilla.config import Settings
from rlhf_argilla.schema import PULL_REPORT_FILE, PromptRow
from rlhf_argilla.schema.progress import Progress, no_progress

__all__ = ["DemoOptions", "StageOutcome", "DemoSummary", "run_demo", "STAGES"]

#: the demo's simulated crowd (``domain.annotator_profiles``), cycled to ``--annotators``: one planted
#: spammer among careful annotators, which the pull flags and leaves out of aggregation
DEMO_CROWD: tuple[str, ...] = ("careful", "careful", "spammer", "noisy")

STAGES: tuple[str, ...] = tuple("argilla analyze prompts pairs push simulate pull build publish".split())


@dataclass(frozen=True)
class DemoOptions:
    out: Path
    hh_data: Sequence[str]
    prompts: int = 120
    annotators: int = 4
    dataset: str = "fitness-preferences-demo"
    repo_id: str = "your-hf-name/fitness-preferences"
    seed: int = 42
    max_cost_usd: float | None = None


@dataclass(frozen=True)
class StageOutcome:
    name: str
    seconds: float
    summary: str


@dataclass
class DemoSummary:
    stages: list[StageOutcome] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    artefacts: dict[str, Path] = field(default_factory=dict)
    argilla_url: str = ""
    login: tuple[str, str] | None = None  # (username, password) of the local stack's owner

    @property
    def seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)


@dataclass
class Handoff:
    """What a stage leaves for the stages after it (None: its stage has not run yet)."""

    gaps: Path | None = None  # analyze -> prompts
    prompts: list[PromptRow] | None = None  # prompts -> pairs
    pairs: Path | None = None  # pairs -> push, simulate, pull (the judge report)
    pulled: Path | None = None  # pull -> build
    built: Path | None = None  # build -> publish


class DemoReporter(Protocol):
    """Hooks the CLI implements to show progress."""

    def stage_started(self, name: str) -> Progress: ...

    def stage_finished(self, outcome: StageOutcome) -> None: ...


class _SilentReporter:
    """The default reporter: shows nothing."""

    def stage_started(self, name: str) -> Progress:
        return no_progress

    def stage_finished(self, outcome: StageOutcome) -> None:
        pass


def run_demo(settings: Settings, options: DemoOptions, reporter: DemoReporter | None = None) -> DemoSummary:
    """Run every stage in order into ``options.out`` and return the figures and paths.

    Args:
        settings: Argilla target (local stack by default), LLM backend, data dir.
        options: sizes, names and the HH-RLHF input (empty: ``Anthropic/hh-rlhf`` from the Hub).
        reporter: progress hooks (the CLI's rich display).

    Returns:
        Per-stage timings and summaries, headline figures, artefact paths, the UI URL and login.
    """
    reporter = reporter or _SilentReporter()
    summary = DemoSummary()
    state = Handoff()
    out = options.out
    for name in STAGES:
        progress = reporter.stage_started(name)
        began = time.monotonic()
        text = _STAGE_FUNCTIONS[name](settings, options, summary, state, progress)
        outcome = StageOutcome(name, time.monotonic() - began, text)
        summary.stages.append(outcome)
        reporter.stage_finished(outcome)
    summary.artefacts.setdefault("out", out)
    return summary


# ---- stages: each returns a one-line summary and records figures / artefacts ------------------------
def _argilla(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.gateway import resolve_target

    if settings.uses_local_stack:
        from rlhf_argilla.server.stack import LocalStack

        info = LocalStack(settings).up()
        summary.login = (info.credentials.username, info.credentials.password)
        verb = "started" if info.started else "already running"
    else:
        verb = "remote"
    target = resolve_target(settings)
    summary.argilla_url = target.url
    return f"Argilla {verb} at {target.url}"


def _analyze(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.analysis.run import run_analysis
    from rlhf_argilla.schema import ANALYSIS_REPORT_FILE, GAPS_FILE

    outcome = run_analysis(
        options.hh_data,
        options.out / "analysis",
        progress=progress,
    )
    coverage = outcome.coverage
    state.gaps = outcome.files[GAPS_FILE]
    summary.artefacts["analysis report"] = outcome.files[ANALYSIS_REPORT_FILE]
    summary.figures["HH-RLHF conversations"] = coverage.conversations
    summary.figures["HH-RLHF fitness share"] = f"{coverage.fitness_share:.2%}"
    return f"{coverage.conversations:,} conversations, {coverage.fitness:,} about fitness"


def _prompts(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.generation.prompts import generate_prompts

    result = generate_prompts(
        settings,
        options.prompts,
        options.out / "generation",
        gaps=state.gaps,
        seed=options.seed,
        max_cost_usd=options.max_cost_usd,
        on_progress=progress,
    )
    subtopics = {row.subtopic for row in result.rows}
    summary.figures["prompts"] = len(result.rows)
    summary.figures["subtopics"] = len(subtopics)
    summary.artefacts["prompts"] = result.path
    state.prompts = result.rows
    return f"{len(result.rows)} prompts over {len(subtopics)} subtopics (weighted by the gaps)"


def _pairs(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.generation.pairs import generate_pairs

    result = generate_pairs(
        settings,
        state.prompts,
        options.out / "generation",
        max_cost_usd=options.max_cost_usd,
        on_progress=progress,
    )
    summary.figures["pairs"] = len(result.pairs)
    summary.figures["judge-predicted tie rate"] = result.tie_rate
    summary.artefacts["pairs"] = result.path
    state.pairs = result.path
    return f"{len(result.pairs)} pairs, judge-predicted tie rate {result.tie_rate:.1%}"


def _push(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.annotation.controls import ControlPlan
    from rlhf_argilla.annotation.push import push_file
    from rlhf_argilla.gateway import connect

    report = push_file(
        connect(settings),
        state.pairs,
        dataset=options.dataset,
        workspace=settings.workspace,
        annotators_per_record=options.annotators,
        controls=ControlPlan(seed=options.seed),  # push's default: 5 % of the pairs, at least 3
        on_progress=progress,
    )
    summary.figures["Argilla records"] = report.total
    summary.artefacts["Argilla dataset"] = Path(f"{settings.workspace}/{options.dataset}")
    return (
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged "
        f"({report.controls} control items)"
    )


def _simulate(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.annotation.judge_report import judge_suggestions
    from rlhf_argilla.annotation.push import iter_pairs
    from rlhf_argilla.annotation.simulate import simulate
    from rlhf_argilla.annotation.simulate_plan import SimulationConfig

    config = SimulationConfig(annotators=options.annotators, seed=options.seed, profiles=DEMO_CROWD)
    result = simulate(
        settings,
        options.dataset,
        config,
        on_progress=progress,
        reference=judge_suggestions(iter_pairs(state.pairs)),  # blind records: judged like the rest
    )
    crowd = ", ".join(f"{name} {config.profile_of(n)}" for n, name in enumerate(result.annotators, start=1))
    return (
        f"{len(result.annotators)} simulated annotators ({crowd}): {result.total('submitted')} submitted, "
        f"{result.total('draft')} drafts, {result.total('discarded')} discarded"
    )


def _pull(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.annotation.judge_report_io import judge_report_run
    from rlhf_argilla.annotation.pull import pull
    from rlhf_argilla.annotation.settings import OVERALL

    result = pull(
        settings,
        options.dataset,
        options.out / "pull",
        on_progress=progress,
        exclude_flagged=True,
    )
    agreement, exclusion = result.summary, result.summary.exclusion
    excluded = exclusion.names if exclusion else []
    summary.figures["flagged and excluded (simulated crowd)"] = ", ".join(excluded) or "none"
    summary.figures["alpha overall after exclusion"] = exclusion.alpha_after[OVERALL] if exclusion else None
    summary.figures["tie rate (annotators)"] = agreement.tie_rate
    summary.figures.update({f"alpha {name}": value for name, value in agreement.alpha.items()})
    summary.artefacts["agreement report"] = result.out_dir / PULL_REPORT_FILE
    judge, files = judge_report_run(settings, options.dataset, state.pairs, result.out_dir, seed=options.seed)
    summary.figures["judge vs annotators, blind records"] = judge["blind_records"]
    summary.figures["judge preference agreement (blind)"] = judge["preference"]["agreement"]
    summary.artefacts["judge report"] = files[1]
    state.pulled = result.out_dir
    return f"{result.records} records, " + ", ".join(f"{n} {s}" for s, n in agreement.counts.items())


def _build(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.dataset.build import build

    result = build(state.pulled, options.out / "dataset", seed=options.seed, on_progress=progress)
    counts = result.counts["default"]
    summary.figures["splits (default)"] = " / ".join(f"{split} {n}" for split, n in counts.items())
    summary.artefacts["dataset card"] = result.out / "README.md"
    state.built = result.out
    return ", ".join(f"{split}: {n}" for split, n in counts.items()) + " pairs (ties excluded)"


def _publish(settings, options, summary, state, progress) -> str:
    from rlhf_argilla.publish.hub import dry_run

    folder = options.out / "publish"
    files = dry_run(state.built, folder, options.repo_id)
    summary.artefacts["publish dry run"] = folder
    return f"{len(files)} files ready for {options.repo_id} (dry run)"


#: a stage: (settings, options, the summary it adds figures to, the hand-offs, its progress) -> one line
Stage = Callable[[Settings, DemoOptions, DemoSummary, Handoff, Progress], str]
_STAGE_FUNCTIONS: dict[str, Stage] = {
    "argilla": _argilla,
    "analyze": _analyze,
    "prompts": _prompts,
    "pairs": _pairs,
    "push": _push,
    "simulate": _simulate,
    "pull": _pull,
    "build": _build,
    "publish": _publish,
}
