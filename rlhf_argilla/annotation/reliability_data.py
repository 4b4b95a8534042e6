"""The control-item columns ``pull`` carries and how reliability reads them (hidden record metadata).

Contract with ``push --controls`` (names in ``annotation.settings``): ``control`` (0/1),
``control_expected`` (the original response number, 1 or 2, that is right for overall preference
and the Safety direction) and ``control_source`` ("flaw-edit" | "gold").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation.settings import (
    CONTROL_METADATA,
    META_CONTROL,
    META_CONTROL_EXPECTED,
    META_CONTROL_SOURCE,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CONTROL", "CONTROL_EXPECTED", "CONTROL_SOURCE", "CONTROL_COLUMNS", "control_answers"]

#: the hidden metadata names, defined once in ``annotation.settings``
CONTROL, CONTROL_EXPECTED, CONTROL_SOURCE = META_CONTROL, META_CONTROL_EXPECTED, META_CONTROL_SOURCE
CONTROL_COLUMNS: tuple[str, ...] = CONTROL_METADATA


def control_answers(records: pd.DataFrame) -> dict[str, int]:
    """pair id -> the right original response number (1 / 2), for the control records of a pull.

    Example:
        >>> import pandas as pd
        >>> control_answers(pd.DataFrame({"pair_id": ["p", "q", "r"], "control": [1, 0, None],
        ...                               "control_expected": [2, None, None]}))
        {'p': 2}
        >>> control_answers(pd.DataFrame({"pair_id": ["p"]}))
        {}
    """
    if CONTROL not in records.columns or CONTROL_EXPECTED not in records.columns:
        return {}
    out: dict[str, int] = {}
    for pair_id, flag, expected in zip(records["pair_id"], records[CONTROL], records[CONTROL_EXPECTED]):
        if _is_one(flag) and _number(expected) in (1, 2):
            out[str(pair_id)] = int(_number(expected) or 0)
    return out


def _is_one(value: Any) -> bool:
    return _number(value) == 1


def _number(value: Any) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None
