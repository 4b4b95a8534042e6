"""The prompt pipeline: allocated slots -> LLM-written questions -> composed, filtered, de-duplicated
prompts.jsonl (+ a usage summary).

The DAG itself (``load_slots >> write_question >> finalise_prompts``) is
:mod:`rlhf_argilla.pipelines.fitness_prompts` (also ``python pipelines/fitness_prompts.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rlhf_argilla.generation.allocation import allocate, load_gap_weights
from rlhf_argilla.generation.batch_mode import batch_mode, run_stage
from rlhf_argilla.generation.usage_summary import CallRecord, UsageLine, summarise_calls
from rlhf_argilla.schema import PROMPTS_FILE, PROMPTS_SUMMARY_FILE, PromptRow, write_jsonl, write_text_atomic

if TYPE_CHECKING:
    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.llms.message_batches import StatusFn
    from rlhf_argilla.schema.progress import Progress

__all__ = ["generate_prompts", "PromptsResult", "read_prompts"]


@dataclass
class PromptsResult:
    rows: list[PromptRow]
    usage: list[UsageLine]
    requested: int
    path: Path


def generate_prompts(
    settings: Settings,
    n: int,
    out_dir: Path,
    *,
    gaps: Path | None = None,
    subtopics: Sequence[str] | None = None,
    seed: int = 42,
    max_cost_usd: float | None = None,
    model: str | None = None,
    use_ray: bool | None = None,
    on_progress: Progress | None = None,
    batch: bool | None = None,
    on_status: StatusFn | None = None,
) -> PromptsResult:
    """Allocate ``n`` prompts, run the prompt pipeline and write ``out_dir/prompts.jsonl``.

    Args:
        settings: backend, models, data dir, Ray switch.
        n: prompts to allocate (near-duplicates are dropped, so slightly fewer may be written).
        out_dir: output folder (created).
        gaps: gaps.json of ``analyze`` to weight subtopics (default: uniform).
        subtopics: restrict to these subtopic ids.
        seed: allocation seed.
        max_cost_usd: spend cap for new calls; unanswered slots fall back to templates.
        model: generator model (Anthropic backend).
        use_ray: force Ray on/off (default ``settings.use_ray``).
        on_progress: progress callback (new LLM calls finished).
        batch: send the calls as Message Batches at batch prices (default ``settings.batch``).
        on_status: batch mode: called with a one-line batch status after every poll.

    Returns:
        The written rows and a usage summary.
    """
    from rlhf_argilla.generation.runner import preflight
    from rlhf_argilla.pipelines.fitness_prompts import build_prompt_pipeline

    weights = load_gap_weights(gaps) if gaps is not None else None
    slots = allocate(n, subtopics, weights, seed)
    batched = batch_mode(settings, batch)
    preflight(settings, model)

    def build(run_id: str | None) -> Pipeline:
        return build_prompt_pipeline(
            settings, slots, max_cost_usd=max_cost_usd, model=model, batch_run_id=run_id
        )

    rows = run_stage(
        settings,
        build,
        batched=batched,
        max_cost_usd=max_cost_usd,
        use_ray=use_ray,
        on_progress=on_progress,
        on_status=on_status,
    )
    ordered = sorted(rows, key=lambda row: row["index"])
    prompts = [PromptRow.model_validate_json(row["prompt_row"]) for row in ordered]
    records = [
        CallRecord("prompts", prompt.generator.model, json.loads(row["usage"]))
        for prompt, row in zip(prompts, ordered)
    ]
    records += [CallRecord("prompts", "-", None)] * (len(slots) - len(prompts))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = write_jsonl(out_dir / PROMPTS_FILE, prompts)
    usage = summarise_calls(records)
    write_text_atomic(
        out_dir / PROMPTS_SUMMARY_FILE,
        json.dumps(
            {"requested": n, "written": len(prompts), "usage": [line.to_dict() for line in usage]}, indent=2
        ),
    )
    return PromptsResult(prompts, usage, n, path)


def read_prompts(path: Path) -> list[PromptRow]:
    """Read prompts.jsonl (``path`` may be the file or its folder)."""
    from rlhf_argilla.errors import GenerationError

    path = path / PROMPTS_FILE if path.is_dir() else path
    if not path.is_file():
        raise GenerationError(
            f"{path} not found; generate prompts into that folder first (`rlhf-argilla generate prompts`)"
        )
    try:
        return [
            PromptRow.model_validate_json(line)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    except ValueError as error:
        raise GenerationError(
            f"{path} is not a prompts.jsonl written by `generate prompts`: {error}"
        ) from None
