"""Send the requests a batch run collected as Anthropic Message Batches and bring the answers home.

:func:`process_batches` submits the run's queued requests in chunks within the API's limits
(100,000 requests or 256 MB per batch), saves each batch id in the ledger the moment it is
created, polls every live batch (a crashed run's too) until it ends, writes each answer into the
response cache priced at batch rates, and requeues errored and expired entries for a later batch.
With a spend cap it submits only what the cap can pay for (observed cost per request, or an
upper bound before any answer came back).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rlhf_argilla.llms.anthropic import message_text, message_usage
from rlhf_argilla.llms.batch_ledger import BatchLedger, QueuedRequest
from rlhf_argilla.llms.cache import ResponseCache
from rlhf_argilla.llms.usage import cost_usd

__all__ = [
    "BatchOptions",
    "process_batches",
    "adopt_intents",
    "chunk_requests",
    "MAX_BATCH_REQUESTS",
    "MAX_BATCH_BYTES",
]

_log = logging.getLogger(__name__)
#: The API's limits per batch; chunks stay below the size limit with room for the JSON envelope.
MAX_BATCH_REQUESTS = 100_000
MAX_BATCH_BYTES = 200 * 1024 * 1024
#: Errors a new attempt cannot fix: the entry is marked failed instead of requeued.
_PERMANENT = {"invalid_request_error", "authentication_error", "permission_error", "not_found_error"}
StatusFn = Callable[[str], None]


@dataclass(frozen=True)
class BatchOptions:
    poll_s: float = 10.0
    max_requests: int = MAX_BATCH_REQUESTS
    max_bytes: int = MAX_BATCH_BYTES
    max_attempts: int = 3
    max_cost_usd: float | None = None


def chunk_requests(
    items: list[QueuedRequest], max_requests: int, max_bytes: int
) -> list[list[QueuedRequest]]:
    """Split requests into batches of at most ``max_requests`` entries and ``max_bytes`` of JSON.

    Example:
        >>> items = [QueuedRequest(str(i), "m", {"x": "y" * 10}, "b", 0) for i in range(5)]
        >>> [len(chunk) for chunk in chunk_requests(items, 2, 10_000)]
        [2, 2, 1]
    """
    chunks: list[list[QueuedRequest]] = []
    size = 0
    for item in items:
        item_bytes = len(json.dumps(item.body)) + 100
        if not chunks or len(chunks[-1]) >= max_requests or size + item_bytes > max_bytes:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += item_bytes
    return chunks


def _upper_bound_usd(item: QueuedRequest) -> float:
    characters = len(json.dumps(item.body.get("messages", ""))) + len(json.dumps(item.body.get("system", "")))
    return cost_usd(
        item.model, input_tokens=characters // 4 + 1, output_tokens=int(item.body["max_tokens"]), batch=True
    )


def _affordable(
    items: list[QueuedRequest],
    cache: ResponseCache,
    ledger: BatchLedger,
    cap: float | None,
    in_flight_usd: float,
    observed: tuple[int, float],
) -> list[QueuedRequest]:
    if cap is None or not items:
        return items
    spent = cache.spent_usd(items[0].budget_id) + in_flight_usd
    calls, cost = observed
    chosen = []
    for item in items:
        expected = cost / calls if calls else _upper_bound_usd(item)
        if spent + expected > cap:
            break
        chosen.append(item)
        spent += expected
    return chosen


def _collect(
    client: Any,
    batch_id: str,
    ledger: BatchLedger,
    cache: ResponseCache,
    options: BatchOptions,
    observed: list[float],
) -> None:
    """Write an ended batch's answers into the cache; requeue or fail the rest."""
    for entry in client.messages.batches.results(batch_id):
        known = ledger.request(entry.custom_id)
        if known is None:
            continue
        model, budget_id, attempts = known
        result = entry.result
        if result.type == "succeeded":
            if cache.get(entry.custom_id) is None:  # a crash between cache and ledger: book it once
                text = message_text(result.message)
                usage = message_usage(model, result.message, batch=True)
                cache.put(
                    entry.custom_id,
                    backend="anthropic",
                    model=model,
                    text=text,
                    usage=usage,
                    budget_id=budget_id,
                )
                observed[0] += 1
                observed[1] += usage.cost_usd
            ledger.settle(entry.custom_id, "done")
            continue
        kind = result.error.error.type if result.type == "errored" else result.type
        if result.type == "canceled":
            ledger.settle(entry.custom_id, "failed", "canceled")
        elif kind in _PERMANENT or attempts + 1 >= options.max_attempts:
            _log.warning(f"batch request {entry.custom_id[:12]} {result.type} ({kind}): left for a rerun")
            ledger.settle(entry.custom_id, "failed", kind)
        else:
            ledger.settle(entry.custom_id, "queued", kind)
    if requeued := ledger.unanswered(batch_id):
        _log.warning(f"batch {batch_id} ended without {requeued} of its requests: queued again")
    ledger.ended(batch_id)


def adopt_intents(client: Any, ledger: BatchLedger, *, skew_s: float = 300.0) -> list[str]:
    """Find the batches of submissions that crashed between ``create`` and the ledger write.

    Each intent is matched to the API's batch created closest in time to it (at most ``skew_s`` before
    it, for clock difference) that the ledger does not know and holds as many requests; that batch is polled
    like any live one. An intent with no match never reached the API: its requests are queued again.
    Another run submitting from the same data dir at this very moment could be mistaken for a crash;
    batch runs sharing a data dir should not overlap.

    Returns:
        The ids of the adopted batches.
    """
    intents = ledger.intents()
    if not intents:
        return []
    known = {row[0] for row in ledger.batches()}
    oldest = min(started for _, _, started in intents) - skew_s
    listed = []
    for batch in client.messages.batches.list(limit=100):
        created = batch.created_at.timestamp()
        if created < oldest:
            break
        if batch.id not in known:
            counts = batch.request_counts
            total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired
            listed.append((created, batch.id, total))
    adopted = []
    for token, requests, started in intents:
        matches = sorted(
            (abs(created - started), batch_id)
            for created, batch_id, total in listed
            if total == requests and created >= started - skew_s and batch_id not in adopted
        )
        if matches:
            ledger.adopt(token, matches[0][1])
            adopted.append(matches[0][1])
            _log.info(f"found batch {matches[0][1]} of an interrupted submission: polling it")
        else:
            ledger.abandon(token)
    return adopted


def process_batches(
    client: Any,
    ledger: BatchLedger,
    cache: ResponseCache,
    run_id: str,
    options: BatchOptions,
    on_status: StatusFn | None = None,
) -> int:
    """Submit, poll and collect until run ``run_id`` has nothing queued and no batch is live.

    Args:
        client: a synchronous ``anthropic.Anthropic`` client.
        ledger: the batch ledger (requests collected by the pipeline's LLMs).
        cache: the response cache the answers go into.
        run_id: only this run's queued requests are submitted (live batches of any run are polled).
        options: polling interval, chunk limits, attempts, spend cap.
        on_status: called with a one-line status after every poll.

    Returns:
        Batches submitted by this call.
    """
    submitted = 0
    observed = [0, 0.0]  # answers collected by this call and their cost
    adopt_intents(client, ledger)
    while True:
        live = dict(ledger.live_batches())
        queued = ledger.queued(run_id)
        in_flight = sum(n for n in live.values()) * (observed[1] / observed[0] if observed[0] else 0.0)
        for chunk in chunk_requests(
            _affordable(
                queued, cache, ledger, options.max_cost_usd, in_flight, (int(observed[0]), observed[1])
            ),
            options.max_requests,
            options.max_bytes,
        ):
            keys = [item.key for item in chunk]
            token = ledger.submitting(keys)
            batch = client.messages.batches.create(
                requests=[{"custom_id": item.key, "params": item.body} for item in chunk]
            )
            ledger.submitted(batch.id, keys, token)
            live[batch.id] = len(chunk)
            submitted += 1
        if not live:
            return submitted
        processing = 0
        for batch_id in list(live):
            batch = client.messages.batches.retrieve(batch_id)
            if batch.processing_status == "ended":
                _collect(client, batch_id, ledger, cache, options, observed)
                live.pop(batch_id)
            else:
                processing += batch.request_counts.processing
        if on_status is not None:
            counts = ledger.counts(run_id)
            on_status(
                f"{len(live)} batch(es) live, {processing} requests processing, "
                f"{counts.get('done', 0)} answered, {counts.get('queued', 0)} to retry"
            )
        if live:
            time.sleep(options.poll_s)
