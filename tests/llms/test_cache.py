"""The sqlite response cache and spend ledger, including concurrent writers in other processes."""

from __future__ import annotations

import multiprocessing as mp
import pickle

import pytest

from rlhf_argilla.errors import GenerationError
from rlhf_argilla.llms.cache import ResponseCache, cache_key
from rlhf_argilla.llms.usage import Usage

pytestmark = pytest.mark.timeout(60)  # a hang must fail, not stall CI

MESSAGES = [{"role": "system", "content": "Coach."}, {"role": "user", "content": "Plank form?"}]


def test_key_depends_on_every_part_of_the_call():
    base = cache_key(
        "anthropic", "claude-haiku-4-5", MESSAGES, {"max_new_tokens": 100, "generation_index": 0}
    )
    variants = [
        cache_key("embedded", "claude-haiku-4-5", MESSAGES, {"max_new_tokens": 100, "generation_index": 0}),
        cache_key("anthropic", "claude-sonnet-4-5", MESSAGES, {"max_new_tokens": 100, "generation_index": 0}),
        cache_key(
            "anthropic", "claude-haiku-4-5", MESSAGES[1:], {"max_new_tokens": 100, "generation_index": 0}
        ),
        cache_key("anthropic", "claude-haiku-4-5", MESSAGES, {"max_new_tokens": 101, "generation_index": 0}),
        cache_key("anthropic", "claude-haiku-4-5", MESSAGES, {"max_new_tokens": 100, "generation_index": 1}),
    ]
    assert len({base, *variants}) == 6
    assert base == cache_key(
        "anthropic",
        "claude-haiku-4-5",
        [dict(m) for m in MESSAGES],
        {"generation_index": 0, "max_new_tokens": 100},
    )


def test_put_get_and_spend_survive_reopening(tmp_path):
    path = tmp_path / "c.sqlite"
    cache = ResponseCache(path)
    usage = Usage(input_tokens=10, output_tokens=5, cache_read_input_tokens=7, cost_usd=0.25)
    cache.put("k1", backend="anthropic", model="m", text="hello", usage=usage, budget_id="b")
    cache.put("k2", backend="anthropic", model="m", text="again", usage=usage, budget_id="other")
    cache.close()

    reopened = ResponseCache(path)
    hit = reopened.get("k1")
    assert hit is not None and hit.text == "hello" and hit.usage == usage
    assert reopened.get("missing") is None
    assert reopened.spent_usd("b") == 0.25 and reopened.spent_usd("nobody") == 0.0
    assert len(reopened) == 2


def test_unusable_cache_location_is_one_line_saying_what_to_fix(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(GenerationError, match="RLHF_ARGILLA_DATA_DIR") as caught:
        ResponseCache(blocker / "cache" / "c.sqlite").get("k")
    assert "\n" not in str(caught.value)


def _writer(cache: ResponseCache, worker: int, count: int) -> None:
    for i in range(count):
        cache.put(
            f"{worker}-{i}",
            backend="embedded",
            model="m",
            text=str(i),
            usage=Usage(cost_usd=0.01),
            budget_id="shared",
        )


def test_processes_write_concurrently_into_one_ledger(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite")
    cache.spent_usd("shared")  # open in the parent first: children must reopen, not reuse
    clone = pickle.loads(pickle.dumps(cache))
    assert clone.path == cache.path
    workers = [mp.get_context("fork").Process(target=_writer, args=(cache, w, 50)) for w in range(3)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(timeout=60)
    assert [proc.exitcode for proc in workers] == [0, 0, 0]
    assert len(cache) == 150
    assert round(cache.spent_usd("shared"), 6) == 1.5
