"""The pairs pipeline's own contracts: candidates, judge verdicts and the pair selection.

Between the distilabel steps of ``generate pairs`` (answer >> judge >> select) these travel as JSON
string columns, so every batch stays a flat table for distilabel's buffers and Ray; this module is the
one place that writes and reads them::

    candidates               JSON list of Candidate, one per strategy (an unanswered one has no text)
    judged, judge_usage,     JudgeVerdict: scores per *answered* candidate, the judge call's usage,
    judge_order, judge_swap    the order the LLM judge saw them in and its swap probe (SwapProbe)
    selection                JSON PairSelection: positions among the answered candidates, or null

Every index (``order``, ``first``/``second``) counts the answered candidates (:func:`answered`, the
one filter), never the whole list. Each column's text is ``json.dumps`` of the model's dump, field
order included (the plain dicts the steps wrote before these models, byte for byte). A column that
does not fit its model is a :class:`~rlhf_argilla.errors.GenerationError` of one line.
``JudgeScores`` lives here (the verdict's per-response scores) and is re-exported by ``schema``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.domain.pair_kinds import PairKind

__all__ = [
    "JudgeScores",
    "Candidate",
    "SwapOutcome",
    "SwapProbe",
    "JudgeVerdict",
    "PairSelection",
    "answered",
    "read_candidates",
    "answered_candidates",
    "candidates_column",
]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

#: the swap probe's outcome for a prompt judged in both orders (``generation.judge_swap``)
SwapOutcome = Literal["consistent", "flipped"]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JudgeScores(_Contract):
    """Per-criterion 1–5 scores for one response, from an LLM judge or a transparent heuristic."""

    accuracy: int = Field(ge=1, le=5)
    safety: int = Field(ge=1, le=5)
    clarity: int = Field(ge=1, le=5)
    completeness: int = Field(ge=1, le=5)
    actionability: int = Field(ge=1, le=5)
    rationale: str = ""
    judge_model: str  # e.g. "claude-haiku-4-5" or "heuristic-v1"

    def mean(self) -> float:
        return sum(getattr(self, name) for name in CRITERION_IDS) / len(CRITERION_IDS)


def _parse(model: type[M], column: str, value: Any) -> M:
    """``value`` (a JSON text or its parsed form) as ``model``, or one GenerationError line naming the
    column and the field (the first problem found)."""
    from rlhf_argilla.errors import GenerationError

    try:
        return model.model_validate_json(value) if isinstance(value, str) else model.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        where = " ".join([column, ".".join(str(part) for part in first["loc"])]).strip()
        message = first["msg"].removeprefix("Value error, ")
        raise GenerationError(f"{where}: {message}") from None


def _loads(column: str, text: str | None, default: str) -> Any:
    from rlhf_argilla.errors import GenerationError

    try:
        return json.loads(text or default)
    except json.JSONDecodeError as error:
        raise GenerationError(f"{column} column is not JSON ({error.msg} at {error.pos})") from None


class Candidate(_Contract):
    """One strategy's answer to a prompt (an item of the ``candidates`` column).

    ``text`` is None (or empty) when the answer was left unanswered (spend cap, or cut to a fragment
    by the token cap); ``usage`` is the call's raw statistics, ``params`` its generation kwargs plus
    what changed the text (``flaw_edit``, ``trimmed``).
    """

    strategy: str
    text: str | None
    usage: dict[str, Any] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)

    @property
    def answered(self) -> bool:
        """The one filter: a candidate takes part in judging and pairing when it has a text."""
        return bool(self.text)

    @property
    def answer(self) -> str:
        """The text ("" when unanswered)."""
        return self.text or ""


def answered(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates with an answer, in candidate order (what every index in a row counts).

    Example:
        >>> found = [Candidate(strategy="a", text="Squat low."), Candidate(strategy="b", text=None),
        ...          Candidate(strategy="c", text="")]
        >>> [item.strategy for item in answered(found)]
        ['a']
    """
    return [item for item in candidates if item.answered]


def read_candidates(column: str) -> list[Candidate]:
    """Every candidate of a ``candidates`` column (answered or not)."""
    items = _loads("candidates", column, "[]")
    if not isinstance(items, list):
        from rlhf_argilla.errors import GenerationError

        raise GenerationError(f"candidates column: expected a JSON list, got {type(items).__name__}")
    return [_parse(Candidate, f"candidates column, item {i}", item) for i, item in enumerate(items)]


def answered_candidates(column: str) -> list[Candidate]:
    """The answered candidates of a ``candidates`` column.

    Example:
        >>> [c.text for c in answered_candidates('[{"strategy": "a", "text": "Squat low."}, {"strategy": "b", "text": null}]')]
        ['Squat low.']
    """
    return answered(read_candidates(column))


def candidates_column(candidates: Sequence[Candidate]) -> str:
    """The ``candidates`` column of one row.

    Example:
        >>> candidates_column([Candidate(strategy="a", text="Hi.", usage={"output_tokens": 2})])
        '[{"strategy": "a", "text": "Hi.", "usage": {"output_tokens": 2}, "params": {}}]'
    """
    return json.dumps([item.model_dump() for item in candidates])


class SwapProbe(_Contract):
    """The second judging of a probed prompt with the order reversed (the ``judge_swap`` column).

    ``scores`` are put back in candidate order, None when that verdict was unparseable.
    """

    model: str
    order: list[int]
    scores: list[JudgeScores] | None
    usage: dict[str, Any] = Field(default_factory=dict)


def _is_permutation(order: Sequence[int]) -> bool:
    return sorted(order) == list(range(len(order)))


class JudgeVerdict(_Contract):
    """A judge's verdict on one prompt's answered candidates (the judge step's columns of one row).

    ``scores`` (``judged``): one JudgeScores per answered candidate in candidate order, None when fewer
    than two were answered; ``usage`` (``judge_usage``): the judge call's statistics; ``order``
    (``judge_order``): the order the LLM judge was shown them, None for heuristic-v1, which writes
    neither that column nor ``judge_swap``; ``swap``: the probe, None when the prompt was not probed.

    Example:
        >>> scores = JudgeScores(accuracy=4, safety=4, clarity=4, completeness=4, actionability=4, judge_model="j")
        >>> verdict = JudgeVerdict(scores=[scores, scores], order=[1, 0])
        >>> sorted(verdict.columns()), JudgeVerdict.of_row(verdict.columns()) == verdict
        (['judge_order', 'judge_swap', 'judge_usage', 'judged'], True)
        >>> JudgeVerdict.of_row({**verdict.columns(), "judge_order": "[0, 0]"})
        Traceback (most recent call last):
        ...
        rlhf_argilla.errors.GenerationError: judge columns: judge order [0, 0] is not an order of the 2 scored candidates
    """

    scores: list[JudgeScores] | None
    usage: dict[str, Any] = Field(default_factory=dict)
    order: list[int] | None = None
    swap: SwapProbe | None = None

    @model_validator(mode="after")
    def _orders_fit(self) -> JudgeVerdict:
        n = len(self.scores) if self.scores is not None else None
        for name, order in (("judge", self.order), ("swap probe", self.swap.order if self.swap else None)):
            if order is not None and (not _is_permutation(order) or n not in (None, len(order))):
                raise ValueError(f"{name} order {order} is not an order of the {n} scored candidates")
        if self.swap is not None and self.swap.scores is not None and n != len(self.swap.scores):
            raise ValueError(f"the swap probe scored {len(self.swap.scores)} candidates, the judge {n}")
        return self

    def means(self) -> list[float] | None:
        """Mean criterion score per answered candidate (None without scores)."""
        return [item.mean() for item in self.scores] if self.scores else None

    def swapped_means(self) -> list[float] | None:
        """The same from the probe's reversed order (None: not probed, or its verdict unparseable)."""
        probe = self.swap
        return [item.mean() for item in probe.scores] if probe and probe.scores else None

    def columns(self) -> dict[str, str]:
        """The row's judge columns (``judge_order``/``judge_swap`` only from the LLM judge)."""
        found = {
            "judged": json.dumps([item.model_dump() for item in self.scores] if self.scores else None),
            "judge_usage": json.dumps(self.usage),
        }
        if self.order is None:
            return found
        swap = self.swap.model_dump() if self.swap is not None else None
        return {**found, "judge_order": json.dumps(self.order), "judge_swap": json.dumps(swap)}

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> JudgeVerdict:
        """The verdict a judge step wrote into ``row`` (absent columns: no scores, usage, order, probe)."""
        return _parse(
            cls,
            "judge columns",
            {
                "scores": _loads("judged", row.get("judged"), "null"),
                "usage": _loads("judge_usage", row.get("judge_usage"), "{}"),
                "order": _loads("judge_order", row.get("judge_order"), "null"),
                "swap": _loads("judge_swap", row.get("judge_swap"), "null"),
            },
        )


class PairSelection(_Contract):
    """The pair chosen for one prompt (the ``selection`` column; ``generation.selection``).

    ``first < second`` are positions among the answered candidates, kept in candidate order; ``margin``
    is the judge's mean of first minus second (None when its verdict flipped with the order, ``swap``
    "flipped"); ``kind`` is the chosen pair's kind, ``requested_kind`` the one the prompt was drawn for.

    Example:
        >>> chosen = PairSelection(first=0, second=2, margin=2.4, distance=0.9, method="m")
        >>> chosen.pair(["a", "b", "c"]), PairSelection.of_column(chosen.column()) == chosen
        (('a', 'c'), True)
        >>> chosen.pair(["a", "b"])
        Traceback (most recent call last):
        ...
        rlhf_argilla.errors.GenerationError: selection picks answered candidate 3 of 2 (first=0, second=2)
    """

    first: int = Field(ge=0)
    second: int = Field(ge=1)
    margin: float | None
    distance: float
    method: str
    kind: PairKind | None = None
    requested_kind: PairKind | None = None
    swap: SwapOutcome | None = None

    @model_validator(mode="after")
    def _in_order(self) -> PairSelection:
        if self.first >= self.second:
            raise ValueError(f"first ({self.first}) must come before second ({self.second})")
        return self

    def pair(self, items: Sequence[T]) -> tuple[T, T]:
        """The chosen two of ``items`` (answered candidates, or their scores), or one error line."""
        if self.second >= len(items):
            from rlhf_argilla.errors import GenerationError

            raise GenerationError(
                f"selection picks answered candidate {self.second + 1} of {len(items)} "
                f"(first={self.first}, second={self.second})"
            )
        return items[self.first], items[self.second]

    def column(self) -> str:
        return json.dumps(self.model_dump())

    @classmethod
    def of_column(cls, column: str | None) -> PairSelection | None:
        """The selection of a row, None when the prompt got none (fewer than two answered and judged)."""
        found = _loads("selection", column, "null")
        return None if found is None else _parse(cls, "selection column", found)
