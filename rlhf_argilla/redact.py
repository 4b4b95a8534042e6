"""Secrets never leave the process: every message, log line and traceback we print or write goes through
``redact``.

A secret is known three ways: the value of an environment variable whose name says it is one
(``*_KEY``, ``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD``), a value registered at runtime (the local stack's
owner credentials, settings read from a ``.env`` file), or the shape of a key we issue or use
(``rlhf.…`` Argilla keys, ``sk-ant-…`` Anthropic keys, ``hf_…`` Hub tokens).
"""

from __future__ import annotations

import logging
import os
import re

__all__ = ["redact", "register_secret", "install_log_redaction", "MASK"]

MASK = "***"
_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD)$", re.IGNORECASE)
_SECRET_SHAPES = re.compile(
    r"rlhf\.[A-Za-z0-9_\-]{6,}"  # Argilla API keys of the local stack
    r"|sk-ant-[A-Za-z0-9_\-]{6,}"  # Anthropic
    r"|\bhf_[A-Za-z0-9]{10,}"  # Hugging Face
    r"|(?<=X-Argilla-Api-Key': ')[^']+"
    r"|(?<=Authorization': 'Bearer )[^']+",
    re.IGNORECASE,
)
_MIN_LENGTH = 6  # shorter values (e.g. "1") would mask ordinary words
_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever it appears from now on (no-op for empty or very short values)."""
    if value and len(value) >= _MIN_LENGTH:
        _registered.add(value)


def _known_values() -> list[str]:
    from_env = (
        value for name, value in os.environ.items() if _SECRET_NAME.search(name) and len(value) >= _MIN_LENGTH
    )
    return sorted({*_registered, *from_env}, key=len, reverse=True)  # longest first: no partial leftovers


def redact(text: str) -> str:
    """``text`` with every known secret replaced by ``***``.

    Example:
        >>> register_secret("hunter2-secret")
        >>> redact("login with hunter2-secret or rlhf.AbCdEf123456")
        'login with *** or ***'
    """
    for value in _known_values():
        text = text.replace(value, MASK)
    return _SECRET_SHAPES.sub(MASK, text)


class _RedactingRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 - logging API
        return redact(super().getMessage())


def install_log_redaction() -> None:
    """Every log record created in this process (and forked workers) is redacted when formatted."""
    logging.setLogRecordFactory(_RedactingRecord)
