"""distilabel pipeline: fitness prompts.

DAG::

    load_slots (LoadDataFromDicts: allocated subtopic x persona x difficulty)
      >> write_question (WriteQuestion task: the LLM phrases one question per slot)
      >> finalise_prompts (GlobalStep: asker scaffold, usable-question filter with templated
                           fallback, MinHash near-duplicate removal)

``rlhf-argilla generate prompts`` runs this DAG and writes prompts.jsonl; run on its own it saves
distilabel's Distiset::

    python pipelines/fitness_prompts.py --help
    python pipelines/fitness_prompts.py -n 12 --out out/prompts-distiset
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.generation.allocation import Slot

__all__ = ["build_prompt_pipeline", "main", "PROMPT_MAX_NEW_TOKENS"]

#: Questions are short; a tight cap keeps the embedded model fast.
PROMPT_MAX_NEW_TOKENS = 56


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


def main(argv: Sequence[str] | None = None) -> None:
    """Allocate slots, run this DAG with distilabel and save the Distiset to ``--out``."""
    parser = argparse.ArgumentParser(
        prog="fitness_prompts.py",
        description="distilabel pipeline: fitness prompts (load_slots >> write_question >> finalise_prompts).",
        epilog="Example: python pipelines/fitness_prompts.py -n 12 --out out/prompts-distiset",
    )
    parser.add_argument("-n", "--num", type=int, default=12, help="slots to allocate (default 12)")
    parser.add_argument("--out", required=True, help="folder the Distiset is saved to")
    parser.add_argument("--backend", help="LLM backend (default: settings; embedded is keyless)")
    parser.add_argument("--subtopics", help="comma-separated subtopic ids to keep")
    parser.add_argument("--seed", type=int, default=42, help="allocation seed")
    parser.add_argument("--max-cost", type=float, help="USD spend cap for new calls")
    parser.add_argument("--ray", action="store_true", help="run on Ray (pipeline.ray())")
    args = parser.parse_args(argv)

    from rlhf_argilla.config import load_settings
    from rlhf_argilla.generation.allocation import allocate

    settings = load_settings(backend=args.backend)
    slots = allocate(args.num, args.subtopics.split(",") if args.subtopics else None, None, args.seed)
    pipeline = build_prompt_pipeline(settings, slots, max_cost_usd=args.max_cost)
    runnable = pipeline.ray(ray_head_node_url=settings.ray_address) if args.ray else pipeline
    distiset = runnable.run(use_cache=False)
    distiset.save_to_disk(args.out)
    print(f"saved the Distiset of {args.num} slots to {args.out}")


if __name__ == "__main__":
    main()
