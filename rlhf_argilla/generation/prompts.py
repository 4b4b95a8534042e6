"""The prompt pipeline: allocated slots -> LLM-written questions -> composed, filtered, de-duplicated
prompts.jsonl (+ a usage summary).

DAG (distilabel): ``load_slots >> write_question >> finalise_prompts``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from rlhf_argilla.generation.allocation import Slot, allocate, load_gap_weights
from rlhf_argilla.generation.batch_mode import new_run_id, require_batch_backend, run_batched
from rlhf_argilla.generation.questions import TEMPLATE_STRATEGY, compose_prompt, question_part
from rlhf_argilla.generation.similarity import NearDuplicateIndex
from rlhf_argilla.generation.usage_summary import CallRecord, UsageLine, summarise_calls
from rlhf_argilla.schema import PROMPTS_FILE, Generator, PromptRow, Usage, content_id

if TYPE_CHECKING:
    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.generation.runner import ProgressFn
    from rlhf_argilla.llms.message_batches import StatusFn

__all__ = [
    "finalise",
    "build_prompt_pipeline",
    "generate_prompts",
    "PromptsResult",
    "read_prompts",
    "write_jsonl",
    "PROMPT_MAX_NEW_TOKENS",
    "usage_of",
]

#: Questions are short; a tight cap keeps the embedded model fast.
PROMPT_MAX_NEW_TOKENS = 56
SUMMARY_FILE = "prompts.summary.json"
_USAGE_FIELDS = set(Usage.model_fields)


def usage_of(statistics: dict[str, Any] | None) -> Usage:
    """Schema usage from one call's statistics (flags such as ``from_cache`` dropped)."""
    return Usage(**{key: value for key, value in (statistics or {}).items() if key in _USAGE_FIELDS})


def _statistics(row: dict[str, Any], key: str) -> dict[str, Any]:
    stats = (row.get("distilabel_metadata") or {}).get(key) or {}
    return {
        name: values[0] if isinstance(values, list) else values for name, values in stats.items() if values
    }


def finalise(rows: Sequence[dict[str, Any]], statistics_key: str, backend: str) -> list[dict[str, Any]]:
    """Compose each prompt, fall back to the template when the model's question is unusable or a
    near-duplicate, and drop what is still a duplicate; order by slot index (deterministic).

    Near-duplicates are judged on the text after the asker scaffold, among prompts of the same
    persona (the same question from a teenager and from an older adult is two prompts).

    Args:
        rows: writer outputs (slot columns, raw_question, model_name, distilabel_metadata).
        statistics_key: metadata key of the writer's usage statistics.
        backend: ``generator.backend`` label ("embedded" or "anthropic").

    Returns:
        Rows ``{"index", "prompt_row" (PromptRow JSON), "usage" (JSON)}`` for the kept prompts.

    Example:
        >>> rows = [{"index": i, "subtopic": "supplements", "persona": "teen_athlete", "difficulty": "basic",
        ...          "variant": 0, "raw_question": None, "model_name": "m"} for i in range(2)]
        >>> [json.loads(r["prompt_row"])["generator"]["strategy"] for r in finalise(rows, "s", "embedded")]
        ['template-fallback-v1']
    """
    by_asker: dict[str, NearDuplicateIndex] = {}  # the asker scaffold is shared by design: compare the rest
    kept = []
    for row in sorted(rows, key=lambda item: item["index"]):
        slot = Slot(row["index"], row["subtopic"], row["persona"], row["difficulty"], row["variant"])
        index = by_asker.setdefault(slot.persona, NearDuplicateIndex())
        text, strategy = compose_prompt(slot, row.get("raw_question"))
        if not index.add(question_part(slot, text)):
            if strategy == TEMPLATE_STRATEGY:
                continue
            text, strategy = compose_prompt(slot, None)
            if not index.add(question_part(slot, text)):
                continue
        stats = _statistics(row, statistics_key)
        model = row.get("model_name") or "unknown"
        prompt = PromptRow(
            prompt_id=content_id(text),
            prompt=text,
            subtopic=slot.subtopic,
            persona=slot.persona,
            difficulty=slot.difficulty,
            generator=Generator(backend=backend, model=model, strategy=strategy),
            usage=usage_of(stats),
        )
        kept.append(
            {
                "index": slot.index,
                "prompt_row": prompt.model_dump_json(),
                "usage": json.dumps(stats if row.get("raw_question") is not None else None),
            }
        )
    return kept


def build_prompt_pipeline(
    settings: Settings,
    slots: Sequence[Slot],
    *,
    max_cost_usd: float | None = None,
    model: str | None = None,
    batch_size: int = 32,
    batch_run_id: str | None = None,
) -> Pipeline:
    """The distilabel pipeline writing one question per slot (``batch_run_id``: for Message Batches)."""
    from distilabel.pipeline import Pipeline
    from distilabel.steps import LoadDataFromDicts

    from rlhf_argilla.generation.runner import pipeline_cache_dir
    from rlhf_argilla.generation.steps import FinalisePrompts, WriteQuestion
    from rlhf_argilla.llms.factory import build_llm

    llm = build_llm(
        settings,
        role="generator",
        model=model,
        max_new_tokens=PROMPT_MAX_NEW_TOKENS,
        max_cost_usd=max_cost_usd,
        budget_id=f"prompts-{batch_run_id}" if batch_run_id else None,
        batch_run_id=batch_run_id,
    )
    with Pipeline(name="rlhf-argilla-prompts", cache_dir=pipeline_cache_dir(settings)) as pipeline:
        load = LoadDataFromDicts(
            name="load_slots", data=[asdict(slot) for slot in slots], batch_size=batch_size
        )
        write = WriteQuestion(name="write_question", llm=llm, input_batch_size=batch_size)
        final = FinalisePrompts(name="finalise_prompts", writer_name=write.name, backend=settings.backend)
        load >> write >> final
    return pipeline


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
    on_progress: ProgressFn | None = None,
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
    from rlhf_argilla.generation.runner import preflight, run_pipeline

    weights = load_gap_weights(gaps) if gaps is not None else None
    slots = allocate(n, subtopics, weights, seed)
    batched = settings.batch if batch is None else batch
    if batched:
        require_batch_backend(settings)
    preflight(settings, model)

    def build(run_id: str | None) -> Pipeline:
        return build_prompt_pipeline(
            settings, slots, max_cost_usd=max_cost_usd, model=model, batch_run_id=run_id
        )

    if batched:
        rows = run_batched(
            settings,
            build,
            run_id=new_run_id(),
            max_cost_usd=max_cost_usd,
            use_ray=use_ray,
            on_progress=on_progress,
            on_status=on_status,
        )
    else:
        rows = run_pipeline(build(None), settings, use_ray=use_ray, on_progress=on_progress)
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
    (out_dir / SUMMARY_FILE).write_text(
        json.dumps(
            {"requested": n, "written": len(prompts), "usage": [line.to_dict() for line in usage]}, indent=2
        )
    )
    return PromptsResult(prompts, usage, n, path)


def write_jsonl(path: Path, rows: Sequence[BaseModel]) -> Path:
    """Write rows as JSON lines atomically (a temporary file renamed over ``path``)."""
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text("".join(row.model_dump_json() + "\n" for row in rows), encoding="utf-8")
    tmp.replace(path)
    return path


def read_prompts(path: Path) -> list[PromptRow]:
    """Read prompts.jsonl (``path`` may be the file or its folder)."""
    from rlhf_argilla.errors import GenerationError

    path = path / PROMPTS_FILE if path.is_dir() else path
    if not path.is_file():
        raise GenerationError(f"{path} not found; run `rlhf-argilla generate prompts --out DIR` first")
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
