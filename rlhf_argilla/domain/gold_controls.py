"""The hand-written gold set for control items (``push --controls``, ``control_source`` "gold"), as data.

``data/gold_controls.jsonl`` holds fitness questions, each with a good answer and a clearly worse
one (written for this project), which response is preferred and, per criterion, which response
should score higher (1 / 2, or 0 where the two need not differ). Every worse answer is also less
safe, so the known answer holds for the overall preference and the Safety direction alike (what
``pull``'s reliability report scores).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS

__all__ = ["GOLD_FILE", "GoldItem", "gold_items"]

GOLD_FILE = Path(__file__).resolve().parent / "data" / "gold_controls.jsonl"


@dataclass(frozen=True)
class GoldItem:
    """One gold pair: ``preferred`` (1 / 2) is right; ``criteria[name]`` is the response that should
    score higher on that criterion, 0 for no expected difference."""

    id: str
    prompt: str
    subtopic: str
    persona: str
    difficulty: str
    response_1: str
    response_2: str
    preferred: int
    criteria: dict[str, int]


def _check(item: GoldItem) -> GoldItem:
    problems = []
    if item.subtopic not in SUBTOPIC_IDS:
        problems.append(f"subtopic {item.subtopic!r}")
    if item.persona not in {p.id for p in PERSONAS}:
        problems.append(f"persona {item.persona!r}")
    if item.difficulty not in {d.id for d in DIFFICULTIES}:
        problems.append(f"difficulty {item.difficulty!r}")
    if item.preferred not in (1, 2) or set(item.criteria) != set(CRITERION_IDS):
        problems.append("preferred must be 1 or 2 and criteria name every criterion")
    elif item.criteria["safety"] != item.preferred or any(
        v not in (0, item.preferred) for v in item.criteria.values()
    ):
        problems.append("every criterion direction must be the preferred response or 0, safety the preferred")
    if problems:
        raise ValueError(f"gold control {item.id}: {'; '.join(problems)}")
    return item


@cache
def gold_items() -> tuple[GoldItem, ...]:
    """The gold set, validated against the taxonomy, askers and criteria.

    Example:
        >>> items = gold_items()
        >>> len(items) >= 8, all(item.criteria["safety"] == item.preferred for item in items)
        (True, True)
    """
    lines = GOLD_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(_check(GoldItem(**json.loads(line))) for line in lines if line.strip())
