"""Persistent response cache and spend ledger shared by every backend and step process.

One sqlite file (WAL, busy timeout) under ``settings.data_dir/cache``: every finished call is
written at once, so a rerun makes no new call and an interrupted run resumes where it stopped.
The spend ledger sums the cost of new calls per budget id, across the processes of a pipeline.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rlhf_argilla.errors import GenerationError
from rlhf_argilla.llms.usage import Usage

__all__ = ["ResponseCache", "CachedResponse", "cache_key", "CACHE_FILE_NAME"]

CACHE_FILE_NAME = "llm-responses.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY, backend TEXT NOT NULL, model TEXT NOT NULL,
    text TEXT NOT NULL, usage TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS spend (
    budget_id TEXT NOT NULL, key TEXT NOT NULL, cost_usd REAL NOT NULL,
    created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS spend_budget ON spend (budget_id);
"""


def cache_key(backend: str, model: str, messages: list[dict[str, Any]], params: dict[str, Any]) -> str:
    """Content hash identifying one call: same backend, model, messages and params = same key.

    Args:
        backend: ``"embedded"`` or ``"anthropic"``.
        model: the model id sent to the backend.
        messages: the chat messages, system prompt included.
        params: generation parameters, including the generation index for ``n > 1``.

    Returns:
        64 hex characters (sha256 of canonical JSON).

    Example:
        >>> k = cache_key("anthropic", "claude-haiku-4-5", [{"role": "user", "content": "hi"}], {"i": 0})
        >>> same = cache_key("anthropic", "claude-haiku-4-5", [{"content": "hi", "role": "user"}], {"i": 0})
        >>> len(k), k == same
        (64, True)
    """
    payload = {"backend": backend, "model": model, "messages": messages, "params": params}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedResponse:
    text: str
    usage: Usage


class ResponseCache:
    """sqlite-backed store of finished calls plus the spend ledger; safe across processes.

    The connection is opened lazily and reopened after a fork, so the object can be pickled
    into distilabel's step processes.
    """

    def __init__(self, path: Path | str, *, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "timeout_s": self.timeout_s}

    def __setstate__(self, state: dict[str, Any]) -> None:
        ResponseCache.__init__(self, state["path"], timeout_s=state["timeout_s"])

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    self.path, timeout=self.timeout_s, isolation_level=None, check_same_thread=False
                )
                conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.executescript(_SCHEMA)
            except (OSError, sqlite3.Error) as error:
                raise GenerationError(
                    f"cannot open the LLM response cache {self.path} ({error}): "
                    "make RLHF_ARGILLA_DATA_DIR a writable folder"
                ) from None
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get(self, key: str) -> CachedResponse | None:
        """The stored response for ``key``, or ``None`` if that call never finished."""
        with self._lock:
            row = (
                self._connection()
                .execute("SELECT text, usage FROM responses WHERE key = ?", (key,))
                .fetchone()
            )
        if row is None:
            return None
        return CachedResponse(text=row[0], usage=Usage(**json.loads(row[1])))

    def put(self, key: str, *, backend: str, model: str, text: str, usage: Usage, budget_id: str) -> None:
        """Store a finished call and book its cost on ``budget_id``, in one transaction."""
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO responses (key, backend, model, text, usage, created_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (key, backend, model, text, json.dumps(usage.to_dict()), time.time()),
                )
                conn.execute(
                    "INSERT INTO spend (budget_id, key, cost_usd, created_at) VALUES (?,?,?,?)",
                    (budget_id, key, usage.cost_usd, time.time()),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def spent_usd(self, budget_id: str) -> float:
        """Total cost of the new calls booked on ``budget_id`` (cache hits cost nothing)."""
        with self._lock:
            row = (
                self._connection()
                .execute("SELECT COALESCE(SUM(cost_usd), 0) FROM spend WHERE budget_id = ?", (budget_id,))
                .fetchone()
            )
        return float(row[0])

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection().execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
