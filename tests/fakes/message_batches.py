"""The Message Batches endpoints of the loopback Messages API (used by :mod:`tests.fakes.messages_api`).

``POST /v1/messages/batches`` stores the requests; a batch stays ``in_progress`` for
``delay_s`` seconds after creation, then ends on the next read: every request is answered like
``POST /v1/messages`` (same text and usage, so batch and direct runs give the same responses),
except planted outcomes (``plant("errored" | "expired", times)`` applies to the next requests
processed) and requests of a batch canceled before it ended (``canceled``). ``GET
/v1/messages/batches[/{id}]`` lists / retrieves, ``GET .../{id}/results`` streams JSON lines,
``POST .../{id}/cancel`` cancels. ``creates`` counts submissions, ``processed`` the requests answered.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.messages_api import FakeMessagesAPI

__all__ = ["FakeBatches", "OUTCOMES"]

OUTCOMES = ("errored", "expired")
_MAX_REQUESTS = 100_000
Reply = tuple[int, dict[str, str], Any]


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


class FakeBatches:
    def __init__(self, api: FakeMessagesAPI, *, delay_s: float = 0.3) -> None:
        self.api = api
        self.delay_s = delay_s
        self.creates = 0
        self.processed = 0
        self.cancels = 0
        self._planted: deque[str] = deque()
        self._batches: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def plant(self, outcome: str, times: int = 1) -> None:
        """The next ``times`` requests processed in any batch end ``errored`` or ``expired``."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")
        with self._lock:
            self._planted.extend([outcome] * times)

    def reset(self) -> None:
        with self._lock:
            self.creates = self.processed = self.cancels = 0

    def stats(self) -> dict[str, int]:
        return {
            "batch_creates": self.creates,
            "batch_requests": self.processed,
            "batch_cancels": self.cancels,
        }

    # --- HTTP ----------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: Any, body: dict[str, Any]) -> Reply:
        if (auth := self.api._check_key(headers)) is not None:
            return auth
        parts = path.removeprefix("/v1/messages/batches").strip("/").split("/")
        if method == "POST" and parts == [""]:
            return self._create(body.get("requests") or [])
        with self._lock:
            batch = self._batches.get(parts[0])
        if method == "GET" and parts == [""]:
            with self._lock:
                listed = [self._view(item) for item in reversed(self._batches.values())]
            return 200, {}, {"data": listed, "has_more": False, "first_id": None, "last_id": None}
        if batch is None:
            return 404, {}, _error("not_found_error", f"message batch: {parts[0]}")
        if method == "POST" and parts[1:] == ["cancel"]:
            with self._lock:
                if batch["ended"] is None and batch["cancel_at"] is None:
                    batch["cancel_at"] = time.time()
                    self.cancels += 1
        self._settle(batch)
        if method == "GET" and parts[1:] == ["results"]:
            if batch["results"] is None:
                return 400, {}, _error("invalid_request_error", "batch has not ended")
            return 200, {"content-type": "application/binary"}, batch["results"]
        return 200, {}, self._view(batch)

    def _create(self, requests: list[dict[str, Any]]) -> Reply:
        ids = [item.get("custom_id") for item in requests]
        if not requests or len(requests) > _MAX_REQUESTS or len(set(ids)) != len(ids):
            return 400, {}, _error("invalid_request_error", "requests: 1-100000 items with unique custom_id")
        with self._lock:
            self.creates += 1
            batch_id = f"msgbatch_fake{len(self._batches) + 1:08d}"
            batch = {
                "id": batch_id,
                "requests": requests,
                "created": time.time(),
                "cancel_at": None,
                "ended": None,
                "results": None,
                "counts": None,
            }
            self._batches[batch_id] = batch
        return 200, {}, self._view(batch)

    def _settle(self, batch: dict[str, Any]) -> None:
        """End the batch when its delay has passed (or it was canceled): answer every request."""
        with self._lock:
            due = batch["ended"] is None and (
                batch["cancel_at"] is not None or time.time() - batch["created"] >= self.delay_s
            )
            if not due:
                return
            batch["ended"] = time.time()
        lines, counts = [], dict.fromkeys(("succeeded", "errored", "canceled", "expired"), 0)
        for request in batch["requests"]:
            result = self._answer(request["params"], canceled=batch["cancel_at"] is not None)
            counts[result["type"]] += 1
            lines.append({"custom_id": request["custom_id"], "result": result})
        batch["results"] = "".join(json.dumps(line) + "\n" for line in lines).encode()
        batch["counts"] = counts

    def _answer(self, params: dict[str, Any], *, canceled: bool) -> dict[str, Any]:
        if canceled:
            return {"type": "canceled"}
        with self._lock:
            planted = self._planted.popleft() if self._planted else None
            self.processed += 1
        if planted == "expired":
            return {"type": "expired"}
        if planted == "errored":
            return {"type": "errored", "error": _error("api_error", "planted batch error")}
        if params.get("model") not in self.api.models:
            return {
                "type": "errored",
                "error": _error("invalid_request_error", f"model: {params.get('model')}"),
            }
        return {"type": "succeeded", "message": self.api._message(params)}

    def _view(self, batch: dict[str, Any]) -> dict[str, Any]:
        created = datetime.fromtimestamp(batch["created"], UTC)
        ended = batch["ended"]
        counts = batch["counts"] or {"succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        status = "ended" if ended else "canceling" if batch["cancel_at"] else "in_progress"
        return {
            "id": batch["id"],
            "type": "message_batch",
            "processing_status": status,
            "request_counts": {"processing": 0 if ended else len(batch["requests"]), **counts},
            "created_at": created.isoformat(),
            "expires_at": (created + timedelta(hours=24)).isoformat(),
            "ended_at": datetime.fromtimestamp(ended, UTC).isoformat() if ended else None,
            "cancel_initiated_at": (
                datetime.fromtimestamp(batch["cancel_at"], UTC).isoformat() if batch["cancel_at"] else None
            ),
            "archived_at": None,
            "results_url": f"{self.api.url}/v1/messages/batches/{batch['id']}/results" if ended else None,
        }
