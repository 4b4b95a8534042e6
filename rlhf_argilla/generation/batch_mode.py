"""Run a generation pipeline with its Anthropic calls sent as Message Batches (half price).

Two phases, repeated, with the response cache as the only interface between them: the pipeline
runs with ``batch_run_id`` set on its LLMs, so every call it needs that is not in the cache is
queued in the batch ledger and left ``None`` (distilabel's steps run unchanged); then
:func:`~rlhf_argilla.llms.message_batches.process_batches` sends the queue as batches and writes
the answers into the cache. The next pass gets those from the cache and queues what depended on
them (the judge needs the answers); a pass that queues nothing is the result. So the pairs
pipeline runs three times (answers, judge, assemble), the prompts pipeline twice, each pass cheap.
A killed run leaves its batch ids in the ledger; the rerun queues the same keys, finds them in a
live batch and polls it: nothing is submitted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rlhf_argilla.errors import ConfigError

if TYPE_CHECKING:
    from distilabel.pipeline import Pipeline

    from rlhf_argilla.config import Settings
    from rlhf_argilla.llms.message_batches import StatusFn
    from rlhf_argilla.schema.progress import Progress

__all__ = ["run_batched", "new_run_id", "require_batch_backend", "batch_mode", "open_ledger", "MAX_PASSES"]

#: Pipeline passes at most (pairs need three; a fourth only retries what a batch left out).
MAX_PASSES = 4


def new_run_id() -> str:
    return uuid.uuid4().hex


def require_batch_backend(settings: Settings) -> None:
    """Message Batches are an Anthropic API feature: one-line error for a backend without them."""
    from rlhf_argilla.llms.profiles import profile_for

    if not profile_for(settings.backend).message_batches:
        raise ConfigError(
            "batch mode needs the anthropic backend (backend setting, RLHF_ARGILLA_BACKEND=anthropic); "
            "the embedded model runs locally"
        )


def batch_mode(settings: Settings, batch: bool | None) -> bool:
    """Whether a stage sends its calls as Message Batches: ``batch`` when given, else the setting;
    checked against the backend before any work starts."""
    batched = settings.batch if batch is None else batch
    if batched:
        require_batch_backend(settings)
    return batched


def open_ledger(settings: Settings):
    from rlhf_argilla.llms.batch_ledger import LEDGER_FILE_NAME, BatchLedger

    return BatchLedger(settings.data_dir / "cache" / LEDGER_FILE_NAME)


def batch_client(settings: Settings):
    """The synchronous SDK client batches are submitted and polled with."""
    import anthropic

    from rlhf_argilla.llms.anthropic import require_api_key

    return anthropic.Anthropic(
        api_key=require_api_key(settings).get_secret_value(),
        base_url=settings.anthropic_base_url,
        max_retries=8,
    )


def run_batched(
    settings: Settings,
    build: Callable[[str], Pipeline],
    *,
    run_id: str,
    max_cost_usd: float | None = None,
    use_ray: bool | None = None,
    on_progress: Progress | None = None,
    on_status: StatusFn | None = None,
) -> list[dict[str, Any]]:
    """Run ``build(run_id)`` passes and Message Batches in turn until a pass needs no new call.

    Args:
        settings: anthropic backend; ``batch_poll_s`` / ``batch_max_requests`` steer the batches.
        build: makes the pipeline whose LLMs carry ``batch_run_id=run_id`` (one spend ledger).
        run_id: this run's id (``new_run_id()``).
        max_cost_usd: spend cap at batch prices; what it cannot pay for stays queued for a rerun.
        use_ray: as in :func:`~rlhf_argilla.generation.runner.run_pipeline`.
        on_progress: called with the number of answers this run's batches brought back.
        on_status: called with a one-line batch status after every poll.

    Returns:
        The rows of the last pass (budget-stopped or failed entries are ``None`` there, as in a
        direct run).
    """
    from rlhf_argilla.generation.runner import run_pipeline
    from rlhf_argilla.llms.cache import CACHE_FILE_NAME, ResponseCache
    from rlhf_argilla.llms.message_batches import BatchOptions, process_batches

    require_batch_backend(settings)
    ledger = open_ledger(settings)
    cache = ResponseCache(settings.data_dir / "cache" / CACHE_FILE_NAME)
    options = BatchOptions(
        poll_s=settings.batch_poll_s, max_requests=settings.batch_max_requests, max_cost_usd=max_cost_usd
    )

    def status(line: str) -> None:
        if on_progress is not None:
            on_progress(ledger.counts(run_id).get("done", 0), None)
        if on_status is not None:
            on_status(line)

    client = None
    try:
        rows: list[dict[str, Any]] = []
        for _ in range(MAX_PASSES):
            rows = run_pipeline(build(run_id), settings, use_ray=use_ray)
            if not ledger.queued(run_id) and not ledger.live_batches() and not ledger.intents():
                break  # (an intent is a crashed submission: process_batches adopts or requeues it)
            answered = ledger.counts(run_id).get("done", 0)
            client = client or batch_client(settings)
            process_batches(client, ledger, cache, run_id, options, status)
            if ledger.counts(run_id).get("done", 0) == answered:
                break  # nothing came back (spend cap, or every entry failed): the last pass stands
        return rows
    finally:
        if client is not None:
            client.close()
        ledger.close()
        cache.close()


def run_stage(
    settings: Settings,
    build: Callable[[str | None], Pipeline],
    *,
    batched: bool,
    max_cost_usd: float | None = None,
    use_ray: bool | None = None,
    on_progress: Progress | None = None,
    on_status: StatusFn | None = None,
) -> list[dict[str, Any]]:
    """Run a generation stage's pipeline once, or through Message Batches with a new run id.

    ``build(None)`` makes the direct pipeline; ``build(run_id)`` the one whose calls are batched
    (see :func:`run_batched`). Both stages (prompts, pairs) start their pipeline here.
    """
    from rlhf_argilla.generation.runner import run_pipeline

    if not batched:
        return run_pipeline(build(None), settings, use_ray=use_ray, on_progress=on_progress)
    return run_batched(
        settings,
        build,
        run_id=new_run_id(),
        max_cost_usd=max_cost_usd,
        use_ray=use_ray,
        on_progress=on_progress,
        on_status=on_status,
    )
