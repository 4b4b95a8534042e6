"""Prices per model in USD per million tokens (data only; update here when prices change).

Columns: ``input``, ``output``, ``cache_write`` (5-minute prompt-cache write), ``cache_read``.
Source: Anthropic's public pricing page. A model missing here is costed at :data:`FALLBACK`
(the most expensive row) so a budget never under-counts.
"""

from __future__ import annotations

from typing import NamedTuple

from rlhf_argilla.llms import EMBEDDED_MODEL_NAME

__all__ = ["Price", "PRICES", "FALLBACK", "MIN_CACHEABLE_TOKENS", "BATCH_PRICE_FACTOR"]


class Price(NamedTuple):
    input: float
    output: float
    cache_write: float
    cache_read: float


PRICES: dict[str, Price] = {
    "claude-haiku-4-5": Price(1.00, 5.00, 1.25, 0.10),
    "claude-sonnet-4-5": Price(3.00, 15.00, 3.75, 0.30),
    "claude-sonnet-4": Price(3.00, 15.00, 3.75, 0.30),
    "claude-opus-4-5": Price(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-1": Price(15.00, 75.00, 18.75, 1.50),
    "claude-opus-4": Price(15.00, 75.00, 18.75, 1.50),
    "claude-3-5-haiku": Price(0.80, 4.00, 1.00, 0.08),
    "claude-3-haiku": Price(0.25, 1.25, 0.30, 0.03),
    # runs locally: no money spent
    EMBEDDED_MODEL_NAME: Price(0.0, 0.0, 0.0, 0.0),
}

FALLBACK = Price(15.00, 75.00, 18.75, 1.50)

#: Message Batches bill every token class at half the price above (the prompt-caching prices stack).
BATCH_PRICE_FACTOR = 0.5

#: Shortest prompt prefix the API will cache per model; below it ``cache_control`` silently does
#: nothing (no error, both cache counters stay 0). Source: Anthropic's prompt-caching docs.
MIN_CACHEABLE_TOKENS: dict[str, int] = {
    "claude-haiku-4-5": 4096,
    "claude-sonnet-4-5": 1024,
    "claude-sonnet-4": 1024,
    "claude-opus-4-5": 4096,
    "claude-opus-4-1": 1024,
    "claude-opus-4": 1024,
    "claude-3-5-haiku": 2048,
    "claude-3-haiku": 2048,
}
