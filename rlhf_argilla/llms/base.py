"""The behaviour both backends share: response cache, concurrency limit, spend budget, statistics.

A backend subclasses :class:`CachedLLM`, implements ``_complete`` (one call, returns text and
:class:`~rlhf_argilla.llms.usage.Usage`) and an ``agenerate`` whose signature lists the generation
kwargs it accepts (distilabel validates ``generation_kwargs`` against it) and delegates to
``_generate_cached``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from abc import abstractmethod
from typing import Any, ClassVar

from distilabel.models.llms.base import AsyncLLM
from pydantic import Field, PrivateAttr

from rlhf_argilla.errors import RlhfArgillaError
from rlhf_argilla.llms.cache import CACHE_FILE_NAME, ResponseCache, cache_key
from rlhf_argilla.llms.usage import STATISTICS_KEYS, Usage

__all__ = ["CachedLLM"]

_log = logging.getLogger(__name__)
_BUDGET_POLL_S = 0.05


class CachedLLM(AsyncLLM):
    """distilabel ``AsyncLLM`` with a persistent cache, a concurrency limit and a cost budget.

    Attributes:
        cache_dir: folder of the sqlite response cache (``None``: no cache, every call is new).
        max_cost_usd: once new calls booked on this LLM's budget cost this much, no new call is
            made and the remaining generations are ``None`` (one warning line says so).
        concurrency: calls in flight at once in one process.
    """

    backend: ClassVar[str] = ""

    cache_dir: str | None = Field(default=None, description="Folder of the response cache.")
    max_cost_usd: float | None = Field(default=None, ge=0, description="Spend cap for new calls (USD).")
    concurrency: int = Field(default=8, ge=1, le=256, description="Calls in flight per process.")
    batch_run_id: str | None = Field(
        default=None, description="Message Batches run: misses are queued in the batch ledger, not called."
    )

    _cache: ResponseCache | None = PrivateAttr(default=None)
    _budget_id: str = PrivateAttr(default_factory=lambda: uuid.uuid4().hex)
    _stopped: bool = PrivateAttr(default=False)  # budget reached: no new call in this process
    _local_spent: float = PrivateAttr(default=0.0)  # only used without a cache
    _in_flight: dict[object, float] = PrivateAttr(default_factory=dict)  # expected cost per call in flight
    _finished: tuple[int, float] = PrivateAttr(default=(0, 0.0))  # new calls and their cost, this process
    _limit: tuple[Any, asyncio.Semaphore] | None = PrivateAttr(default=None)
    _pending: dict[str, asyncio.Future] = PrivateAttr(default_factory=dict)  # calls in flight, by key
    _ledger: Any = PrivateAttr(default=None)  # BatchLedger of a batch run

    # --- public helpers ---------------------------------------------------------------------------
    def set_budget_id(self, budget_id: str) -> None:
        """Share one spend ledger with every LLM given the same id (e.g. generator + judge)."""
        self._budget_id = budget_id

    @property
    def budget_id(self) -> str:
        return self._budget_id

    def spent_usd(self) -> float:
        """USD spent by new calls on this LLM's budget so far (all processes)."""
        cache = self._response_cache()
        return cache.spent_usd(self._budget_id) if cache else self._local_spent

    def budget_exhausted(self) -> bool:
        """True once the spend reached ``max_cost_usd`` (never without a cap)."""
        return self.max_cost_usd is not None and self.spent_usd() >= self.max_cost_usd

    async def _admit(self, expected_usd: float) -> bool:
        """Wait until the budget has room for one more call; ``False`` once it is spent.

        A call starts when nothing is in flight or when spend + the expected cost of the calls in
        flight + its own stays within the cap; otherwise it waits for calls to finish. So many
        concurrent calls overshoot the cap by about one call, not by a whole wave.
        """
        while not self._stopped:
            if self.max_cost_usd is None:
                return True
            spent = self.spent_usd()
            if spent >= self.max_cost_usd:
                self._stop_for_budget()
                break
            if (
                not self._in_flight
                or spent + sum(self._in_flight.values()) + expected_usd <= self.max_cost_usd
            ):
                return True
            await asyncio.sleep(_BUDGET_POLL_S)
        return False

    # --- to implement -------------------------------------------------------------------------------
    @abstractmethod
    async def _complete(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> tuple[str, Usage]:
        """Make one call (``params`` has ``generation_index``).

        Raise ``RlhfArgillaError`` for failures no retry can fix (they stop the run); anything else
        leaves this generation ``None`` for a later rerun.
        """

    def request_body(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        """The API body of one call, for backends that can send it in a Message Batch."""
        raise RlhfArgillaError(f"the {self.backend} backend cannot send Message Batches")

    def _batch_ledger(self) -> Any:
        if self._ledger is None:
            from pathlib import Path

            from rlhf_argilla.llms.batch_ledger import LEDGER_FILE_NAME, BatchLedger

            self._ledger = BatchLedger(Path(self.cache_dir or ".") / LEDGER_FILE_NAME)
        return self._ledger

    def _estimate_usd(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> float:
        """Expected cost of a call before any finished in this process (backends may refine it)."""
        return 0.0

    # --- shared machinery --------------------------------------------------------------------------
    def _response_cache(self) -> ResponseCache | None:
        if self._cache is None and self.cache_dir is not None:
            from pathlib import Path

            self._cache = ResponseCache(Path(self.cache_dir) / CACHE_FILE_NAME)
        return self._cache

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._limit is None or self._limit[0] is not loop:
            self._limit = (loop, asyncio.Semaphore(self.concurrency))
        return self._limit[1]

    @property
    def _log(self) -> logging.Logger:
        return self._logger or _log

    def _stop_for_budget(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._log.warning(
                f"budget of ${self.max_cost_usd:.4f} reached (${self.spent_usd():.4f} spent): no new "
                f"{self.backend} calls; finished responses are kept - "
                "rerun with a higher max cost to complete"
            )

    async def _generate_cached(
        self, input: list[dict[str, Any]], num_generations: int, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Run ``num_generations`` calls for one input (cache first) into a distilabel output dict."""
        messages = [dict(message) for message in input]
        results = await asyncio.gather(
            *(self._one(messages, {**params, "generation_index": i}) for i in range(num_generations))
        )
        statistics: dict[str, list[Any]] = {key: [] for key in STATISTICS_KEYS}
        for _, usage, from_cache in results:
            for key, value in usage.to_dict().items():
                statistics[key].append(value)
            statistics["from_cache"].append(from_cache)
        return {"generations": [text for text, _, _ in results], "statistics": statistics}

    async def _one(
        self, messages: list[dict[str, Any]], params: dict[str, Any]
    ) -> tuple[str | None, Usage, bool]:
        cache = self._response_cache()
        key = cache_key(self.backend, self.model_name, messages, params)
        if cache is not None and (hit := cache.get(key)) is not None:
            fresh = self.batch_run_id is not None and self._batch_ledger().done_in_run(key, self.batch_run_id)
            return hit.text, hit.usage, not fresh  # answered by this run's batch: a new call, not a hit
        if self.batch_run_id is not None:
            self._batch_ledger().want(
                key,
                model=self.model_name,
                body=self.request_body(messages, params),
                budget_id=self._budget_id,
                run_id=self.batch_run_id,
            )
            return None, Usage(), False
        if (pending := self._pending.get(key)) is not None:  # same call already in flight: share it,
            text, usage, _ = await asyncio.shield(pending)  # as a rerun would read it from the cache
            return text, usage, text is not None
        future = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            result = await self._call(cache, key, messages, params)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning when nobody shares it
            raise
        finally:
            self._pending.pop(key, None)
        future.set_result(result)
        return result

    async def _call(
        self, cache: ResponseCache | None, key: str, messages: list[dict[str, Any]], params: dict[str, Any]
    ) -> tuple[str | None, Usage, bool]:
        async with self._semaphore():
            calls, cost = self._finished
            expected = cost / calls if calls else self._estimate_usd(messages, params)
            if not await self._admit(expected):  # checked after the semaphore: spend grows meanwhile
                return None, Usage(), False
            ticket = object()
            self._in_flight[ticket] = expected
            try:
                text, usage = await self._complete(messages, params)
            except RlhfArgillaError:  # fatal: bad key or model, no retry can fix it
                raise
            except Exception as error:  # transient failure after the backend's own retries
                self._log.warning(
                    f"{self.backend} call failed, left for a rerun: {type(error).__name__}: {error}"
                )
                return None, Usage(), False
            finally:
                self._in_flight.pop(ticket, None)
            calls, cost = self._finished
            self._finished = (calls + 1, cost + usage.cost_usd)
        if cache is None:
            self._local_spent += usage.cost_usd
        else:
            cache.put(
                key,
                backend=self.backend,
                model=self.model_name,
                text=text,
                usage=usage,
                budget_id=self._budget_id,
            )
        return text, usage, False

    def unload(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None
        super().unload()
