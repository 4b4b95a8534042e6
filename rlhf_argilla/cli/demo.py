"""``rlhf-argilla demo``: the whole loop on the embedded model, what `make demo` runs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from rlhf_argilla.cli.common import bar_progress, console, get_settings, progress_bar

STAGE_TITLES = {
    "argilla": "Argilla stack",
    "analyze": "Analyze HH-RLHF",
    "prompts": "Generate prompts",
    "pairs": "Generate pairs",
    "push": "Push to Argilla",
    "simulate": "Simulated annotators",
    "pull": "Pull + agreement",
    "build": "Build splits + card",
    "publish": "Publish (dry run)",
}


def demo(
    ctx: typer.Context,
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help="Folder for every artefact."),
    hh_data: list[str] = typer.Option(
        None,
        "--hh-data",
        help="HH-RLHF *.jsonl.gz files or folders "
        "(repeatable), e.g. ../shared/data/hh-rlhf-sample. Default: Anthropic/hh-rlhf from the Hub.",
    ),
    prompts: int = typer.Option(120, "--prompts", "-n", min=10, help="Prompts to generate."),
    annotators: int = typer.Option(
        4, "--annotators", min=1, max=10, help="Simulated annotators (careful, careful, spammer, noisy, ...)."
    ),
    dataset: str = typer.Option("fitness-preferences-demo", "--dataset", help="Argilla dataset name."),
    repo_id: str = typer.Option(
        "your-hf-name/fitness-preferences", "--repo-id", help="Hub repo the dry run prepares."
    ),
    with_anthropic: bool = typer.Option(
        False,
        "--with-anthropic",
        help="Generate with Claude (needs ANTHROPIC_API_KEY) instead of the embedded model.",
    ),
    max_cost: float | None = typer.Option(None, "--max-cost", help="USD cap on new Claude calls."),
    ray: bool = typer.Option(False, "--ray", help="Run the generation pipelines on Ray."),
    seed: int = typer.Option(42, "--seed", help="Seed for allocation, simulation and splits."),
) -> None:
    """Run the whole loop: stack up, analyze, generate, push, simulate annotators, pull, build, dry-run publish.

    Needs no API key and no network with the embedded model. A rerun is fast: LLM calls are cached,
    unchanged records are skipped. At the end the Argilla UI is ready for real annotators.

    Example: rlhf-argilla demo --hh-data ../shared/data/hh-rlhf-sample --out out/demo
    """
    from rlhf_argilla.workflow.demo import DemoOptions, run_demo

    settings = get_settings(ctx, backend="anthropic" if with_anthropic else None, use_ray=ray or None)
    options = DemoOptions(
        out=out,
        hh_data=hh_data or [],
        prompts=prompts,
        annotators=annotators,
        dataset=dataset,
        repo_id=repo_id,
        seed=seed,
        max_cost_usd=max_cost,
    )
    with progress_bar() as bar:
        summary = run_demo(settings, options, _RichReporter(bar))
    _print_summary(summary)


class _RichReporter:
    """One progress row per stage, its one-line summary when done."""

    def __init__(self, bar):
        self.bar = bar
        self.task = None

    def stage_started(self, name: str):
        self.task = self.bar.add_task(STAGE_TITLES[name], total=None, visible=True)
        return bar_progress(self.bar, self.task)

    def stage_finished(self, outcome) -> None:
        self.bar.update(
            self.task, description=f"{STAGE_TITLES[outcome.name]}: {outcome.summary}", total=1, completed=1
        )


def _print_summary(summary) -> None:
    stages = Table("stage", "seconds", "result", title=f"Demo finished in {summary.seconds:.0f}s")
    for stage in summary.stages:
        stages.add_row(STAGE_TITLES[stage.name], f"{stage.seconds:.1f}", stage.summary)
    console.print(stages)
    figures = Table("figure", "value")
    for name, value in summary.figures.items():
        figures.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(figures)
    artefacts = Table("artefact", "where")
    for name, path in summary.artefacts.items():
        artefacts.add_row(name, str(path))
    console.print(artefacts)
    console.print(f"Argilla UI: [bold]{summary.argilla_url}[/]", soft_wrap=True)
    if summary.login:
        console.print(
            f"Log in as [bold]{summary.login[0]}[/] / [bold]{summary.login[1]}[/] and open the dataset "
            "to annotate it yourself.",
            soft_wrap=True,
        )
