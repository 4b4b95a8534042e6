"""Pure: control items, pairs whose right answer is known by construction (``push --controls``).

Two sources, no LLM call at push time:

* ``flaw-edit``: a pair's better answer (the judge's higher mean score) against a copy of it with
  its safety sentences removed and a careless push added (``generation.flaws.drop_safety``);
* ``gold``: the hand-written gold set (``domain.gold_controls``).

A control is an ordinary-looking pair: a content-hash id like every pair, the same fields, the
A/B order drawn from its id like every record, no suggestions (like the blind slice). What marks
it lives in hidden metadata (``annotation.settings.META_CONTROL`` …). Which pairs become sources
is a seeded draw per ``pair_id`` (the lowest draws win), so the same file and seed give the same
controls and a re-push changes nothing; controls are spread through the push order, a flaw-edit
control half the file away from the pair it was made from.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rlhf_argilla.domain.gold_controls import GoldItem, gold_items
from rlhf_argilla.domain.strategies import RESPONSE_STRATEGIES
from rlhf_argilla.generation.flaws import drop_safety
from rlhf_argilla.schema import PairRow, Response, Selection, content_id

__all__ = [
    "DEFAULT_CONTROLS",
    "ControlMark",
    "Control",
    "ControlPlan",
    "better_response",
    "flaw_control",
    "gold_control",
    "select_controls",
    "interleave",
]

#: ``--controls`` default: 5 % of the pairs, at least ``ControlPlan.minimum``
DEFAULT_CONTROLS = "5%"
_FLAW_EDIT = "drop_safety"
_FLAW_STRATEGY = next(s.id for s in RESPONSE_STRATEGIES if s.flaw_edit == _FLAW_EDIT)
GOLD_MODEL = "hand-written"


@dataclass(frozen=True)
class ControlMark:
    """The hidden facts of one control record."""

    expected: int  # the original response number (1 / 2) that is right
    source: str  # "flaw-edit" | "gold"


@dataclass(frozen=True)
class Control:
    """A control pair, its mark, and where it goes: pushed right after the pair at ``position``."""

    position: int
    pair: PairRow
    mark: ControlMark


def _draw(key: str, seed: int) -> float:
    digest = hashlib.sha256(f"control:{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class ControlPlan:
    """How many controls a push adds: ``count`` exactly, else ``share`` of the pairs, at least ``minimum``.

    Example:
        >>> ControlPlan.parse("5%").wanted(1000), ControlPlan.parse("5%").wanted(10), ControlPlan.parse("7").wanted(10)
        (50, 3, 7)
        >>> ControlPlan.parse("0").wanted(1000), ControlPlan.parse("5%").wanted(0)
        (0, 0)
    """

    count: int | None = None
    share: float = 0.05
    minimum: int = 3
    seed: int = 0

    @classmethod
    def parse(cls, text: str, seed: int = 0) -> ControlPlan:
        """``"N"`` (a count, 0 = none) or ``"P%"`` (a share of the pairs); ``ValueError`` otherwise."""
        value = text.strip()
        try:
            if value.endswith("%"):
                share = float(value[:-1]) / 100
                if not 0 <= share <= 1:
                    raise ValueError
                return cls(share=share, seed=seed)
            count = int(value)
            if count < 0:
                raise ValueError
            return cls(count=count, seed=seed)
        except ValueError:
            raise ValueError(
                f"controls must be a count (e.g. 10, 0 for none) or a share (e.g. 5%), got {text!r}"
            ) from None

    def wanted(self, pairs: int) -> int:
        if pairs <= 0:
            return 0
        if self.count is not None:
            return self.count
        return max(self.minimum, round(self.share * pairs)) if self.share > 0 else 0


def better_response(pair: PairRow) -> int | None:
    """The response number (1 / 2) the judge scored higher on average; None when unjudged or equal."""
    one, two = pair.response_1.judge, pair.response_2.judge
    if one is None or two is None or one.mean() == two.mean():
        return None
    return 1 if one.mean() > two.mean() else 2


def _pair(
    prompt: str, texts: tuple[Response, Response], template: PairRow | GoldItem, prompt_id: str
) -> PairRow:
    return PairRow(
        pair_id=PairRow.make_id(prompt, texts[0].text, texts[1].text),
        prompt_id=prompt_id,
        prompt=prompt,
        subtopic=template.subtopic,
        persona=template.persona,
        difficulty=template.difficulty,
        response_1=texts[0],
        response_2=texts[1],
        selection=Selection(method="control", predicted_margin=0.0),
    )


def flaw_control(pair: PairRow, seed: int = 0) -> tuple[PairRow, ControlMark] | None:
    """The flaw-edit control made from ``pair``, or None when it has no better answer or the edit changes nothing.

    Example:
        >>> from rlhf_argilla.schema import JudgeScores
        >>> judge = lambda s: JudgeScores(accuracy=s, safety=s, clarity=s, completeness=s, actionability=s, judge_model="j")
        >>> pair = PairRow(pair_id="p", prompt_id="q", prompt="Squats?", subtopic="strength_training",
        ...     persona="gym_regular", difficulty="basic", selection=Selection(method="m", predicted_margin=1),
        ...     response_1=Response(text="Do 3 sets. Stop if your knee hurts.", strategy="coach", model="m", judge=judge(5)),
        ...     response_2=Response(text="Just squat.", strategy="terse", model="m", judge=judge(2)))
        >>> control, mark = flaw_control(pair)
        >>> right = (control.response_1, control.response_2)[mark.expected - 1]
        >>> right.text, "knee" in (control.response_1, control.response_2)[2 - mark.expected].text, mark.source
        ('Do 3 sets. Stop if your knee hurts.', False, 'flaw-edit')
    """
    better = better_response(pair)
    if better is None:
        return None
    original = pair.response_1 if better == 1 else pair.response_2
    edited = drop_safety(original.text)
    if edited.strip() == original.text.strip():
        return None
    right = Response(text=original.text, strategy=original.strategy, model=original.model)
    wrong = Response(
        text=edited, strategy=_FLAW_STRATEGY, model=original.model, params={"flaw_edit": _FLAW_EDIT}
    )
    expected = 1 if _draw(f"number:{pair.pair_id}", seed) < 0.5 else 2
    texts = (right, wrong) if expected == 1 else (wrong, right)
    return _pair(pair.prompt, texts, pair, pair.prompt_id), ControlMark(expected, "flaw-edit")


def gold_control(item: GoldItem) -> tuple[PairRow, ControlMark]:
    """The control pair of one gold item (``domain.gold_controls``)."""
    texts = tuple(
        Response(text=text, strategy="gold", model=GOLD_MODEL) for text in (item.response_1, item.response_2)
    )
    pair = _pair(item.prompt, (texts[0], texts[1]), item, content_id(item.prompt))
    return pair, ControlMark(item.preferred, "gold")


def select_controls(
    pairs: Iterable[PairRow], total: int, plan: ControlPlan, gold: Sequence[GoldItem] | None = None
) -> list[Control]:
    """The controls for a file of ``total`` pairs (streamed once; memory grows with the controls only).

    Half of them (at most the whole gold set) are gold, the rest flaw-edit; when one source runs
    short the other fills in. Returns them ordered by position.
    """
    wanted = plan.wanted(total)
    if wanted == 0:
        return []
    gold = gold_items() if gold is None else gold
    heap: list[tuple[float, int, PairRow]] = []  # the `wanted` lowest draws, as a max-heap
    for index, pair in enumerate(pairs):
        if better_response(pair) is None:
            continue
        item = (-_draw(pair.pair_id, plan.seed), index, pair)
        if len(heap) < wanted:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)
    sources = sorted(heap, reverse=True)  # lowest draw first
    made: list[Control] = []
    for _, index, pair in sources:
        control = flaw_control(pair, plan.seed)
        if control is not None:
            made.append(Control((index + total // 2) % total, *control))
    n_gold = min(len(gold), max(wanted // 2, wanted - len(made)))
    made = made[: wanted - n_gold]
    for gold_item in sorted(gold, key=lambda g: _draw(g.id, plan.seed))[:n_gold]:
        position = int(_draw(f"position:{gold_item.id}", plan.seed) * total)
        made.append(Control(position, *gold_control(gold_item)))
    return sorted(made, key=lambda c: (c.position, c.pair.pair_id))


def interleave(pairs: Iterable[PairRow], controls: Sequence[Control]) -> Iterator[PairRow]:
    """``pairs`` with each control pair yielded right after the pair at its position.

    Example:
        >>> gold = [Control(0, *gold_control(item)) for item in gold_items()[:1]]
        >>> ordinary = [gold[0].pair.model_copy(update={"pair_id": f"p{i}"}) for i in range(2)]
        >>> [pair.pair_id for pair in interleave(ordinary, gold)] == ["p0", gold[0].pair.pair_id, "p1"]
        True
    """
    by_position: dict[int, list[PairRow]] = {}
    for control in controls:
        by_position.setdefault(control.position, []).append(control.pair)
    for index, pair in enumerate(pairs):
        yield pair
        yield from by_position.pop(index, [])
    for rest in by_position.values():  # positions past the end (a file shorter than planned)
        yield from rest
