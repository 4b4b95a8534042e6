"""Price table lookups and per-call cost."""

from __future__ import annotations

import pytest

from rlhf_argilla.llms import EMBEDDED_MODEL_NAME
from rlhf_argilla.llms.pricing import FALLBACK, PRICES
from rlhf_argilla.llms.usage import cost_usd, price_for


def test_dated_ids_use_their_family_price_and_unknown_models_the_fallback():
    assert price_for("claude-sonnet-4-5-20250929") == PRICES["claude-sonnet-4-5"]
    assert price_for("claude-haiku-4-5") == PRICES["claude-haiku-4-5"]
    assert price_for("claude-next-7") == FALLBACK
    assert all(FALLBACK.input >= p.input and FALLBACK.output >= p.output for p in PRICES.values())


def test_every_token_kind_is_priced_separately():
    price = PRICES["claude-sonnet-4-5"]
    cost = cost_usd(
        "claude-sonnet-4-5",
        input_tokens=2_000_000,
        output_tokens=1_000_000,
        cache_creation_input_tokens=1_000_000,
        cache_read_input_tokens=10_000_000,
    )
    assert cost == pytest.approx(2 * price.input + price.output + price.cache_write + 10 * price.cache_read)


def test_cache_reads_are_cheaper_than_plain_input_for_every_model():
    for price in PRICES.values():
        assert price.cache_read <= price.input <= price.cache_write


def test_embedded_model_is_free():
    assert cost_usd(EMBEDDED_MODEL_NAME, input_tokens=10_000, output_tokens=10_000) == 0.0
