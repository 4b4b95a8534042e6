"""distilabel pipeline: contrasting response pairs for fitness prompts.

DAG::

    load_prompts (LoadDataFromDicts: prompts.jsonl + each prompt's pair kind and candidate strategies)
      >> answer_with_strategies (AnswerWithStrategies task: one answer per strategy)
      >> judge (LLMJudge, UltraFeedback-style, when the backend profile judges; HeuristicJudge
                heuristic-v1 otherwise, e.g. on the embedded model)
      >> select_pair (SelectPair: widest predicted margin above a text-distance floor, among the
                      pairs of the prompt's kind: contrast = a flaw on one side, close = two personas)

``rlhf-argilla generate pairs`` runs this DAG and writes pairs.jsonl; run on its own it saves
distilabel's Distiset::

    python pipelines/response_pairs.py --help
    python pipelines/response_pairs.py --prompts out/gen --out out/pairs-distiset
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.schema import PromptRow

__all__ = ["build_pairs_pipeline", "main"]


def build_pairs_pipeline(
    settings: Settings,
    prompts: Sequence[PromptRow],
    *,
    candidates: int,
    max_cost_usd: float | None = None,
    model: str | None = None,
    judge_model: str | None = None,
    batch_size: int | None = None,
    budget_id: str | None = None,
    batch_run_id: str | None = None,
    judge_swap_share: float = 0.0,
    close_share: float | None = None,
    seed: int = 42,
) -> Pipeline:
    """The distilabel pipeline answering, judging and pairing ``prompts``.

    ``settings.lean_candidates`` answers with two candidates where the set's flaw makes the
    contrast certain, ``settings.judge_skip_margin`` keeps heuristic-v1's scores where they already
    predict that margin (no judge call), ``settings.judge_model`` is the default judge model;
    ``batch_run_id`` queues the calls for Message Batches (:mod:`rlhf_argilla.generation.batch_mode`);
    ``judge_swap_share`` of the prompts are judged in both orders (:mod:`rlhf_argilla.generation.judge_swap`).
    ``close_share`` (default ``settings.close_share``) of the prompts, drawn with ``seed``, are
    answered by honest personas only for a close pair (:mod:`rlhf_argilla.generation.kinds`).
    """
    from distilabel.pipeline import Pipeline
    from distilabel.steps import LoadDataFromDicts

    from rlhf_argilla.generation.candidates import strategies_for
    from rlhf_argilla.generation.kinds import assign_kinds
    from rlhf_argilla.generation.runner import pipeline_cache_dir
    from rlhf_argilla.generation.selection import MIN_DISTANCE
    from rlhf_argilla.generation.steps import AnswerWithStrategies, HeuristicJudge, LLMJudge, SelectPair
    from rlhf_argilla.llms.factory import build_llm
    from rlhf_argilla.llms.profiles import profile_for

    profile = profile_for(settings.backend)
    budget = budget_id or f"pairs-{uuid.uuid4().hex}"  # generator and judge share one spend ledger
    generator = build_llm(
        settings,
        role="generator",
        model=model,
        max_cost_usd=max_cost_usd,
        max_new_tokens=profile.answer_tokens,
        budget_id=budget,
        batch_run_id=batch_run_id,
    )
    # a batch keeps every slot of the LLM busy: calls in flight = rows x candidates
    rows_per_batch = batch_size or max(4, profile.concurrency * 4 // candidates)
    share = settings.close_share if close_share is None else close_share
    kinds = assign_kinds([prompt.prompt_id for prompt in prompts], share, seed)
    data = [
        {
            **prompt.model_dump(include={"prompt_id", "prompt", "subtopic", "persona", "difficulty"}),
            "pair_kind": kind,
            "strategies": strategies_for(
                prompt.prompt_id, candidates, lean=settings.lean_candidates, kind=kind
            ),
        }
        for prompt, kind in zip(prompts, kinds)
    ]
    with Pipeline(name="rlhf-argilla-pairs", cache_dir=pipeline_cache_dir(settings)) as pipeline:
        load = LoadDataFromDicts(name="load_prompts", data=data, batch_size=rows_per_batch)
        answer = AnswerWithStrategies(
            name="answer_with_strategies",
            llm=generator,
            input_batch_size=rows_per_batch,
            apply_flaw_edits=profile.flaw_edits,
        )
        if not profile.judges:
            judge = HeuristicJudge(name="judge", input_batch_size=rows_per_batch)
        else:
            judge_llm = build_llm(
                settings,
                role="judge",
                model=judge_model or settings.judge_model,
                max_cost_usd=max_cost_usd,
                budget_id=budget,
                batch_run_id=batch_run_id,
            )
            judge = LLMJudge(
                name="judge",
                llm=judge_llm,
                input_batch_size=rows_per_batch,
                skip_margin=settings.judge_skip_margin,
                swap_share=judge_swap_share,
            )
        select = SelectPair(name="select_pair", min_distance=MIN_DISTANCE, input_batch_size=rows_per_batch)
        load >> answer >> judge >> select
    return pipeline


def main(argv: Sequence[str] | None = None) -> None:
    """Read prompts.jsonl, run this DAG with distilabel and save the Distiset to ``--out``."""
    parser = argparse.ArgumentParser(
        prog="response_pairs.py",
        description="distilabel pipeline: response pairs "
        "(load_prompts >> answer_with_strategies >> judge >> select_pair).",
        epilog="Example: python pipelines/response_pairs.py --prompts out/gen --out out/pairs-distiset",
    )
    parser.add_argument("--prompts", required=True, help="prompts.jsonl or its folder")
    parser.add_argument("--out", required=True, help="folder the Distiset is saved to")
    parser.add_argument("--backend", help="LLM backend (default: settings; embedded is keyless)")
    parser.add_argument("--candidates", type=int, choices=(2, 3), help="answers per prompt")
    parser.add_argument("--max-cost", type=float, help="USD spend cap shared by answers and judge")
    parser.add_argument(
        "--judge-swap-share", type=float, help="share of prompts judged in both candidate orders"
    )
    parser.add_argument(
        "--close-share", type=float, help="share of close pairs (two honest personas); default: settings"
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of the pair-kind draw (default 42)")
    parser.add_argument("--ray", action="store_true", help="run on Ray (pipeline.ray())")
    args = parser.parse_args(argv)

    from rlhf_argilla.config import load_settings
    from rlhf_argilla.generation.prompts import read_prompts
    from rlhf_argilla.llms.profiles import profile_for

    settings = load_settings(backend=args.backend)
    prompts = read_prompts(Path(args.prompts))
    candidates = args.candidates or profile_for(settings.backend).candidates
    swap_share = settings.judge_swap_share if args.judge_swap_share is None else args.judge_swap_share
    pipeline = build_pairs_pipeline(
        settings,
        prompts,
        candidates=candidates,
        max_cost_usd=args.max_cost,
        judge_swap_share=swap_share,
        close_share=args.close_share,
        seed=args.seed,
    )
    runnable = pipeline.ray(ray_head_node_url=settings.ray_address) if args.ray else pipeline
    distiset = runnable.run(use_cache=False)
    distiset.save_to_disk(args.out)
    print(f"saved the Distiset of {len(prompts)} prompts to {args.out}")


if __name__ == "__main__":
    main()
