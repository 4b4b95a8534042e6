"""The two judge steps of the pairs pipeline: :class:`LLMJudge` (UltraFeedback-style, on Claude)
and :class:`HeuristicJudge` (heuristic-v1, on the embedded backend). Both read the answered
candidates and write per-candidate scores plus the judge call's usage.
"""

# no `from __future__ import annotations`: distilabel inspects the `StepInput` hints at run time

from typing import Any

from distilabel.steps import Step, StepInput
from distilabel.steps.tasks import Task

from rlhf_argilla.generation.heuristic_judge import HEURISTIC_JUDGE, heuristic_scores
from rlhf_argilla.generation.judge_order import ORDER_SEED, in_order, judge_order, undo_order
from rlhf_argilla.generation.judge_swap import is_probed, swapped_order
from rlhf_argilla.generation.llm_judge import judge_messages, parse_verdict
from rlhf_argilla.generation.selection import MIN_DISTANCE, select_pair
from rlhf_argilla.generation.step_columns import first_statistics
from rlhf_argilla.schema.pairs import JudgeScores, JudgeVerdict, SwapProbe, answered_candidates

__all__ = ["LLMJudge", "HeuristicJudge", "JUDGE_INPUTS", "JUDGE_OUTPUTS"]

#: Both judges read the answered candidates and write per-candidate scores (+ the judge call's usage).
JUDGE_INPUTS = ["prompt", "subtopic", "candidates"]
JUDGE_OUTPUTS = ["judged", "judge_usage"]


class LLMJudge(Task):
    """UltraFeedback-style judge: one call per prompt rates every answered candidate on the five
    criteria; unparseable verdicts fall back to heuristic-v1 and say so in ``judge_model``.

    The candidates are shown in a seeded random order per prompt (``order_seed``, see
    ``generation.judge_order``) and the scores are put back in candidate order; the shown order is
    kept in the ``judge_order`` column. ``swap_share`` (the swap probe, see ``generation.judge_swap``):
    a seeded share of prompts is judged a second time with that order reversed; the column
    ``judge_swap`` holds a ``schema.pairs.SwapProbe`` (scores undone, or null; null if not probed).

    ``skip_margin`` (a cost lever, off by default): when heuristic-v1 already predicts a pair with
    at least this margin (above the text-distance floor), its scores are kept and labelled as a
    pre-check, and no judge call is made for that prompt.

    Input columns: prompt, subtopic, candidates. Output columns: judged (JSON list of scores per
    answered candidate, or null), judge_usage (JSON), judge_order, judge_swap (``schema.pairs.JudgeVerdict``).
    """

    add_raw_input: bool = False
    add_raw_output: bool = False
    skip_margin: float | None = None
    order_seed: int = ORDER_SEED
    swap_share: float = 0.0

    @property
    def inputs(self) -> list[str]:
        return JUDGE_INPUTS

    @property
    def outputs(self) -> list[str]:
        return [*JUDGE_OUTPUTS, "judge_order", "judge_swap"]

    def _order(self, input: dict[str, Any]) -> list[int]:
        return judge_order(input["prompt"], len(answered_candidates(input["candidates"])), self.order_seed)

    def format_input(self, input: dict[str, Any], order: list[int] | None = None) -> list[dict[str, str]]:
        texts = [item.answer for item in answered_candidates(input["candidates"])]
        return judge_messages(input["prompt"], in_order(texts, order or self._order(input)))

    def format_output(self, output: str | None, input: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"judged": output}

    def process(self, inputs: StepInput) -> Any:
        todo = [i for i, item in enumerate(inputs) if len(answered_candidates(item["candidates"])) >= 2]
        prechecked = {i: found for i in todo if (found := self._precheck(inputs[i])) is not None}
        todo = [i for i in todo if i not in prechecked]
        probes = [i for i in todo if is_probed(inputs[i]["prompt"], self.swap_share, self.order_seed)]
        swapped = {i: swapped_order(self._order(inputs[i])) for i in probes}
        outputs = self.llm.generate_outputs(  # one call: the probes share the LLM's concurrency
            inputs=[self.format_input(inputs[i]) for i in todo]
            + [self.format_input(inputs[i], swapped[i]) for i in probes],
            num_generations=1,
            **self.llm.get_generation_kwargs(),
        )
        verdicts: dict[int, tuple[str | None, dict[str, Any]]] = {
            i: (output["generations"][0], first_statistics(output)) for i, output in zip(todo, outputs)
        }
        probed = {
            i: (output["generations"][0], first_statistics(output))
            for i, output in zip(probes, outputs[len(todo) :])
        }
        rows = []
        for i, item in enumerate(inputs):
            raw, usage = verdicts.get(i, (None, {}))
            answered = answered_candidates(item["candidates"])
            scores = prechecked.get(i)
            order = self._order(item) if raw is not None else list(range(len(answered)))
            swap = self._swap(i, swapped, probed, len(answered))
            if raw is not None:
                scores = parse_verdict(raw, len(answered), self.llm.model_name)
                if scores is not None:
                    scores = undo_order(scores, order)
                else:
                    swap = swap and swap.model_copy(update={"scores": None})  # nothing to compare it with
                    scores = [
                        heuristic_scores(item["prompt"], c.answer, item["subtopic"]).model_copy(
                            update={
                                "judge_model": f"{HEURISTIC_JUDGE} (fallback: unparseable {self.llm.model_name} verdict)"
                            }
                        )
                        for c in answered
                    ]
            verdict = JudgeVerdict(scores=scores or None, usage=usage, order=order, swap=swap)
            rows.append({**item, **verdict.columns()})
        yield rows

    def _swap(
        self, i: int, swapped: dict[int, list[int]], probed: dict[int, tuple[str | None, dict]], n: int
    ) -> SwapProbe | None:
        """The probe of row ``i`` (None when not probed): its order, undone scores (None if unparseable), usage."""
        if i not in probed:
            return None
        raw, usage = probed[i]
        scores = parse_verdict(raw, n, self.llm.model_name)
        undone = undo_order(scores, swapped[i]) if scores else None
        return SwapProbe(model=self.llm.model_name, order=swapped[i], scores=undone, usage=usage)

    def _precheck(self, item: dict[str, Any]) -> list[JudgeScores] | None:
        """heuristic-v1's scores when they already predict a pair ``skip_margin`` apart, else None."""
        if self.skip_margin is None:
            return None
        answered = answered_candidates(item["candidates"])
        scores = [heuristic_scores(item["prompt"], c.answer, item["subtopic"]) for c in answered]
        choice = select_pair([c.answer for c in answered], [score.mean() for score in scores], MIN_DISTANCE)
        if abs(choice.margin or 0.0) < self.skip_margin:  # select_pair always predicts a margin
            return None
        label = f"{HEURISTIC_JUDGE} (pre-check: margin >= {self.skip_margin:g}, LLM judge skipped)"
        return [score.model_copy(update={"judge_model": label}) for score in scores]


class HeuristicJudge(Step):
    """heuristic-v1 scores for every answered candidate (no LLM call; see heuristic_judge)."""

    @property
    def inputs(self) -> list[str]:
        return JUDGE_INPUTS

    @property
    def outputs(self) -> list[str]:
        return JUDGE_OUTPUTS

    def process(self, inputs: StepInput) -> Any:
        rows = []
        for item in inputs:
            answered = answered_candidates(item["candidates"])
            scores = (
                [heuristic_scores(item["prompt"], c.answer, item["subtopic"]) for c in answered]
                if len(answered) >= 2
                else None
            )
            rows.append({**item, **JudgeVerdict(scores=scores).columns()})  # no order, no probe
        yield rows
