"""Token usage of one call and its cost (pure functions over :mod:`rlhf_argilla.llms.pricing`)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from rlhf_argilla.llms.pricing import BATCH_PRICE_FACTOR, FALLBACK, PRICES, Price

__all__ = ["Usage", "price_for", "cost_usd", "STATISTICS_KEYS"]

#: Keys of a distilabel ``statistics`` dict produced by our LLMs, one value per generation.
STATISTICS_KEYS = (
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "cost_usd",
    "from_cache",
)
_DATED = re.compile(r"-(\d{8}|latest)$")


@dataclass(frozen=True)
class Usage:
    """Tokens of one call (Messages API names) and what it cost."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cost_usd: float = 0.0

    def to_dict(self) -> dict[str, int | float]:
        return asdict(self)


def price_for(model: str) -> Price:
    """Price row of ``model``; dated ids (``claude-haiku-4-5-20251001``) use their family row.

    Args:
        model: a model id as sent to the API.

    Returns:
        The matching :class:`Price`, or :data:`FALLBACK` when the model is unknown.

    Example:
        >>> price_for("claude-haiku-4-5-20251001").input
        1.0
    """
    return PRICES.get(model) or PRICES.get(_DATED.sub("", model)) or FALLBACK


def cost_usd(
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
    batch: bool = False,
) -> float:
    """Cost of one call in USD; ``input_tokens`` excludes cached tokens, as the API reports it.
    ``batch``: the call went through a Message Batch (every token at ``BATCH_PRICE_FACTOR``).

    Example:
        >>> round(cost_usd("claude-haiku-4-5", input_tokens=1000, output_tokens=200,
        ...                cache_read_input_tokens=2000), 6)
        0.0022
        >>> round(cost_usd("claude-haiku-4-5", input_tokens=1000, output_tokens=200, batch=True), 6)
        0.001
    """
    price = price_for(model)
    total = (
        input_tokens * price.input
        + output_tokens * price.output
        + cache_creation_input_tokens * price.cache_write
        + cache_read_input_tokens * price.cache_read
    )
    return total / 1_000_000 * (BATCH_PRICE_FACTOR if batch else 1.0)
