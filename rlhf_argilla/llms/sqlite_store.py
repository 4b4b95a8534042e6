"""One sqlite file shared by the processes of a pipeline: the base of the response cache and the batch ledger.

WAL journal and a busy timeout, so step processes and the parent write side by side; the connection
opens lazily and again after a fork, so a store can be pickled into distilabel's step processes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, ClassVar

from rlhf_argilla.errors import GenerationError

__all__ = ["SqliteStore"]


class SqliteStore:
    """Lazily opened, fork-safe sqlite connection with a schema; subclasses name what the file is.

    Example:
        >>> import tempfile
        >>> class Notes(SqliteStore):
        ...     SCHEMA = "CREATE TABLE IF NOT EXISTS notes (text TEXT);"
        >>> notes = Notes(Path(tempfile.mkdtemp()) / "notes.sqlite")
        >>> notes._transaction([("INSERT INTO notes VALUES (?)", [("a",), ("b",)])])
        >>> notes._run("SELECT COUNT(*) FROM notes")
        [(2,)]
        >>> notes.close()
    """

    SCHEMA: ClassVar[str] = ""
    #: What the file is, for the one-line error when it cannot be opened.
    WHAT: ClassVar[str] = "sqlite store"

    def __init__(self, path: Path | str, *, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "timeout_s": self.timeout_s}

    def __setstate__(self, state: dict[str, Any]) -> None:
        SqliteStore.__init__(self, state["path"], timeout_s=state["timeout_s"])

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    self.path, timeout=self.timeout_s, isolation_level=None, check_same_thread=False
                )
                conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.executescript(self.SCHEMA)
            except (OSError, sqlite3.Error) as error:
                raise GenerationError(
                    f"cannot open the {self.WHAT} {self.path} ({error}): make RLHF_ARGILLA_DATA_DIR a writable folder"
                ) from None
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db().execute(sql, args).fetchall()

    def _change(self, sql: str, args: tuple = ()) -> int:
        """Run one INSERT/UPDATE/DELETE; returns how many rows it changed."""
        with self._lock:
            return self._db().execute(sql, args).rowcount

    def _transaction(self, statements: list[tuple[str, list[tuple]]]) -> None:
        """Run ``(sql, rows)`` statements (``executemany``) in one immediate transaction."""
        with self._lock:
            conn = self._db()
            conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, rows in statements:
                    conn.executemany(sql, rows)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
