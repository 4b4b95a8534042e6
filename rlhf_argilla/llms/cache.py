"""Persistent response cache and spend ledger shared by every backend and step process.

One sqlite file (WAL, busy timeout) under ``settings.data_dir/cache``: every finished call is
written at once, so a rerun makes no new call and an interrupted run resumes where it stopped.
The spend ledger sums the cost of new calls per budget id, across the processes of a pipeline.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from rlhf_argilla.llms.sqlite_store import SqliteStore
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


class ResponseCache(SqliteStore):
    """sqlite-backed store of finished calls plus the spend ledger; safe across processes."""

    SCHEMA = _SCHEMA
    WHAT = "LLM response cache"

    def get(self, key: str) -> CachedResponse | None:
        """The stored response for ``key``, or ``None`` if that call never finished."""
        rows = self._run("SELECT text, usage FROM responses WHERE key = ?", (key,))
        if not rows:
            return None
        return CachedResponse(text=rows[0][0], usage=Usage(**json.loads(rows[0][1])))

    def put(self, key: str, *, backend: str, model: str, text: str, usage: Usage, budget_id: str) -> None:
        """Store a finished call and book its cost on ``budget_id``, in one transaction."""
        now = time.time()
        self._transaction(
            [
                (
                    "INSERT OR REPLACE INTO responses (key, backend, model, text, usage, created_at)"
                    " VALUES (?,?,?,?,?,?)",
                    [(key, backend, model, text, json.dumps(usage.to_dict()), now)],
                ),
                (
                    "INSERT INTO spend (budget_id, key, cost_usd, created_at) VALUES (?,?,?,?)",
                    [(budget_id, key, usage.cost_usd, now)],
                ),
            ]
        )

    def spent_usd(self, budget_id: str) -> float:
        """Total cost of the new calls booked on ``budget_id`` (cache hits cost nothing)."""
        return float(
            self._run("SELECT COALESCE(SUM(cost_usd), 0) FROM spend WHERE budget_id = ?", (budget_id,))[0][0]
        )

    def __len__(self) -> int:
        return int(self._run("SELECT COUNT(*) FROM responses")[0][0])
