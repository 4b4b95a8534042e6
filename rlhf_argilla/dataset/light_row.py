"""One pair's light columns as a read-only mapping that costs a tuple, not a dict.

`build` holds a text-free row per pair while it plans the splits and counts the card's figures
(100k rows at a time). A dict of 15 keys costs ~440 bytes; :class:`LightRow` shares one key index
among all rows and keeps only a tuple of values (~200 bytes), and reads like the dict it replaces
(``row["pair_id"]``, ``row.get``, ``in``, ``dict(row)``, ``==`` with a dict).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

__all__ = ["LightRow", "row_maker"]


class LightRow(Mapping[str, Any]):
    """A mapping over ``values`` whose keys (and their positions) ``index`` gives.

    Example:
        >>> make = row_maker(["pair_id", "preferred"])
        >>> row = make(("p1", "tie"))
        >>> row["preferred"], row.get("subtopic"), "pair_id" in row, row == {"pair_id": "p1", "preferred": "tie"}
        ('tie', None, True, True)
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = tuple(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"LightRow({dict(self)!r})"


def row_maker(keys: Sequence[str]) -> Any:
    """A function making :class:`LightRow` objects of ``keys`` (one shared index) from value sequences."""
    index = {key: position for position, key in enumerate(keys)}
    if len(index) != len(keys):
        raise ValueError(f"repeated keys in {list(keys)}")
    return lambda values: LightRow(index, values)
