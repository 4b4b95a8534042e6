"""The Message Batches ledger: which requests a batch run needs, which batch each one went in.

One sqlite file next to the response cache (``data_dir/cache/message-batches.sqlite``). A request
is keyed by its response-cache key (64 hex characters, also its batch ``custom_id``) and moves
``queued`` -> ``submitting`` (an intent row written *before* the batch is created) -> ``submitted``
(with its batch id, written as soon as the batch is created) ->
``done`` (its response is in the response cache) or back to ``queued`` (errored / expired, for
a later batch) or ``failed`` (an error no retry fixes, or out of attempts). A crashed run's
``submitted`` requests keep their batch id, so the next run polls that batch instead of
submitting them again; a run killed between ``create`` and the ledger write leaves an intent,
which the next run matches against the API's batch list (see :mod:`rlhf_argilla.llms.message_batches`).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from rlhf_argilla.llms.sqlite_store import SqliteStore

__all__ = ["BatchLedger", "QueuedRequest", "LEDGER_FILE_NAME"]

LEDGER_FILE_NAME = "message-batches.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    key TEXT PRIMARY KEY, model TEXT NOT NULL, body TEXT NOT NULL, budget_id TEXT NOT NULL,
    run_id TEXT NOT NULL, state TEXT NOT NULL, batch_id TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS requests_state ON requests (state, run_id);
CREATE TABLE IF NOT EXISTS batches (
    batch_id TEXT PRIMARY KEY, requests INTEGER NOT NULL, state TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS intents (token TEXT PRIMARY KEY, requests INTEGER NOT NULL, started_at REAL NOT NULL);
"""


@dataclass(frozen=True)
class QueuedRequest:
    key: str
    model: str
    body: dict[str, Any]
    budget_id: str
    attempts: int


class BatchLedger(SqliteStore):
    """sqlite ledger shared by the collecting step processes and the submitting parent process."""

    SCHEMA = _SCHEMA
    WHAT = "message-batch ledger"

    # --- collecting (step processes) ------------------------------------------------------------------
    def want(self, key: str, *, model: str, body: dict[str, Any], budget_id: str, run_id: str) -> None:
        """Record that run ``run_id`` needs the response ``key``: queued unless a batch already has it."""
        now = time.time()
        self._run(
            "INSERT INTO requests (key, model, body, budget_id, run_id, state, updated_at)"
            " VALUES (?,?,?,?,?,'queued',?) ON CONFLICT(key) DO UPDATE SET run_id = excluded.run_id,"
            " budget_id = excluded.budget_id, updated_at = excluded.updated_at,"
            " state = CASE WHEN state = 'failed' THEN 'queued' ELSE state END,"
            " attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END",
            (key, model, json.dumps(body, ensure_ascii=False), budget_id, run_id, now),
        )

    def done_in_run(self, key: str, run_id: str) -> bool:
        """True when ``key``'s response came from a batch of run ``run_id`` (a new call, not a cache hit)."""
        return bool(
            self._run("SELECT 1 FROM requests WHERE key = ? AND run_id = ? AND state = 'done'", (key, run_id))
        )

    # --- submitting (parent process) --------------------------------------------------------------------
    def queued(self, run_id: str) -> list[QueuedRequest]:
        rows = self._run(
            "SELECT key, model, body, budget_id, attempts FROM requests"
            " WHERE state = 'queued' AND run_id = ? ORDER BY rowid",
            (run_id,),
        )
        return [
            QueuedRequest(key, model, json.loads(body), budget, attempts)
            for key, model, body, budget, attempts in rows
        ]

    def submitting(self, keys: list[str]) -> str:
        """Record, before ``create``, that these requests are about to go out in one batch: an intent token."""
        token = f"intent-{uuid.uuid4().hex}"
        now = time.time()
        self._transaction(
            [
                ("INSERT INTO intents VALUES (?,?,?)", [(token, len(keys), now)]),
                (
                    "UPDATE requests SET state = 'submitting', batch_id = ?, updated_at = ? WHERE key = ?",
                    [(token, now, key) for key in keys],
                ),
            ]
        )
        return token

    def intents(self) -> list[tuple[str, int, float]]:
        """(token, request count, started_at) of every submission whose batch id was never stored, oldest first."""
        return [tuple(row) for row in self._run("SELECT * FROM intents ORDER BY started_at")]

    def abandon(self, token: str) -> None:
        """The intent's batch never reached the API: its requests go back to ``queued``."""
        self._transaction(
            [
                (
                    "UPDATE requests SET state = 'queued', batch_id = NULL, updated_at = ? WHERE batch_id = ?",
                    [(time.time(), token)],
                ),
                ("DELETE FROM intents WHERE token = ?", [(token,)]),
            ]
        )

    def adopt(self, token: str, batch_id: str) -> None:
        """The intent's batch was found in the API's list under ``batch_id``: poll it like any live batch."""
        requests, started_at = self._run(
            "SELECT requests, started_at FROM intents WHERE token = ?", (token,)
        )[0]
        self._transaction(
            [
                ("INSERT OR REPLACE INTO batches VALUES (?,?,'live',?)", [(batch_id, requests, started_at)]),
                (
                    "UPDATE requests SET state = 'submitted', batch_id = ?, updated_at = ? WHERE batch_id = ?",
                    [(batch_id, time.time(), token)],
                ),
                ("DELETE FROM intents WHERE token = ?", [(token,)]),
            ]
        )

    def unanswered(self, batch_id: str) -> int:
        """Requests still booked on an ended batch (its results did not name them) go back to ``queued``."""
        return self._change(
            "UPDATE requests SET state = 'queued', batch_id = NULL, updated_at = ?"
            " WHERE batch_id = ? AND state = 'submitted'",
            (time.time(), batch_id),
        )

    def submitted(self, batch_id: str, keys: list[str], token: str) -> None:
        """Store a created batch and its requests in one transaction (right after ``create``); drop its intent."""
        now = time.time()
        self._transaction(
            [
                ("DELETE FROM intents WHERE token = ?", [(token,)]),
                ("INSERT OR REPLACE INTO batches VALUES (?,?,'live',?)", [(batch_id, len(keys), now)]),
                (
                    "UPDATE requests SET state = 'submitted', batch_id = ?, updated_at = ? WHERE key = ?",
                    [(batch_id, now, key) for key in keys],
                ),
            ]
        )

    def live_batches(self) -> list[tuple[str, int]]:
        """(batch id, request count) of every batch not yet collected, from any run."""
        return [
            (bid, n) for bid, n in self._run("SELECT batch_id, requests FROM batches WHERE state = 'live'")
        ]

    def request(self, key: str) -> tuple[str, str, int] | None:
        """(model, budget id, attempts) of a request, or None when the ledger does not know it."""
        rows = self._run("SELECT model, budget_id, attempts FROM requests WHERE key = ?", (key,))
        return rows[0] if rows else None

    def settle(self, key: str, state: str, error: str | None = None) -> None:
        """``done``, ``queued`` (retry in a later batch: one more attempt) or ``failed``."""
        retry = 1 if state == "queued" else 0
        self._run(
            "UPDATE requests SET state = ?, batch_id = NULL, error = ?, attempts = attempts + ?,"
            " updated_at = ? WHERE key = ?",
            (state, error, retry, time.time(), key),
        )

    def ended(self, batch_id: str) -> None:
        self._run("UPDATE batches SET state = 'ended' WHERE batch_id = ?", (batch_id,))

    def counts(self, run_id: str) -> dict[str, int]:
        """Requests of run ``run_id`` per state."""
        return dict(
            self._run("SELECT state, COUNT(*) FROM requests WHERE run_id = ? GROUP BY state", (run_id,))
        )

    def batches(self) -> list[tuple[str, int, str, float]]:
        """Every batch ever submitted: (id, requests, 'live' | 'ended', created_at), newest first."""
        return [tuple(row) for row in self._run("SELECT * FROM batches ORDER BY created_at DESC")]
