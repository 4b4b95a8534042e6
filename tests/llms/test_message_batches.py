"""A crash between ``batches.create`` and the ledger write: the next run finds the batch, never submits twice.

The real Anthropic SDK against the loopback Messages API; the crash is reproduced exactly by doing
what ``process_batches`` does up to ``create`` and stopping there.
"""

from __future__ import annotations

import anthropic
import pytest

from rlhf_argilla.llms.batch_ledger import BatchLedger
from rlhf_argilla.llms.cache import ResponseCache
from rlhf_argilla.llms.message_batches import BatchOptions, adopt_intents, process_batches
from tests.fakes.fixtures import FAKE_API_KEY

MODEL = "claude-haiku-4-5"


@pytest.fixture
def client(messages_api):
    messages_api.batches.delay_s = 0.2
    return anthropic.Anthropic(api_key=FAKE_API_KEY, base_url=messages_api.url, max_retries=0)


@pytest.fixture
def ledger(tmp_path):
    ledger = BatchLedger(tmp_path / "ledger.sqlite")
    for i in range(4):
        body = {"model": MODEL, "max_tokens": 50, "messages": [{"role": "user", "content": f"question {i}"}]}
        ledger.want(f"{i:064x}", model=MODEL, body=body, budget_id="b", run_id="run")
    yield ledger
    ledger.close()


def _crash_after_create(client, ledger: BatchLedger) -> str:
    """Record the intent and create the batch, then 'die' before the batch id reaches the ledger."""
    queued = ledger.queued("run")
    ledger.submitting([item.key for item in queued])
    batch = client.messages.batches.create(
        requests=[{"custom_id": item.key, "params": item.body} for item in queued]
    )
    return batch.id


def test_the_batch_of_a_crashed_submission_is_adopted_and_polled(client, ledger, messages_api, tmp_path):
    batch_id = _crash_after_create(client, ledger)
    assert ledger.queued("run") == [] and ledger.live_batches() == []  # neither queued nor known as live

    cache = ResponseCache(tmp_path / "cache.sqlite")
    submitted = process_batches(client, ledger, cache, "run", BatchOptions(poll_s=0.05))

    assert submitted == 0 and messages_api.batches.creates == 1
    assert ledger.counts("run") == {"done": 4}
    assert [row[0] for row in ledger.batches()] == [batch_id] and ledger.intents() == []
    assert all(cache.get(f"{i:064x}") is not None for i in range(4))


def test_an_intent_whose_batch_never_reached_the_api_is_queued_again(client, ledger, messages_api, tmp_path):
    ledger.submitting([item.key for item in ledger.queued("run")])  # died before create
    assert adopt_intents(client, ledger) == []
    assert len(ledger.queued("run")) == 4 and ledger.intents() == []

    cache = ResponseCache(tmp_path / "cache.sqlite")
    assert process_batches(client, ledger, cache, "run", BatchOptions(poll_s=0.05)) == 1
    assert messages_api.batches.creates == 1 and ledger.counts("run") == {"done": 4}


def test_a_foreign_batch_of_another_size_is_not_taken_for_the_crashed_one(client, ledger, messages_api):
    other = {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "someone else"}]}
    client.messages.batches.create(requests=[{"custom_id": "x", "params": other}])
    ledger.submitting([item.key for item in ledger.queued("run")])
    assert adopt_intents(client, ledger) == []
    assert len(ledger.queued("run")) == 4
