"""distilabel steps of the generation pipelines; each wraps a pure function of this package.

Nested values (candidates, scores, usage) travel between steps as JSON strings so every batch
stays a flat table for distilabel's buffers and Ray. Import this module lazily (it imports
distilabel).
"""

# no `from __future__ import annotations`: distilabel inspects the `StepInput` hints at run time

import inspect
import json
from typing import Any

from distilabel.steps import GlobalStep, Step, StepInput
from distilabel.steps.tasks import Task

from rlhf_argilla.domain.strategies import strategy
from rlhf_argilla.generation.allocation import Slot
from rlhf_argilla.generation.candidates import answer_messages, call_params, trim_to_sentence
from rlhf_argilla.generation.finalise import finalise
from rlhf_argilla.generation.flaws import apply_flaw_edit
from rlhf_argilla.generation.heuristic_judge import HEURISTIC_JUDGE, heuristic_scores
from rlhf_argilla.generation.judge_order import in_order, judge_order, undo_order
from rlhf_argilla.generation.llm_judge import judge_messages, parse_verdict
from rlhf_argilla.generation.questions import writer_messages
from rlhf_argilla.generation.selection import MIN_DISTANCE, select_pair
from rlhf_argilla.schema import JudgeScores

__all__ = [
    "WriteQuestion",
    "FinalisePrompts",
    "AnswerWithStrategies",
    "LLMJudge",
    "HeuristicJudge",
    "SelectPair",
    "SLOT_COLUMNS",
    "first_statistics",
]

SLOT_COLUMNS = ["index", "subtopic", "persona", "difficulty", "variant"]
#: Both judges read the answered candidates and write per-candidate scores (+ the judge call's usage).
JUDGE_INPUTS = ["prompt", "subtopic", "candidates"]
JUDGE_OUTPUTS = ["judged", "judge_usage"]


def first_statistics(output: dict[str, Any]) -> dict[str, Any]:
    """Usage of the first generation of one LLM output (our LLMs give one value per generation)."""
    return {key: values[0] for key, values in (output.get("statistics") or {}).items() if values}


def _slot(row: dict[str, Any]) -> Slot:
    return Slot(**{name: row[name] for name in SLOT_COLUMNS})


class WriteQuestion(Task):
    """Ask the LLM for one fitness question per allocated slot.

    Input columns: index, subtopic, persona, difficulty, variant. Output columns: raw_question,
    model_name (usage in ``distilabel_metadata.statistics_<name>``).
    """

    add_raw_input: bool = False
    add_raw_output: bool = False

    @property
    def inputs(self) -> list[str]:
        return SLOT_COLUMNS

    @property
    def outputs(self) -> list[str]:
        return ["raw_question", "model_name"]

    def format_input(self, input: dict[str, Any]) -> list[dict[str, str]]:
        return writer_messages(_slot(input))

    def format_output(self, output: str | None, input: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"raw_question": output}


class FinalisePrompts(GlobalStep):
    """Compose, filter and de-duplicate all prompts at once (``rlhf_argilla.generation.finalise.finalise``)."""

    writer_name: str
    backend: str

    @property
    def inputs(self) -> list[str]:
        return [*SLOT_COLUMNS, "raw_question"]

    @property
    def outputs(self) -> list[str]:
        return ["prompt_row"]

    def process(self, inputs: StepInput) -> Any:

        yield finalise(inputs, f"statistics_{self.writer_name}", self.backend)


class AnswerWithStrategies(Task):
    """Answer each prompt once per strategy in its ``strategies`` column (all calls of a batch in flight).

    ``apply_flaw_edits`` applies the strategies' deterministic flaw edits (for backends that cannot
    follow flaw instructions) and records them in ``params["flaw_edit"]``.

    Input columns: prompt, strategies (list of ids). Output columns: candidates (JSON list of
    {strategy, text, params, usage}), model_name.
    """

    add_raw_input: bool = False
    add_raw_output: bool = False
    apply_flaw_edits: bool = False

    @property
    def inputs(self) -> list[str]:
        return ["prompt", "strategies"]

    @property
    def outputs(self) -> list[str]:
        return ["candidates", "model_name"]

    def format_input(self, input: dict[str, Any]) -> list[dict[str, str]]:
        return answer_messages(input["strategies"][0], input["prompt"])

    def format_output(self, output: str | None, input: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"candidates": output}

    def process(self, inputs: StepInput) -> Any:
        accepted = set(inspect.signature(self.llm.agenerate).parameters)
        base = self.llm.get_generation_kwargs()
        calls = [(row, sid) for row, item in enumerate(inputs) for sid in item["strategies"]]
        groups: dict[tuple, list[int]] = {}
        for position, (_, sid) in enumerate(calls):
            groups.setdefault(tuple(sorted(call_params(sid, accepted).items())), []).append(position)
        answers: list[dict[str, Any]] = [{} for _ in calls]
        for params, members in groups.items():
            kwargs = {**base, **dict(params)}
            outputs = self.llm.generate_outputs(
                inputs=[answer_messages(calls[m][1], inputs[calls[m][0]]["prompt"]) for m in members],
                num_generations=1,
                **kwargs,
            )
            for member, output in zip(members, outputs):
                sid = calls[member][1]
                edit = strategy(sid).flaw_edit if self.apply_flaw_edits else None
                text = apply_flaw_edit(edit, trim_to_sentence(output["generations"][0]))
                answers[member] = {
                    "strategy": sid,
                    "text": text,
                    "usage": first_statistics(output),
                    "params": {**kwargs, **({"flaw_edit": edit} if edit else {})},
                }
        per_row: list[list[dict[str, Any]]] = [[] for _ in inputs]
        for (row, _), answer in zip(calls, answers):
            per_row[row].append(answer)
        yield [
            {**item, "candidates": json.dumps(found), "model_name": self.llm.model_name}
            for item, found in zip(inputs, per_row)
        ]


def _answered(candidates_json: str) -> list[dict[str, Any]]:
    return [item for item in json.loads(candidates_json) if item.get("text")]


class LLMJudge(Task):
    """UltraFeedback-style judge: one call per prompt rates every answered candidate on the five
    criteria; unparseable verdicts fall back to heuristic-v1 and say so in ``judge_model``.

    The candidates are shown in a seeded random order per prompt (``order_seed``, see
    ``generation.judge_order``) and the scores are put back in candidate order; the shown order is
    kept in the ``judge_order`` column.

    ``skip_margin`` (a cost lever, off by default): when heuristic-v1 already predicts a pair with
    at least this margin (above the text-distance floor), its scores are kept and labelled as a
    pre-check, and no judge call is made for that prompt.

    Input columns: prompt, subtopic, candidates. Output columns: judged (JSON list of scores per
    answered candidate, or null), judge_usage (JSON).
    """

    add_raw_input: bool = False
    add_raw_output: bool = False
    skip_margin: float | None = None
    order_seed: int = 0

    @property
    def inputs(self) -> list[str]:
        return JUDGE_INPUTS

    @property
    def outputs(self) -> list[str]:
        return [*JUDGE_OUTPUTS, "judge_order"]

    def _order(self, input: dict[str, Any]) -> list[int]:
        return judge_order(input["prompt"], len(_answered(input["candidates"])), self.order_seed)

    def format_input(self, input: dict[str, Any]) -> list[dict[str, str]]:
        texts = [item["text"] for item in _answered(input["candidates"])]
        return judge_messages(input["prompt"], in_order(texts, self._order(input)))

    def format_output(self, output: str | None, input: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"judged": output}

    def process(self, inputs: StepInput) -> Any:
        todo = [i for i, item in enumerate(inputs) if len(_answered(item["candidates"])) >= 2]
        prechecked = {i: found for i in todo if (found := self._precheck(inputs[i])) is not None}
        todo = [i for i in todo if i not in prechecked]
        outputs = self.llm.generate_outputs(
            inputs=[self.format_input(inputs[i]) for i in todo],
            num_generations=1,
            **self.llm.get_generation_kwargs(),
        )
        verdicts: dict[int, tuple[str | None, dict[str, Any]]] = {
            i: (output["generations"][0], first_statistics(output)) for i, output in zip(todo, outputs)
        }
        rows = []
        for i, item in enumerate(inputs):
            raw, usage = verdicts.get(i, (None, {}))
            answered = _answered(item["candidates"])
            scores = prechecked.get(i)
            order = self._order(item) if raw is not None else list(range(len(answered)))
            if raw is not None:
                scores = parse_verdict(raw, len(answered), self.llm.model_name)
                if scores is not None:
                    scores = undo_order(scores, order)
                else:
                    scores = [
                        heuristic_scores(item["prompt"], c["text"], item["subtopic"]).model_copy(
                            update={
                                "judge_model": f"{HEURISTIC_JUDGE} (fallback: unparseable {self.llm.model_name} verdict)"
                            }
                        )
                        for c in answered
                    ]
            judged = [score.model_dump() for score in scores] if scores else None
            row = {**item, "judged": json.dumps(judged), "judge_usage": json.dumps(usage)}
            rows.append({**row, "judge_order": json.dumps(order)})
        yield rows

    def _precheck(self, item: dict[str, Any]) -> list[JudgeScores] | None:
        """heuristic-v1's scores when they already predict a pair ``skip_margin`` apart, else None."""
        if self.skip_margin is None:
            return None
        answered = _answered(item["candidates"])
        scores = [heuristic_scores(item["prompt"], c["text"], item["subtopic"]) for c in answered]
        choice = select_pair([c["text"] for c in answered], [score.mean() for score in scores], MIN_DISTANCE)
        if abs(choice.margin) < self.skip_margin:
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
            answered = _answered(item["candidates"])
            judged = (
                [heuristic_scores(item["prompt"], c["text"], item["subtopic"]).model_dump() for c in answered]
                if len(answered) >= 2
                else None
            )
            rows.append({**item, "judged": json.dumps(judged), "judge_usage": json.dumps({})})
        yield rows


class SelectPair(Step):
    """Pick the pair with the largest predicted margin above the text-distance floor.

    Output column: selection (JSON {first, second, margin, distance, method} over the answered
    candidates, or null when fewer than two were answered and judged).
    """

    min_distance: float

    @property
    def inputs(self) -> list[str]:
        return ["candidates", "judged"]

    @property
    def outputs(self) -> list[str]:
        return ["selection"]

    def process(self, inputs: StepInput) -> Any:
        rows = []
        for item in inputs:
            judged = json.loads(item["judged"]) if item.get("judged") else None
            choice = None
            if judged:
                texts = [c["text"] for c in _answered(item["candidates"])]
                means = [JudgeScores(**scores).mean() for scores in judged]
                choice = select_pair(texts, means, self.min_distance).__dict__
            rows.append({**item, "selection": json.dumps(choice)})
        yield rows
