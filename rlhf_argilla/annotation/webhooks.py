"""``review --watch``: route pairs as responses arrive, from Argilla webhooks, losing nothing while down.

The Argilla server (2.x) posts ``response.created`` / ``response.updated`` events from its
background worker, signed the Standard Webhooks way with the webhook's secret. :func:`watch`:

1. binds a small HTTP listener (stdlib ``http.server``, loopback by default) that accepts only
   events whose signature ``standardwebhooks`` verifies (others get HTTP 401);
2. registers a webhook for that URL with the SDK (removing one a killed earlier watch left behind);
3. runs a full routing pass (the catch-up: whatever was answered while nothing watched), then
   routes the records named by the events, batched for up to ``batch_seconds``;
4. on Ctrl-C removes the webhook and stops the listener.

Events that arrive during the catch-up are queued and routed after it; a failed routing pass
keeps its record ids for the next one.
"""

from __future__ import annotations

import contextlib
import json
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import argilla_errors

if TYPE_CHECKING:
    from rlhf_argilla.annotation.review import ReviewQueue, RouteReport

__all__ = ["EVENTS", "WebhookListener", "watch", "webhook_description"]

EVENTS: tuple[str, ...] = ("response.created", "response.updated")


class WebhookListener:
    """A threaded HTTP server that puts the record id of every verified response event on a queue."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.secret: str | None = None
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                from standardwebhooks.webhooks import Webhook, WebhookVerificationError

                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if listener.secret is None:
                    return self._answer(503)
                try:
                    event = Webhook(listener.secret).verify(body, dict(self.headers.items()))
                except WebhookVerificationError:
                    return self._answer(401)
                listener.events.put(event if isinstance(event, dict) else json.loads(body))
                self._answer(200)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:  # no access log on the terminal
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="webhook-listener", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> WebhookListener:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def webhook_description(workspace: str, dataset: str) -> str:
    """How the webhook of one watched dataset is recognised (a killed watch's leftover is replaced).

    Example:
        >>> webhook_description("fitness", "fitness-prefs")
        'rlhf-argilla review --watch fitness/fitness-prefs'
    """
    return f"rlhf-argilla review --watch {workspace}/{dataset}"


def _record_id(event: dict[str, Any], dataset_id: str) -> str | None:
    data = event.get("data") or {}
    record = data.get("record") or {}
    if event.get("type") not in EVENTS or (record.get("dataset") or {}).get("id") != dataset_id:
        return None
    return record.get("id")


@contextlib.contextmanager
def _ctrl_c_sets(stop: threading.Event) -> Iterator[None]:
    """While watching, the first Ctrl-C sets ``stop`` (the pass under way ends, then the webhook is removed).

    A KeyboardInterrupt raised inside an HTTP call could leave the SDK client's connection pool locked,
    so that deleting the webhook afterwards hangs (seen once in CI: no exit 30 s after SIGINT). A second
    Ctrl-C raises as usual. Off the main thread (tests drive ``stop`` themselves) nothing is installed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(signum: int, frame: Any) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def watch(
    queue_: ReviewQueue,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    public_url: str | None = None,
    batch_seconds: float = 0.5,
    stop: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
    on_route: Callable[[RouteReport], None] | None = None,
    on_error: Callable[[ArgillaError], None] | None = None,
) -> None:
    """Route until Ctrl-C (or ``stop`` is set): catch-up pass, then one pass per batch of events.

    Args:
        queue_: the review queue of the watched dataset.
        host, port: where the listener binds (port 0: any free port).
        public_url: the URL the Argilla server should call (default: the listener's own URL).
        batch_seconds: how long to gather events into one routing pass.
        stop: set it to end the watch from another thread (tests); Ctrl-C works without it.
        on_ready: called with the webhook URL once registered.
        on_route: called with each pass's report.
        on_error: called when a pass fails (its records are retried); unset: the error is raised.
    """
    import argilla as rg

    stop = stop or threading.Event()
    description = webhook_description(queue_.workspace, queue_.dataset)
    with WebhookListener(host, port) as listener, _ctrl_c_sets(stop):
        url = (public_url or listener.url).rstrip("/") + "/argilla-webhook"
        for stale in list(queue_.client.webhooks):
            if stale.description == description:
                stale.delete()
        with argilla_errors("registering a webhook (Argilla 2.5+ has them)", wrap_all=True):
            webhook = rg.Webhook(url=url, events=list(EVENTS), description=description, _client=queue_.client)
            webhook.create()
        listener.secret = webhook.secret
        try:
            if on_ready:
                on_ready(url)
            report = queue_.route()
            if on_route:
                on_route(report)
            pending: set[str] = set()
            source = str(queue_.source["id"])
            while not stop.is_set():
                try:
                    event = listener.events.get(timeout=batch_seconds)
                except queue.Empty:
                    event = None
                while event is not None:
                    if record_id := _record_id(event, source):
                        pending.add(record_id)
                    event = listener.events.get_nowait() if not listener.events.empty() else None
                if not pending:
                    continue
                try:
                    report = queue_.route(sorted(pending))
                except ArgillaError as error:  # keep the ids: the next pass retries them
                    if on_error is None:
                        raise
                    on_error(error)
                    stop.wait(batch_seconds)
                    continue
                pending.clear()
                if on_route:
                    on_route(report)
        except KeyboardInterrupt:
            pass
        finally:
            try:
                webhook.delete()
            except Exception:  # the server went away: a later watch replaces the leftover
                pass
