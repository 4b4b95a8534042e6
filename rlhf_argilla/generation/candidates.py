"""Pure helpers for candidate responses: which strategies answer a prompt, their messages, clean-up."""

from __future__ import annotations

from rlhf_argilla.domain.pair_kinds import CLOSE, CLOSE_CANDIDATE_SETS
from rlhf_argilla.domain.strategies import CANDIDATE_SETS, strategy

__all__ = ["strategies_for", "answer_messages", "call_params"]


def strategies_for(prompt_id: str, k: int, *, lean: bool = False, kind: str = "contrast") -> list[str]:
    """The ``k`` strategies answering a prompt: a candidate set rotated by the prompt id (stable).

    Args:
        prompt_id: the prompt's content id (hex).
        k: candidates per prompt (2 or 3; each contrast set has one deliberate flaw last).
        lean: two candidates (first persona and flaw) when the set's flaw makes the contrast
            certain (``ResponseStrategy.certain_contrast``), else ``k``.
        kind: ``"contrast"`` (personas and a flaw, ``CANDIDATE_SETS``) or ``"close"`` (honest
            personas only, ``domain.pair_kinds.CLOSE_CANDIDATE_SETS``; ``lean`` does not apply).

    Returns:
        Strategy ids; with ``k == 2`` the first persona and the flaw (close: the first two personas).

    Example:
        >>> strategies_for("0000000000000000", 3)
        ['certified_coach', 'gym_buddy', 'flaw_no_safety']
        >>> strategies_for("0000000000000000", 2)
        ['certified_coach', 'flaw_no_safety']
        >>> strategies_for("0000000000000000", 3, lean=True), strategies_for("2", 3, lean=True)
        (['certified_coach', 'flaw_no_safety'], ['sports_scientist', 'certified_coach', 'flaw_overlong'])
        >>> strategies_for("0000000000000000", 2, kind="close"), strategies_for("1", 3, lean=True, kind="close")
        (['certified_coach', 'sports_scientist'], ['cautious_physio', 'certified_coach', 'sports_scientist'])
    """
    if kind == CLOSE:
        personas = CLOSE_CANDIDATE_SETS[int(prompt_id, 16) % len(CLOSE_CANDIDATE_SETS)]
        if not 2 <= k <= len(personas):
            raise ValueError(f"candidates per prompt must be between 2 and {len(personas)}")
        return list(personas[:k])
    chosen = CANDIDATE_SETS[int(prompt_id, 16) % len(CANDIDATE_SETS)]
    if not 2 <= k <= len(chosen):
        raise ValueError(f"candidates per prompt must be between 2 and {len(chosen)}")
    if lean and strategy(chosen[-1]).certain_contrast:
        k = 2
    return [*chosen[: k - 1], chosen[-1]]


def answer_messages(strategy_id: str, prompt: str) -> list[dict[str, str]]:
    """Chat messages for one candidate: the strategy's system prompt, then the question."""
    return [
        {"role": "system", "content": strategy(strategy_id).system_prompt},
        {"role": "user", "content": prompt},
    ]


def call_params(strategy_id: str, accepted: set[str]) -> dict[str, float]:
    """Per-strategy generation kwargs the backend accepts (temperature only where it exists).

    Example:
        >>> call_params("gym_buddy", {"max_new_tokens", "temperature"}), call_params("gym_buddy", {"max_new_tokens"})
        ({'temperature': 0.9}, {})
    """
    item = strategy(strategy_id)
    return (
        {"temperature": item.temperature}
        if item.temperature is not None and "temperature" in accepted
        else {}
    )
