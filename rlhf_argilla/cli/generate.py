"""``rlhf-argilla generate``: fitness prompts and contrasting response pairs with distilabel."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from rlhf_argilla.cli.common import console, err_console, get_settings, progress_bar
from rlhf_argilla.errors import InputError
from rlhf_argilla.llms.profiles import backend_names

app = typer.Typer(
    help="Generate fitness prompts and response pairs with distilabel pipelines (embedded model by "
    "default: no key, no network; --backend anthropic for Claude).",
    no_args_is_help=True,
)

OutOption = typer.Option(Path("out/gen"), "--out", "-o", help="Output folder.")
BackendOption = typer.Option(
    None,
    "--backend",
    help=f"One of: {', '.join(backend_names())} (registered backends; default: the backend setting, embedded).",
)
ModelOption = typer.Option(None, "--model", help="Claude model for generation (anthropic backend).")
MaxCostOption = typer.Option(
    None, "--max-cost", help="Stop making new calls after this many USD; keeps what was made."
)
BatchOption = typer.Option(
    None,
    "--batch/--no-batch",
    help="Send the Anthropic calls as Message Batches: half price, answers within hours; a rerun "
    "resumes the same batches (default: settings.batch).",
)
RayOption = typer.Option(None, "--ray/--no-ray", help="Run the pipeline on Ray (default: settings.use_ray).")


def _usage_table(lines) -> Table:
    table = Table("stage", "model", "new/cached/miss", "tok in/out", "cache w/r", "USD", title="LLM usage")
    for line in lines:
        table.add_row(
            line.stage,
            line.model,
            f"{line.new_calls}/{line.cached_calls}/{line.missing}",
            f"{line.input_tokens:,}/{line.output_tokens:,}",
            f"{line.cache_creation_input_tokens:,}/{line.cache_read_input_tokens:,}",
            f"{line.cost_usd:.4f}",
            style="bold" if line.stage == "total" else None,
        )
    return table


def _run_with_progress(label: str, total: int, work):
    """Run ``work(on_progress, on_status)`` under one bar; batch mode's status shows beside the label.

    Without a terminal (CI, a log file) the bar is hidden, so each new batch status is printed as a line.
    """
    last = ""

    def on_status(status: str) -> None:
        nonlocal last
        bar.update(task, description=f"{label} [dim]· {status}[/]")
        if not err_console.is_terminal and status != last:
            err_console.print(f"batch: {status}", highlight=False)
            last = status

    with progress_bar() as bar:
        task = bar.add_task(label, total=total)
        result = work(lambda done, _total, note=None: bar.update(task, completed=min(done, total)), on_status)
        bar.update(task, completed=total)
    return result


@app.command("prompts")
def prompts(
    ctx: typer.Context,
    n: int = typer.Option(120, "-n", "--num", help="Prompts to allocate."),
    out: Path = OutOption,
    gaps: Path | None = typer.Option(
        None, "--gaps", help="gaps.json from `analyze`: weight subtopics by it."
    ),
    subtopics: str | None = typer.Option(None, "--subtopics", help="Comma-separated subtopic ids to keep."),
    seed: int = typer.Option(42, "--seed", help="Allocation seed."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    max_cost: float | None = MaxCostOption,
    ray: bool | None = RayOption,
    batch: bool | None = BatchOption,
) -> None:
    """Allocate N prompts over subtopic x persona x difficulty and write OUT/prompts.jsonl.

    Example: rlhf-argilla generate prompts -n 120 --out out/gen
    """
    from rlhf_argilla.generation.prompts import generate_prompts
    from rlhf_argilla.outputs import guard, record
    from rlhf_argilla.schema import PROMPTS_FILE, PROMPTS_SUMMARY_FILE

    settings = get_settings(ctx, backend=backend)
    guard(out, [PROMPTS_FILE, PROMPTS_SUMMARY_FILE])
    began = time.monotonic()
    result = _run_with_progress(
        "new LLM calls (prompts)",
        n,
        lambda on_progress, on_status: generate_prompts(
            settings,
            n,
            out,
            gaps=gaps,
            subtopics=subtopics.split(",") if subtopics else None,
            seed=seed,
            max_cost_usd=max_cost,
            model=model,
            use_ray=ray,
            on_progress=on_progress,
            on_status=on_status,
            batch=batch,
        ),
    )
    record(out, [PROMPTS_FILE, PROMPTS_SUMMARY_FILE])
    console.print(_usage_table(result.usage))
    subtopic_count = len({row.subtopic for row in result.rows})
    console.print(
        f"Wrote {len(result.rows)} prompts ({result.requested} allocated) over {subtopic_count} "
        f"subtopics to {result.path} in {time.monotonic() - began:.0f}s"
    )


@app.command("pairs")
def pairs(
    ctx: typer.Context,
    prompts_path: Path = typer.Option(Path("out/gen"), "--prompts", help="prompts.jsonl or its folder."),
    out: Path = OutOption,
    candidates: int | None = typer.Option(
        None, "--candidates", help="Answers per prompt, 2 or 3 (default 3)."
    ),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    judge_model: str | None = typer.Option(None, "--judge-model", help="Claude model for the judge."),
    judge_swap_share: float | None = typer.Option(
        None,
        "--judge-swap-share",
        min=0.0,
        max=1.0,
        help="Share of prompts the LLM judge also judges in the reversed candidate order; reports swap "
        "consistency (OUT/judge_swap.json); flipped verdicts keep no judge margin "
        "(default: settings.judge_swap_share).",
    ),
    max_cost: float | None = MaxCostOption,
    ray: bool | None = RayOption,
    batch: bool | None = BatchOption,
    close_share: float | None = typer.Option(
        None,
        "--close-share",
        help="Share of prompts, 0-1, answered for a close pair (two honest personas); the others get a "
        "contrast pair (a flaw strategy on one side). Default: settings.close_share (0.5).",
    ),
    seed: int = typer.Option(42, "--seed", help="Seed of the draw of close prompts."),
) -> None:
    """Answer each prompt with several strategies, judge them, keep the most different pair of its kind.

    Writes OUT/pairs.jsonl (one pair per prompt, each with its pair_kind) and reports the
    judge-predicted tie rate, overall and per kind (and the judge's swap consistency with
    --judge-swap-share).

    Example: rlhf-argilla generate pairs --prompts out/gen --out out/gen --close-share 0.5
    """
    from rlhf_argilla.generation.judge_swap import JUDGE_SWAP_FILE, swap_summary
    from rlhf_argilla.generation.pairs import generate_pairs
    from rlhf_argilla.generation.prompts import read_prompts
    from rlhf_argilla.generation.selection import TIE_MARGIN
    from rlhf_argilla.llms.profiles import profile_for
    from rlhf_argilla.outputs import guard, record
    from rlhf_argilla.schema import PAIRS_FILE, PAIRS_SUMMARY_FILE

    if candidates is not None and not 2 <= candidates <= 3:
        raise InputError("--candidates must be 2 or 3")
    if close_share is not None and not 0 <= close_share <= 1:
        raise InputError(f"--close-share must be between 0 and 1, got {close_share}")
    settings = get_settings(ctx, backend=backend)
    rows = read_prompts(prompts_path)
    outputs = [PAIRS_FILE, PAIRS_SUMMARY_FILE, JUDGE_SWAP_FILE]
    guard(out, outputs)
    profile = profile_for(settings.backend)
    k = candidates or profile.candidates
    share = settings.judge_swap_share if judge_swap_share is None else judge_swap_share
    total = len(rows) * profile.calls_per_prompt(k) + (round(len(rows) * share) if profile.judges else 0)
    began = time.monotonic()
    result = _run_with_progress(
        "new LLM calls (pairs)",
        total,
        lambda on_progress, on_status: generate_pairs(
            settings,
            rows,
            out,
            candidates=k,
            max_cost_usd=max_cost,
            model=model,
            judge_model=judge_model,
            use_ray=ray,
            on_progress=on_progress,
            on_status=on_status,
            batch=batch,
            judge_swap_share=share,
            close_share=close_share,
            seed=seed,
        ),
    )
    record(out, outputs)
    console.print(_usage_table(result.usage))
    console.print(
        f"Wrote {len(result.pairs)} pairs for {result.prompts} prompts to {result.path} in "
        f"{time.monotonic() - began:.0f}s; judge-predicted tie rate {result.tie_rate:.1%} "
        f"(|margin| < {TIE_MARGIN})"
    )
    if result.swap:
        console.print(f"{swap_summary(result.swap)} ({out / JUDGE_SWAP_FILE})")
    elif share > 0:
        console.print(
            "No swap probe: heuristic-v1 rates each answer alone, so its scores cannot depend on order."
        )
    console.print(
        "Pair kinds: "
        + "; ".join(
            f"{kind} {item['pairs']} (drawn {item['requested']}, predicted ties {item['predicted_tie_rate']:.1%})"
            for kind, item in result.kinds.items()
        )
    )
