"""distilabel steps of the generation pipelines; each wraps a pure function of this package.

Nested values (candidates, scores, usage) travel between steps as JSON strings so every batch
stays a flat table for distilabel's buffers and Ray; :mod:`rlhf_argilla.schema.pairs` types them
(written and read only through its models). Import this module lazily (it imports distilabel).
"""

# no `from __future__ import annotations`: distilabel inspects the `StepInput` hints at run time

import inspect
import json
from typing import Any

from distilabel.steps import GlobalStep, Step, StepInput
from distilabel.steps.tasks import Task

from rlhf_argilla.domain.strategies import strategy
from rlhf_argilla.generation.allocation import Slot
from rlhf_argilla.generation.candidates import answer_messages, call_params
from rlhf_argilla.generation.finalise import finalise
from rlhf_argilla.generation.flaws import apply_flaw_edit
from rlhf_argilla.generation.judge_steps import HeuristicJudge, LLMJudge
from rlhf_argilla.generation.judge_swap import swap_selection
from rlhf_argilla.generation.questions import writer_messages
from rlhf_argilla.generation.step_columns import first_statistics
from rlhf_argilla.generation.whole_answers import hit_cap, whole_answer
from rlhf_argilla.schema.pairs import Candidate, JudgeVerdict, answered_candidates, candidates_column

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
    follow flaw instructions) and records them in ``params["flaw_edit"]``. An answer cut by the token
    cap is trimmed to its last complete sentence or list item (``params["trimmed"]``, see
    :mod:`rlhf_argilla.generation.whole_answers`); one with no complete sentence is left unanswered.

    Input columns: prompt, strategies (list of ids). Output columns: candidates (JSON list of
    ``schema.pairs.Candidate``, one per strategy), model_name.
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
        answers: dict[int, Candidate] = {}  # by position in ``calls``
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
                usage = first_statistics(output)
                whole = whole_answer(output["generations"][0], hit_cap(usage, kwargs.get("max_new_tokens")))
                answers[member] = Candidate(
                    strategy=sid,
                    text=apply_flaw_edit(edit, whole.text),
                    usage=usage,
                    params={**kwargs, **({"flaw_edit": edit} if edit else {}), **whole.params()},
                )
        per_row: list[list[Candidate]] = [[] for _ in inputs]
        for position, (row, _) in enumerate(calls):
            per_row[row].append(answers[position])
        yield [
            {**item, "candidates": candidates_column(found), "model_name": self.llm.model_name}
            for item, found in zip(inputs, per_row)
        ]


class SelectPair(Step):
    """Pick the pair of the row's ``pair_kind`` with the largest predicted margin above the text-distance floor.

    When the judge's swap probe ran (``judge_swap`` column of :class:`LLMJudge`), a verdict that
    flips with the candidate order gives no margin and the pair is chosen by text distance only
    (``generation.judge_swap``), still among the pairs of the row's kind.

    Output column: selection (JSON ``schema.pairs.PairSelection`` over the answered candidates, or
    null when fewer than two were answered and judged).
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
            verdict = JudgeVerdict.of_row(item)
            means = verdict.means()
            column = json.dumps(None)
            if means:
                answered = answered_candidates(item["candidates"])
                texts, ids = [c.answer for c in answered], [c.strategy for c in answered]
                kind = (ids, item.get("pair_kind"))
                choice = swap_selection(texts, means, verdict.swapped_means(), self.min_distance, kind=kind)
                column = choice.column()
            rows.append({**item, "selection": column})
        yield rows
