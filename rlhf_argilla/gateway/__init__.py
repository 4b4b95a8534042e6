"""The one way to Argilla: where it is, the SDK and raw REST calls, and how their failures read.

* ``_target``: :func:`resolve_target` (the configured deployment or the local stack) and :func:`connect`.
* ``_sdk``: workspaces and datasets by name (``find_*`` answer ``None``, ``require_dataset`` raises).
* ``_rest``: :class:`ArgillaRest`, the raw REST calls (ranking ties, answering as another user,
  fast record pages) and the one way to list users (:meth:`ArgillaRest.users`).
* ``_errors``: :func:`argilla_errors`, the decorator / context every call goes through: SDK
  exceptions, HTTP statuses and an unreachable server become one-line ``ArgillaError`` messages
  that name no command-line flag and never show an API key.
"""

from rlhf_argilla.gateway._errors import argilla_errors, describe, missing_dataset
from rlhf_argilla.gateway._rest import RECORDS_PAGE_SIZE, RESPONSES_BULK_SIZE, ArgillaRest, ArgillaUser
from rlhf_argilla.gateway._sdk import (
    ensure_workspace,
    find_dataset,
    find_workspace,
    name_taken,
    require_dataset,
)
from rlhf_argilla.gateway._target import ArgillaTarget, connect, resolve_target

__all__ = [
    "ArgillaTarget",
    "resolve_target",
    "connect",
    "ArgillaRest",
    "ArgillaUser",
    "RECORDS_PAGE_SIZE",
    "RESPONSES_BULK_SIZE",
    "find_workspace",
    "ensure_workspace",
    "find_dataset",
    "require_dataset",
    "name_taken",
    "argilla_errors",
    "describe",
    "missing_dataset",
]
