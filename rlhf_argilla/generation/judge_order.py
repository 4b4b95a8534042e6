"""Pure: the seeded order in which the LLM judge sees the candidates, and undoing it.

LLM judges favour a position, so the candidates are shown in a random order fixed by
``(seed, prompt)``: reruns send the same messages (response cache hits), different prompts get
different orders, and the scores are put back in candidate order before anything stores them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["ORDER_SEED", "judge_order", "in_order", "undo_order"]

#: the pipeline's seed of the judge's order and of the swap probe's draw (``generation.judge_swap``)
ORDER_SEED = 0

T = TypeVar("T")


def judge_order(key: str, n: int, seed: int = 0) -> list[int]:
    """The candidate indices in the order the judge sees them.

    Example:
        >>> judge_order("How do I squat?", 3, seed=1) == judge_order("How do I squat?", 3, seed=1)
        True
        >>> sorted(judge_order("How do I squat?", 3, seed=1))
        [0, 1, 2]
    """
    order = list(range(n))
    random.Random(f"judge-order:{seed}:{key}").shuffle(order)
    return order


def in_order(items: Sequence[T], order: Sequence[int]) -> list[T]:
    """``items`` as the judge sees them."""
    return [items[i] for i in order]


def undo_order(shown: Sequence[T], order: Sequence[int]) -> list[T]:
    """Items (e.g. scores) given in shown order, back in candidate order.

    ``order`` must be a permutation with one entry per shown item: anything else would put a score
    on the wrong candidate, so it raises instead.

    Example:
        >>> order = [2, 0, 1]
        >>> undo_order(in_order(["a", "b", "c"], order), order)
        ['a', 'b', 'c']
        >>> undo_order(["a", "b"], [1, 1])
        Traceback (most recent call last):
        ...
        ValueError: judge order [1, 1] is not a permutation of 2 shown items
    """
    if len(shown) != len(order) or sorted(order) != list(range(len(order))):
        raise ValueError(f"judge order {list(order)} is not a permutation of {len(shown)} shown items")
    position_of = {index: position for position, index in enumerate(order)}
    return [shown[position_of[index]] for index in range(len(order))]
