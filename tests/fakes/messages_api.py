"""A loopback HTTP server that speaks enough of Anthropic's Messages API for the real SDK.

``POST /v1/messages`` answers with deterministic text derived from the request, ``usage`` with
input / output / cache-creation / cache-read tokens (a ``cache_control``'d system prompt seen
before is a cache hit), after a configurable latency. Errors can be injected (429 / 529 with
``retry-after``), and delays (client timeouts); unknown models get ``404 not_found_error`` and a
wrong key ``401``, like the real API. ``GET /v1/models/{id}`` answers for known models. Every
request is counted; ``GET /_fake/stats`` and ``POST /_fake/{inject,inject_delay,plant_batch,reset}`` let
another process (a CLI run, a benchmark) read and steer it - see ``tests/fakes/serve_messages_api.py``.
The Message Batches endpoints are :mod:`tests.fakes.message_batches` (``api.batches``).

Tokens are estimated as ``ceil(characters / 4)``; that is all tests and benchmarks need.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.message_batches import FakeBatches
from tests.fakes.messages_content import KNOWN_MODELS, count_tokens, default_reply, message_text, system_text

__all__ = ["FakeMessagesAPI", "KNOWN_MODELS", "count_tokens", "default_reply"]


class FakeMessagesAPI:
    """Start with ``with FakeMessagesAPI() as api: ...`` (or ``start()`` / ``stop()``); ``api.url``.

    Attributes:
        latency_s: seconds each ``/v1/messages`` call sleeps before answering.
        api_key: when set, a request without it (``x-api-key`` or bearer token) gets 401.
        min_cacheable_tokens: system prompts shorter than this are never cached (real API: 1024+).
        responder: ``(body, sample) -> text``; default :func:`default_reply`.
        counts: requests per ``(method, path, status)``; see :attr:`message_calls`.
        bodies: every ``/v1/messages`` request body received, in order.
    """

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        api_key: str | None = None,
        models: frozenset[str] = KNOWN_MODELS,
        min_cacheable_tokens: int = 0,
        responder: Callable[[dict[str, Any], int], str] = default_reply,
        batch_delay_s: float = 0.3,
    ) -> None:
        self.latency_s = latency_s
        self.api_key = api_key
        self.models = models
        self.min_cacheable_tokens = min_cacheable_tokens
        self.responder = responder
        self.counts: Counter[tuple[str, str, int]] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._injected: deque[tuple[int, float]] = deque()
        self._delays: deque[float] = deque()
        self._cached_prefixes: set[str] = set()
        self._samples: Counter[str] = Counter()  # identical requests answered so far
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.batches = FakeBatches(self, delay_s=batch_delay_s)

    # --- control ---------------------------------------------------------------------------------
    def inject(self, status: int, times: int = 1, *, retry_after: float = 0.1) -> None:
        """Answer the next ``times`` message calls with ``status`` (429, 529, 500...) + retry-after."""
        with self._lock:
            self._injected.extend([(status, retry_after)] * times)

    def inject_delay(self, seconds: float, times: int = 1) -> None:
        """Make the next ``times`` message calls ``seconds`` slower (to trigger client timeouts)."""
        with self._lock:
            self._delays.extend([seconds] * times)

    @property
    def message_calls(self) -> int:
        """``POST /v1/messages`` requests received so far (failed, retried and unanswered included)."""
        with self._lock:
            return len(self.bodies)

    @property
    def successful_calls(self) -> int:
        return self.counts[("POST", "/v1/messages", 200)]

    def wait_idle(self, timeout_s: float = 30.0) -> None:
        """Block until every ``POST /v1/messages`` received so far has been answered (a killed client's too)."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self._lock:
                answered = sum(n for (_, path, _), n in self.counts.items() if path == "/v1/messages")
                if self._in_flight == 0 and answered >= len(self.bodies):
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"fake Messages API still busy after {timeout_s:g} s")
            time.sleep(0.02)

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.bodies.clear()
            self.max_in_flight = 0

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeMessagesAPI:
        handler = type("Handler", (_Handler,), {"api": self})
        server = _QuietServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        server.request_queue_size = 512  # many concurrent connects must not overflow the backlog
        server.daemon_threads = True
        server.server_bind()
        server.server_activate()
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-messages-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeMessagesAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- behaviour ---------------------------------------------------------------------------------
    def handle_message(
        self, headers: Any, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            self.bodies.append(body)
            injected = self._injected.popleft() if self._injected else None
            delay = self._delays.popleft() if self._delays else 0.0
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            time.sleep(self.latency_s + delay)
            if (auth := self._check_key(headers)) is not None:
                return auth
            if injected is not None:
                status, retry_after = injected
                kind = {529: "overloaded_error", 429: "rate_limit_error"}.get(status, "api_error")
                return status, {"retry-after": f"{retry_after:g}"}, _error(kind, f"injected {status}")
            if body.get("model") not in self.models:
                return 404, {}, _error("not_found_error", f"model: {body.get('model')}")
            return 200, {}, self._message(body)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _check_key(self, headers: Any) -> tuple[int, dict[str, str], dict[str, Any]] | None:
        bearer = (headers.get("authorization") or "").removeprefix("Bearer ")
        if self.api_key is not None and self.api_key not in (headers.get("x-api-key"), bearer):
            return 401, {}, _error("authentication_error", "invalid x-api-key")
        return None

    def _message(self, body: dict[str, Any]) -> dict[str, Any]:
        system, cache_marked = system_text(body)
        turns = " ".join(message_text(m) for m in body.get("messages", []))
        system_tokens = count_tokens(system) if system else 0
        usage = {
            "input_tokens": count_tokens(turns),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        }
        if cache_marked and system_tokens >= self.min_cacheable_tokens:
            prefix = hashlib.sha256(f"{body['model']}\0{system}".encode()).hexdigest()
            with self._lock:
                hit = prefix in self._cached_prefixes
                self._cached_prefixes.add(prefix)
            usage["cache_read_input_tokens" if hit else "cache_creation_input_tokens"] = system_tokens
        else:
            usage["input_tokens"] += system_tokens
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self._lock:
            sample = self._samples[digest]
            self._samples[digest] += 1
        text = self.responder(body, sample)
        limit = int(body.get("max_tokens", 1024))
        if count_tokens(text) > limit:
            text, stop = text[: limit * 4], "max_tokens"
        else:
            stop = "end_turn"
        usage["output_tokens"] = count_tokens(text)
        return {
            "id": f"msg_{digest[:20]}{sample:04d}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [{"type": "text", "text": text}],
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": usage,
        }

    def stats(self) -> dict[str, int]:
        """Counters for callers in another process (``GET /_fake/stats``)."""
        return {
            "message_calls": self.message_calls,
            "successful_calls": self.successful_calls,
            "max_in_flight": self.max_in_flight,
            **self.batches.stats(),
        }

    def control(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /_fake/inject`` | ``/_fake/inject_delay`` | ``/_fake/reset`` from another process."""
        if path == "/_fake/inject":
            self.inject(
                int(body["status"]),
                int(body.get("times", 1)),
                retry_after=float(body.get("retry_after", 0.1)),
            )
        elif path == "/_fake/inject_delay":
            self.inject_delay(float(body["seconds"]), int(body.get("times", 1)))
        elif path == "/_fake/plant_batch":
            self.batches.plant(str(body["outcome"]), int(body.get("times", 1)))
        elif path == "/_fake/reset":
            self.reset_counts()
            self.batches.reset()
        return self.stats()

    def handle_model(self, headers: Any, model_id: str) -> tuple[int, dict[str, str], dict[str, Any]]:
        if (auth := self._check_key(headers)) is not None:
            return auth
        if model_id not in self.models:
            return 404, {}, _error("not_found_error", f"model: {model_id}")
        return (
            200,
            {},
            {"type": "model", "id": model_id, "display_name": model_id, "created_at": "2025-10-01T00:00:00Z"},
        )


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-request (resume tests do it on purpose) is not worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the SDK expects
    api: FakeMessagesAPI

    def log_message(self, format: str, *args: Any) -> None:  # silence per-request stderr lines
        pass

    def _reply(
        self, method: str, path: str, status: int, headers: dict[str, str], payload: dict[str, Any]
    ) -> None:
        with self.api._lock:
            self.api.counts[(method, path, status)] += 1
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", headers.pop("content-type", "application/json"))
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_fake_{time.monotonic_ns()}")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        path = self.path.split("?")[0]
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if path.startswith("/_fake/"):
            self._reply("POST", path, 200, {}, self.api.control(path, body))
            return
        if path.startswith("/v1/messages/batches"):
            self._reply("POST", path, *self.api.batches.handle("POST", path, self.headers, body))
            return
        if path != "/v1/messages":
            self._reply("POST", path, 404, {}, _error("not_found_error", path))
            return
        self._reply("POST", path, *self.api.handle_message(self.headers, body))

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/_fake/stats":
            self._reply("GET", path, 200, {}, self.api.stats())
            return
        if path.startswith("/v1/messages/batches"):
            self._reply("GET", path, *self.api.batches.handle("GET", path, self.headers, {}))
            return
        if path.startswith("/v1/models/"):
            self._reply("GET", "/v1/models", *self.api.handle_model(self.headers, path.rsplit("/", 1)[1]))
            return
        self._reply("GET", path, 404, {}, _error("not_found_error", path))
