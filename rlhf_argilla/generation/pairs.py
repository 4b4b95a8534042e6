"""The response-pair pipeline: prompts -> candidates from several strategies -> judge -> the most
contrasting pair per prompt -> pairs.jsonl (+ a usage summary and the predicted tie rate).

The DAG itself (``load_prompts >> answer_with_strategies >> judge >> select_pair``) is
:mod:`rlhf_argilla.pipelines.response_pairs` (also ``python pipelines/response_pairs.py``), where the
judge is the UltraFeedback-style :class:`LLMJudge` on a backend whose profile judges (Claude) and
the transparent :class:`HeuristicJudge` (heuristic-v1) on one that cannot judge reliably (embedded).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.domain.pair_kinds import PAIR_KINDS
from rlhf_argilla.generation.batch_mode import batch_mode, run_stage
from rlhf_argilla.generation.judge_order import ORDER_SEED
from rlhf_argilla.generation.judge_swap import JUDGE_SWAP_FILE, swap_report
from rlhf_argilla.generation.selection import MIN_DISTANCE, TIE_MARGIN, tie_rate
from rlhf_argilla.generation.usage_summary import CallRecord, UsageLine, summarise_calls
from rlhf_argilla.schema import (
    PAIRS_FILE,
    PAIRS_SUMMARY_FILE,
    PairRow,
    PromptRow,
    Response,
    Selection,
    usage_of,
    write_jsonl,
    write_text_atomic,
)
from rlhf_argilla.schema.pairs import (
    Candidate,
    JudgeScores,
    JudgeVerdict,
    PairSelection,
    answered_candidates,
    read_candidates,
)

if TYPE_CHECKING:
    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.llms.message_batches import StatusFn
    from rlhf_argilla.schema.progress import Progress

__all__ = ["generate_pairs", "assemble_pairs", "kind_summary", "PairsResult"]


def _response(candidate: Candidate, model: str, judge: JudgeScores) -> Response:
    return Response(
        text=candidate.answer,
        strategy=candidate.strategy,
        model=model,
        params=candidate.params,
        usage=usage_of(candidate.usage),
        judge=judge,
    )


def assemble_pairs(rows: Sequence[dict[str, Any]]) -> list[PairRow]:
    """Pipeline rows -> pairs.jsonl rows (prompts with fewer than two answers are skipped).

    Args:
        rows: ``select_pair`` outputs (prompt columns, candidates, judged, selection, model_name).

    Returns:
        One PairRow per prompt that got a selection, in input order.

    Raises:
        GenerationError: a column that does not fit its ``schema.pairs`` model, or a selection
            pointing past the answered candidates or their scores (one line).
    """
    pairs = []
    for row in rows:
        selection = PairSelection.of_column(row.get("selection"))
        if selection is None:
            continue
        candidate_1, candidate_2 = selection.pair(answered_candidates(row["candidates"]))
        judge_1, judge_2 = selection.pair(JudgeVerdict.of_row(row).scores or [])
        model = row["model_name"]
        response_1 = _response(candidate_1, model, judge_1)
        response_2 = _response(candidate_2, model, judge_2)
        pairs.append(
            PairRow(
                pair_id=PairRow.make_id(row["prompt"], response_1.text, response_2.text),
                prompt_id=row["prompt_id"],
                prompt=row["prompt"],
                subtopic=row["subtopic"],
                persona=row["persona"],
                difficulty=row["difficulty"],
                response_1=response_1,
                response_2=response_2,
                selection=Selection(
                    method=selection.method,
                    predicted_margin=selection.margin,
                    judge_swap=selection.swap,
                    requested_kind=selection.requested_kind,
                ),
                pair_kind=selection.kind,
            )
        )
    return pairs


@dataclass
class PairsResult:
    pairs: list[PairRow]
    usage: list[UsageLine]
    prompts: int
    tie_rate: float
    path: Path
    swap: dict[str, Any] | None = None  # judge_swap.json when the swap probe ran
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> pairs, requested, tie rate


def kind_summary(pairs: Sequence[PairRow], requested: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per pair kind: prompts drawn for it, pairs made of it, and their judge-predicted tie rate
    (over the pairs with a predicted margin: a verdict flipped by the swap probe has none).

    Args:
        pairs: the assembled pairs; requested: the kind each prompt was drawn for.

    Returns:
        ``{kind: {"requested", "pairs", "predicted_tie_rate"}}`` for every kind.
    """
    summary: dict[str, dict[str, Any]] = {}
    for kind in PAIR_KINDS:
        own = [pair.selection.predicted_margin for pair in pairs if pair.pair_kind == kind]
        summary[kind] = {
            "requested": sum(item == kind for item in requested),
            "pairs": len(own),
            "predicted_tie_rate": tie_rate([margin for margin in own if margin is not None]),
        }
    return summary


def _call_records(rows: Sequence[dict[str, Any]]) -> list[CallRecord]:
    records = []
    for row in rows:
        for item in read_candidates(row["candidates"]):
            records.append(CallRecord("answers", row["model_name"], item.usage if item.answered else None))
        verdict = JudgeVerdict.of_row(row)
        if verdict.usage:
            model = verdict.scores[0].judge_model if verdict.scores else "judge"
            records.append(CallRecord("judge", model, verdict.usage if verdict.scores else None))
        if verdict.swap is not None:
            records.append(CallRecord("judge-swap", verdict.swap.model, verdict.swap.usage or None))
    return records


def _swap_report(rows: Sequence[dict[str, Any]], share: float, seed: int) -> dict[str, Any]:
    outcomes = []
    models = set()
    for row in rows:
        probe = JudgeVerdict.of_row(row).swap
        selection = PairSelection.of_column(row.get("selection"))
        models.update([probe.model] if probe else [])
        outcomes.append((row["prompt_id"], selection.swap if selection else None, probe is not None))
    return swap_report(outcomes, share=share, seed=seed, judge_model="+".join(sorted(models)))


def generate_pairs(
    settings: Settings,
    prompts: Sequence[PromptRow],
    out_dir: Path,
    *,
    candidates: int | None = None,
    max_cost_usd: float | None = None,
    model: str | None = None,
    judge_model: str | None = None,
    use_ray: bool | None = None,
    on_progress: Progress | None = None,
    batch_size: int | None = None,
    batch: bool | None = None,
    on_status: StatusFn | None = None,
    judge_swap_share: float | None = None,
    close_share: float | None = None,
    seed: int = 42,
) -> PairsResult:
    """Run the pairs pipeline over ``prompts`` and write ``out_dir/pairs.jsonl``.

    Args:
        settings: backend, models, data dir, Ray switch.
        prompts: rows of prompts.jsonl.
        out_dir: output folder (created).
        candidates: answers per prompt (default: the backend profile's ``candidates``).
        max_cost_usd: spend cap shared by answers and judge; prompts left unanswered are skipped
            (a rerun with a higher cap completes them from the cache).
        model: generator model; judge_model: judge model (Anthropic backend).
        use_ray: force Ray on/off (default ``settings.use_ray``).
        on_progress: progress callback (new LLM calls finished).
        batch_size: prompts per distilabel batch (default: enough to keep the LLM's slots busy);
            a budget stop keeps the prompts whose batch was answered and judged.
        batch: send the Anthropic calls as Message Batches at batch prices (default
            ``settings.batch``); a killed run resumes by polling the same batches.
        on_status: batch mode: called with a one-line batch status after every poll.
        judge_swap_share: share of prompts the LLM judge also judges in the reversed order
            (default ``settings.judge_swap_share``); swap consistency goes to ``judge_swap.json``.
        close_share: share of prompts drawn (with ``seed``) for a close pair of two honest personas;
            the others get a contrast pair with a flaw on one side (default ``settings.close_share``).

    Returns:
        The pairs, a usage summary, the judge-predicted tie rate and the figures per pair kind.
    """
    from rlhf_argilla.errors import GenerationError, InputError
    from rlhf_argilla.generation.kinds import assign_kinds
    from rlhf_argilla.generation.runner import preflight
    from rlhf_argilla.llms.profiles import profile_for
    from rlhf_argilla.pipelines.response_pairs import build_pairs_pipeline

    profile = profile_for(settings.backend)
    if not prompts:
        raise GenerationError("no prompts to answer; run `rlhf-argilla generate prompts` first")
    k = candidates or profile.candidates
    if not 2 <= k <= 3:
        raise InputError(f"candidates per prompt must be 2 or 3, got {k}")
    judge_model = judge_model or settings.judge_model
    swap_share = settings.judge_swap_share if judge_swap_share is None else judge_swap_share
    if not 0.0 <= swap_share <= 1.0:
        raise InputError(f"the judge swap share must be between 0 and 1, got {swap_share}")
    share = settings.close_share if close_share is None else close_share
    requested = assign_kinds([prompt.prompt_id for prompt in prompts], share, seed)  # checks the share
    batched = batch_mode(settings, batch)
    preflight(settings, model, *((judge_model,) if profile.judges else ()))

    def build(run_id: str | None) -> Pipeline:
        return build_pairs_pipeline(
            settings,
            prompts,
            candidates=k,
            max_cost_usd=max_cost_usd,
            model=model,
            judge_model=judge_model,
            batch_size=batch_size,
            budget_id=f"pairs-{run_id}" if run_id else None,
            batch_run_id=run_id,
            judge_swap_share=swap_share,
            close_share=share,
            seed=seed,
        )

    found = run_stage(
        settings,
        build,
        batched=batched,
        max_cost_usd=max_cost_usd,
        use_ray=use_ray,
        on_progress=on_progress,
        on_status=on_status,
    )
    order = {prompt.prompt_id: i for i, prompt in enumerate(prompts)}
    rows = sorted(found, key=lambda row: order[row["prompt_id"]])
    pairs = assemble_pairs(rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = write_jsonl(out_dir / PAIRS_FILE, pairs)
    usage = summarise_calls(_call_records(rows))
    ties = tie_rate([m for pair in pairs if (m := pair.selection.predicted_margin) is not None])
    swap = _swap_report(rows, swap_share, ORDER_SEED) if swap_share > 0 and profile.judges else None
    if swap is not None:
        write_text_atomic(out_dir / JUDGE_SWAP_FILE, json.dumps(swap, indent=2, sort_keys=True) + "\n")
    else:  # an earlier run's probe does not describe these pairs
        (out_dir / JUDGE_SWAP_FILE).unlink(missing_ok=True)
    kinds = kind_summary(pairs, requested)
    write_text_atomic(
        out_dir / PAIRS_SUMMARY_FILE,
        json.dumps(
            {
                "prompts": len(prompts),
                "pairs": len(pairs),
                "candidates_per_prompt": k,
                "message_batches": batched,
                "predicted_tie_rate": ties,
                "tie_margin": TIE_MARGIN,
                "min_distance": MIN_DISTANCE,
                "judge_swap_consistency": swap["swap_consistency"] if swap else None,
                "close_share": share,
                "seed": seed,
                "pair_kinds": kinds,
                "usage": [line.to_dict() for line in usage],
            },
            indent=2,
        ),
    )
    return PairsResult(pairs, usage, len(prompts), ties, path, swap, kinds)
