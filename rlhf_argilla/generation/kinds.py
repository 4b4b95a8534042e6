"""Pure: which prompts are answered for a close pair and which for a contrast (``--close-share``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from rlhf_argilla.domain.pair_kinds import CLOSE, CONTRAST, PairKind

__all__ = ["close_count", "assign_kinds"]


def close_count(n: int, close_share: float) -> int:
    """Prompts to answer for a close pair: ``close_share`` of ``n``, halves rounded up.

    Example:
        >>> close_count(40, 0.5), close_count(41, 0.5), close_count(3, 0.0), close_count(3, 1.0)
        (20, 21, 0, 3)
    """
    from rlhf_argilla.errors import InputError

    if not 0.0 <= close_share <= 1.0:
        raise InputError(f"close share must be between 0 and 1, got {close_share}")
    return int(close_share * n + 0.5)


def assign_kinds(prompt_ids: Sequence[str], close_share: float, seed: int = 42) -> list[PairKind]:
    """The requested kind of each prompt: exactly :func:`close_count` of them ``close``, drawn by seed.

    Prompts are ranked by a hash of (seed, prompt id) and the first ones are close: the same prompts
    and seed always give the same kinds, and a prompt keeps its rank when others are added.

    Args:
        prompt_ids: the prompts' content ids, in file order.
        close_share: share of prompts answered with honest personas only (0 to 1).
        seed: assignment seed.

    Returns:
        ``"close"`` / ``"contrast"`` per prompt, in input order.

    Example:
        >>> kinds = assign_kinds([f"{i:04x}" for i in range(10)], 0.3, seed=1)
        >>> kinds.count("close"), kinds == assign_kinds([f"{i:04x}" for i in range(10)], 0.3, seed=1)
        (3, True)
    """
    n_close = close_count(len(prompt_ids), close_share)
    ranked = sorted(
        range(len(prompt_ids)),
        key=lambda i: (hashlib.sha256(f"pair-kind:{seed}:{prompt_ids[i]}".encode()).hexdigest(), i),
    )
    close = set(ranked[:n_close])
    return [CLOSE if i in close else CONTRAST for i in range(len(prompt_ids))]
