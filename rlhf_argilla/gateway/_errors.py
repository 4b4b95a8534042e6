"""One translation of Argilla failures into :class:`~rlhf_argilla.errors.ArgillaError`.

Whatever reaches Argilla (the SDK or raw REST) fails in one of a few ways: the server cannot be
reached, it refuses the key, it refuses the request (4xx), or it breaks (5xx). ``describe`` turns
each into one line saying what happened and what to do; ``argilla_errors`` wraps a block or a
function so such failures leave it as ``ArgillaError`` (as the SDK's own ``api_error_handler`` maps
HTTP statuses to typed errors, but ending at our error type). Messages name settings and
environment variables, never a command-line flag, and pass through ``redact``: no API key in them.
Anything that is not an Argilla failure (a bug) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from rlhf_argilla.errors import ArgillaError, RlhfArgillaError
from rlhf_argilla.redact import redact

__all__ = ["argilla_errors", "describe", "missing_dataset", "DETAIL_CHARS"]

#: how much of the server's explanation a message keeps
DETAIL_CHARS = 300
_REFUSED_KEY = {"UnauthorizedError", "ArgillaCredentialsError"}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:DETAIL_CHARS]


def _where(error: BaseException, url: str | None) -> str:
    """``Argilla at URL``: the URL given, else the one the failed request went to."""
    seen: BaseException | None = error
    while url is None and seen is not None:  # the SDK raises its errors while handling httpx's
        try:
            request = seen.request  # type: ignore[attr-defined]  # httpx errors; raises when unset
            url = f"{request.url.scheme}://{request.url.netloc.decode()}"
        except (AttributeError, RuntimeError):
            seen = seen.__cause__ or seen.__context__
    return f"Argilla at {url}" if url else "Argilla"


def _status(error: BaseException) -> tuple[int | None, str]:
    """The HTTP status of an SDK or httpx error, and the server's explanation."""
    response = getattr(error, "response", None)
    if response is not None and hasattr(response, "status_code"):
        return response.status_code, _one_line(getattr(response, "text", ""))
    status = getattr(error, "status_code", None)
    text = str(error)
    return status, _one_line(text.split("Details: ", 1)[1] if "Details: " in text else text)


def _is_argilla_failure(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    return module.startswith(("argilla", "httpx", "httpcore"))


def describe(error: BaseException, action: str | None = None, url: str | None = None) -> str | None:
    """One line for an Argilla failure (unreachable, refused, broken), else ``None``.

    Args:
        error: what the SDK or httpx raised (its ``__cause__`` chain is followed).
        action: what was being done, e.g. ``"pulling fitness/prefs"``.
        url: the server, when the error does not say.

    Example:
        >>> import httpx
        >>> request = httpx.Request("GET", "http://127.0.0.1:9/api/v1/me")
        >>> describe(httpx.ConnectError("refused", request=request))[:52]
        'cannot reach Argilla at http://127.0.0.1:9 (ConnectE'
        >>> describe(KeyError("bug")) is None
        True
    """
    name = type(error).__name__
    if not _is_argilla_failure(error):  # ours only when it says it was caused by one
        return describe(error.__cause__, action, url) if error.__cause__ is not None else None
    where = _where(error, url)
    doing = f"{action}: " if action else ""
    if isinstance(error, httpx.TransportError):  # refused, timed out, dropped mid-answer
        return redact(
            f"{doing}cannot reach {where} ({name}): check that the server runs (the local stack: "
            "`rlhf-argilla server up`) and that RLHF_ARGILLA_API_URL points at it"
        )
    status, detail = _status(error)
    if name in _REFUSED_KEY or status == 401:
        return redact(
            f"{doing}{where} refused the API key (HTTP 401): check RLHF_ARGILLA_API_KEY "
            "(My settings in the Argilla UI shows it)"
        )
    if status == 403:
        return redact(f"{doing}{where} refused it (HTTP 403): this needs an owner or admin API key")
    if status == 404:
        return redact(f"{doing}not found on {where} (HTTP 404: {detail})")
    if status is not None and status < 500:
        return redact(f"{doing}{where} refused it (HTTP {status}: {detail})")
    if status is not None:
        return redact(f"{doing}{where} failed (HTTP {status}: {detail}); check the server, then retry")
    cause = error.__cause__ or error.__context__
    inner = describe(cause, action, url) if cause is not None else None
    return inner or redact(f"{doing}{where} failed ({name}: {_one_line(str(error))})")


class _Translated(ArgillaError):
    """An ``ArgillaError`` worded here; ``retryable``: a rerun may succeed (unreachable, 5xx)."""

    def __init__(self, message: str, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


@contextmanager
def argilla_errors(
    action: str | None = None, *, url: str | None = None, retry: str | None = None, wrap_all: bool = False
) -> Iterator[None]:
    """Turn Argilla failures inside the block (or decorated function) into one-line ``ArgillaError``.

    Args:
        action: what the block does, the message's first words.
        url: the server, for messages where the error does not say.
        retry: appended to failures worth retrying (unreachable, 5xx), e.g. what a rerun keeps; also
            to such failures already worded by an inner block.
        wrap_all: also wrap errors that are not Argilla's (a block whose every failure is the server's).

    Our own errors pass through unchanged; so does anything else unless ``wrap_all``.
    """
    try:
        yield
    except _Translated as error:
        if retry and error.retryable and not str(error).endswith(retry):
            raise _Translated(f"{error}; {retry}", True) from error.__cause__
        raise
    except RlhfArgillaError:
        raise
    except Exception as error:
        message = describe(error, action, url)
        if message is None:
            if not wrap_all:
                raise
            message = redact(f"{action or 'an Argilla request'} failed: {_one_line(str(error))}")
        retryable = not _is_refusal(error)
        if retry and retryable:
            message = f"{message}; {retry}"
        raise _Translated(message, retryable) from error


def _is_refusal(error: BaseException) -> bool:
    """A 4xx answer or a refused key: a rerun gives the same answer."""
    while error is not None:
        status, _ = _status(error)
        if type(error).__name__ in _REFUSED_KEY or (status is not None and status < 500):
            return True
        error = error.__cause__  # type: ignore[assignment]
    return False


def missing_dataset(
    name: str, workspace: str, url: str, workspaces: list[str], datasets: list[str] | None
) -> ArgillaError:
    """The one not-found error for ``workspace/name``; ``datasets`` is None when the workspace is missing."""
    if datasets is None:
        return ArgillaError(
            f"no workspace {workspace!r} on {url} (existing: {', '.join(sorted(workspaces)) or 'none'}): "
            "push pairs into it first, or name an existing workspace"
        )
    return ArgillaError(
        f"no dataset {name!r} in workspace {workspace!r} (existing: {', '.join(sorted(datasets)) or 'none'}): "
        "push pairs first"
    )
