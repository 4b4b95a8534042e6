"""``rlhf-argilla simulate``: simulated annotators answer a dataset through the real API (demos, tests)."""

from __future__ import annotations

from pathlib import Path

import typer

from rlhf_argilla.cli.common import bar_progress, console, get_settings, progress_bar


def simulate(
    ctx: typer.Context,
    dataset: str = typer.Option(..., "--dataset", "-d", help="Argilla dataset to answer."),
    annotators: int = typer.Option(3, "--annotators", "-n", min=1, max=20, help="Simulated annotators."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same answers (reruns replace them)."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Workspace (default: settings)."),
    draft_rate: float = typer.Option(0.06, "--draft-rate", min=0, max=1, help="Share left as drafts."),
    discard_rate: float = typer.Option(0.03, "--discard-rate", min=0, max=1, help="Share discarded."),
    tie_rate: float = typer.Option(0.08, "--tie-rate", min=0, max=1, help="Extra share of ranking ties."),
    accept_suggestions: float = typer.Option(
        0.0,
        "--accept-suggestions",
        min=0,
        max=1,
        help="Planted anchoring: share of answers keeping all suggestions.",
    ),
    profiles: str | None = typer.Option(
        None,
        "--profiles",
        help="Comma-separated behaviour per annotator (sets --annotators): "
        "careful, noisy, spammer, straight-liner, position-biased, suggestion-accepter.",
    ),
    pairs: Path | None = typer.Option(
        None, "--pairs", help="pairs.jsonl (or folder): blind records are judged around the judge's scores."
    ),
) -> None:
    """Simulated users (sim-annotator-1…N) answer every record: demos and tests only.

    Answers follow the judge suggestions plus per-annotator bias and noise,
    with some disagreement, ties, drafts and discards. Each simulated user
    sends them through the web UI's bulk responses endpoint; rationales are
    tagged \\[simulated]. Needs an owner API key.

    Example: rlhf-argilla simulate --dataset fitness-prefs --annotators 3 --seed 7

    Example: rlhf-argilla simulate -d fitness-prefs --profiles careful,careful,noisy,spammer
    """
    from rlhf_argilla.annotation.simulate import simulate as run
    from rlhf_argilla.annotation.simulate_plan import SimulationConfig
    from rlhf_argilla.domain.annotator_profiles import PROFILE_IDS

    planted = tuple(item.strip() for item in (profiles or "").split(",") if item.strip())
    unknown = [item for item in planted if item not in PROFILE_IDS]
    if unknown:
        raise typer.BadParameter(
            f"unknown {unknown[0]!r}; use {', '.join(PROFILE_IDS)}", param_hint="--profiles"
        )
    settings = get_settings(ctx, workspace=workspace)
    config = SimulationConfig(
        annotators=len(planted) or annotators,
        profiles=planted,
        seed=seed,
        draft_rate=draft_rate,
        discard_rate=discard_rate,
        tie_rate=tie_rate,
        accept_rate=accept_suggestions,
    )
    reference = None
    if pairs is not None:
        from rlhf_argilla.annotation.judge_report import judge_suggestions
        from rlhf_argilla.annotation.push import iter_pairs, pairs_path

        reference = judge_suggestions(iter_pairs(pairs_path(pairs)))
    with progress_bar() as bar:
        task = bar.add_task("Simulated answers", total=None)
        result = run(
            settings,
            dataset,
            config,
            on_progress=bar_progress(bar, task),
            reference=reference,
        )
    for name, counts in result.counts.items():
        number = result.annotators.index(name) + 1
        played = f" ({config.profile_of(number)} profile)" if planted else ""
        console.print(f"{name}{played}: " + ", ".join(f"{counts[status]} {status}" for status in counts))
    console.print(f"{result.records} records answered by {len(result.annotators)} simulated annotators.")
