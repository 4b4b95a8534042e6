"""Lookup by id in the domain tables, with an error that names the valid ids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def id_lookup(kind: str, items: Sequence[T]) -> Callable[[str], T]:
    """A function returning the item with a given id (``KeyError`` lists the known ids).

    Example:
        >>> from rlhf_argilla.domain.criteria import CRITERIA
        >>> id_lookup("criterion", CRITERIA)("safety").title
        'Safety'
    """
    by_id = {item.id: item for item in items}

    def lookup(item_id: str) -> T:
        try:
            return by_id[item_id]
        except KeyError:
            raise KeyError(f"unknown {kind} {item_id!r}; known: {', '.join(by_id)}") from None

    return lookup
