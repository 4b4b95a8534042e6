"""One exception hierarchy and the error boundary every command runs inside.

User errors (``RlhfArgillaError``, the third-party failures ``explain`` recognises: unwritable folders,
binary input; and the Argilla failures ``rlhf_argilla.gateway.describe`` words) print one line saying
what to do and exit 1. Anything else prints one line plus the path of a log holding the traceback (``--verbose`` prints it too), exit 1.
Ctrl-C exits 130. Everything printed or logged goes through ``redact``; no traceback ever shows locals.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

from rlhf_argilla.redact import redact

__all__ = [
    "RlhfArgillaError",
    "ConfigError",
    "StackError",
    "ArgillaError",
    "InputError",
    "GenerationError",
    "AnalysisError",
    "BuildError",
    "PublishError",
    "first_problem",
    "explain",
    "write_log",
    "disarm_rich_tracebacks",
    "INTERRUPTED_EXIT",
]

INTERRUPTED_EXIT = 130


def first_problem(error, default_location: str) -> str:
    """``"where: what"`` of the first problem in a pydantic ``ValidationError``, for one-line messages.

    Example:
        >>> from pydantic import BaseModel, ValidationError
        >>> class Port(BaseModel):
        ...     port: int
        >>> try:
        ...     Port(port="x")
        ... except ValidationError as error:
        ...     print(first_problem(error, "settings"))
        port: Input should be a valid integer, unable to parse string as an integer
    """
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or default_location
    return f"{where}: {first['msg']}"


class RlhfArgillaError(Exception):
    """Base class of every error meant for the user: the message says what to do."""


class ConfigError(RlhfArgillaError):
    """Settings are missing or invalid."""


class StackError(RlhfArgillaError):
    """The local Argilla stack could not be started, reached or stopped."""


class ArgillaError(RlhfArgillaError):
    """The Argilla server refused or failed a request (push, pull, users)."""


class InputError(RlhfArgillaError):
    """A local input is missing or invalid (a file, a folder, a value out of range); nothing was sent.

    Distinct from :class:`ArgillaError` (the server's answer): a library caller can tell "fix your
    input" from "the server failed" by type. Its messages name the value, not a CLI flag; the CLI
    adds the flag where it checks its own options.
    """


class GenerationError(RlhfArgillaError):
    """Prompt or response generation failed (backend, model, budget, input)."""


class AnalysisError(RlhfArgillaError):
    """HH-RLHF input could not be read or analysed."""


class BuildError(RlhfArgillaError):
    """The dataset could not be built from the pulled annotations."""


class PublishError(RlhfArgillaError):
    """Publishing to the Hugging Face Hub failed."""


def explain(error: BaseException) -> str | None:
    """A one-line message with what to do for third-party failures that are the user's to fix, else None.

    Argilla's failures (unreachable, refused) are the gateway's to word (``gateway.describe``).

    Example:
        >>> explain(PermissionError(13, "Permission denied", "/ro/out"))
        'cannot write /ro/out (Permission denied): choose a folder you can write to'
        >>> explain(ZeroDivisionError()) is None
        True
    """
    if isinstance(error, RlhfArgillaError):
        return str(error)
    if isinstance(error, UnicodeDecodeError):
        return "an input file is not UTF-8 text (binary or another encoding): pass the file the tool wrote"
    if isinstance(error, PermissionError) or (isinstance(error, OSError) and error.errno in (30, 28, 122)):
        where = error.filename or "a file"
        return f"cannot write {where} ({error.strerror}): choose a folder you can write to"
    if isinstance(error.__cause__, BaseException) and explain(error.__cause__):
        return explain(error.__cause__)
    return None


def _log_dir() -> Path:
    configured = os.environ.get("RLHF_ARGILLA_LOG_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_log_dir

    return Path(user_log_dir("rlhf-argilla", appauthor=False))


def write_log(error: BaseException) -> Path | None:
    """Write the redacted traceback (no locals) to a 0600 log file; its path, or None if it can't be written."""
    text = redact("".join(traceback.format_exception(error)))
    try:
        folder = _log_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(redact(" ".join(sys.argv)) + "\n" + text)
        return path
    except OSError:
        return None


def disarm_rich_tracebacks() -> None:
    """distilabel calls ``rich.traceback.install(show_locals=True)`` on import: make every such install
    (before or after this call) hide locals, and put Python's own hook back."""
    try:
        import rich.traceback as rich_traceback
    except ImportError:  # pragma: no cover - rich is a dependency
        return
    if getattr(rich_traceback.install, "_rlhf_disarmed", False):
        return
    original = rich_traceback.install

    def install(*args, **kwargs):
        kwargs["show_locals"] = False
        return original(*args, **kwargs)

    install._rlhf_disarmed = True  # type: ignore[attr-defined]
    rich_traceback.install = install
    sys.excepthook = sys.__excepthook__
