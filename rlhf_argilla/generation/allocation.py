"""Pure allocation of N prompts over subtopic x persona x difficulty (uniform or gap-weighted)."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.errors import GenerationError

__all__ = ["Slot", "allocate", "apportion", "select_subtopics", "load_gap_weights"]


@dataclass(frozen=True)
class Slot:
    """One prompt to write: who asks, about what, how hard; ``variant`` counts repeats per subtopic."""

    index: int
    subtopic: str
    persona: str
    difficulty: str
    variant: int


def select_subtopics(only: Sequence[str] | None = None) -> tuple[str, ...]:
    """The taxonomy subtopics to generate for, in taxonomy order.

    Args:
        only: subtopic ids to keep (None or empty: all).

    Returns:
        The kept ids. Raises GenerationError for unknown ids or an empty selection.

    Example:
        >>> select_subtopics(["running", "supplements"])
        ('running', 'supplements')
    """
    if not only:
        return SUBTOPIC_IDS
    wanted = {item.strip() for item in only if item.strip()}
    unknown = sorted(wanted - set(SUBTOPIC_IDS))
    if unknown:
        raise GenerationError(
            f"unknown subtopic(s) {', '.join(unknown)}; choose from: {', '.join(SUBTOPIC_IDS)}"
        )
    kept = tuple(item for item in SUBTOPIC_IDS if item in wanted)
    if not kept:
        raise GenerationError(f"the subtopic list selects nothing; choose from: {', '.join(SUBTOPIC_IDS)}")
    return kept


def apportion(n: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``n`` into integer counts proportional to ``weights`` (largest remainder, stable ties).

    Args:
        n: total to split.
        weights: non-negative weight per key (at least one positive).

    Returns:
        Count per key, summing to ``n``.

    Example:
        >>> apportion(10, {"a": 1, "b": 1, "c": 1})
        {'a': 4, 'b': 3, 'c': 3}
    """
    total = sum(weights.values())
    if n < 0 or total <= 0 or any(value < 0 for value in weights.values()):
        raise GenerationError("allocation needs n >= 0 and non-negative weights with a positive sum")
    exact = {key: n * value / total for key, value in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    order = sorted(weights, key=lambda key: (-(exact[key] - counts[key]), list(weights).index(key)))
    for key in order[: n - sum(counts.values())]:
        counts[key] += 1
    return counts


def allocate(
    n: int,
    subtopics: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
    seed: int = 42,
) -> list[Slot]:
    """Allocate ``n`` prompts: subtopics uniformly (or by ``weights``), then persona x difficulty
    spread evenly within each subtopic in a seeded order.

    Args:
        n: number of prompts.
        subtopics: subtopic ids to use (None: the whole taxonomy).
        weights: optional allocation weight per subtopic (e.g. gaps.json ``weight``); subtopics
            without a weight get none.
        seed: seed of the persona x difficulty order (same seed, same slots).

    Returns:
        ``n`` slots ordered by subtopic then variant, indexed 0..n-1.

    Example:
        >>> slots = allocate(30, ["running", "supplements"])
        >>> sorted({slot.subtopic for slot in slots}), len(slots)
        (['running', 'supplements'], 30)
    """
    if n <= 0:
        raise GenerationError("the number of prompts must be positive (use -n 120 for the demo size)")
    chosen = select_subtopics(subtopics)
    shares = (
        {key: 1.0 for key in chosen}
        if weights is None
        else {key: float(weights.get(key, 0.0)) for key in chosen}
    )
    if sum(shares.values()) <= 0:
        raise GenerationError("the gap weights give every selected subtopic zero weight; check the gaps file")
    combos = [(persona.id, level.id) for persona in PERSONAS for level in DIFFICULTIES]
    slots: list[Slot] = []
    for subtopic_id, count in apportion(n, shares).items():
        order = combos.copy()
        random.Random(f"{seed}:{subtopic_id}").shuffle(order)
        for variant in range(count):
            persona_id, difficulty_id = order[variant % len(order)]
            slots.append(Slot(len(slots), subtopic_id, persona_id, difficulty_id, variant))
    return slots


def load_gap_weights(path: Path) -> dict[str, float]:
    """Read the ``weight`` per subtopic from an ``analyze`` gaps.json file.

    Args:
        path: the gaps.json file (or the folder holding it).

    Returns:
        Weight per known subtopic id.
    """
    path = path / "gaps.json" if path.is_dir() else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["subtopics"]
        weights = {key: float(value["weight"]) for key, value in entries.items() if key in SUBTOPIC_IDS}
    except FileNotFoundError:
        raise GenerationError(
            f"gaps file {path} not found; run the analysis (`rlhf-argilla analyze`) into that folder first"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise GenerationError(
            f"{path} is not a gaps.json from `rlhf-argilla analyze` ({error!r}); re-run analyze"
        ) from None
    if not weights or any(value < 0 for value in weights.values()):
        raise GenerationError(f"{path} has no usable subtopic weights; re-run `rlhf-argilla analyze`")
    return weights
