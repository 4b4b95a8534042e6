"""Workspaces and datasets through the SDK, found by name with one not-found contract.

``find_*`` return ``None`` when something is missing (without the SDK's warnings); ``require_dataset``
raises the one not-found ``ArgillaError`` (``gateway._errors.missing_dataset``), as
``ArgillaRest.require_dataset`` does for raw REST. Server failures leave every function here as
``ArgillaError``.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from rlhf_argilla.gateway._errors import argilla_errors, missing_dataset

if TYPE_CHECKING:
    import argilla as rg

__all__ = ["find_workspace", "ensure_workspace", "find_dataset", "require_dataset", "name_taken"]


@argilla_errors("looking up a workspace")
def find_workspace(client: rg.Argilla, name: str) -> rg.Workspace | None:
    """The workspace called ``name``, or ``None``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return client.workspaces(name=name)


@argilla_errors("creating a workspace")
def ensure_workspace(client: rg.Argilla, name: str) -> rg.Workspace:
    """The workspace called ``name``, created when missing (needs an owner's API key)."""
    import argilla as rg

    try:
        return find_workspace(client, name) or rg.Workspace(name=name, client=client).create()
    except Exception as error:
        found = find_workspace(client, name) if name_taken(error) else None  # another push was first
        if found is None:
            raise
        return found


def name_taken(error: BaseException) -> bool:
    """Whether a create failed because the name exists: 409, or the 500 Argilla answers when two creates
    race past its check into the database's unique constraint."""
    from argilla._exceptions import ArgillaAPIError, ConflictError

    text = str(error)
    return isinstance(error, ConflictError) or (
        isinstance(error, ArgillaAPIError) and ("UNIQUE constraint" in text or "UniqueViolation" in text)
    )


@argilla_errors("looking up a dataset")
def find_dataset(client: rg.Argilla, name: str, workspace: str) -> rg.Dataset | None:
    """The dataset ``workspace/name``, or ``None`` (also when the workspace is missing)."""
    found = find_workspace(client, workspace)
    if found is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return client.datasets(name=name, workspace=found)


@argilla_errors("looking up a dataset")
def require_dataset(client: rg.Argilla, name: str, workspace: str) -> rg.Dataset:
    """The dataset ``workspace/name``, or an ``ArgillaError`` naming what exists."""
    found = find_dataset(client, name, workspace)
    if found is not None:
        return found
    url = str(client.api_url)
    space = find_workspace(client, workspace)
    if space is None:
        raise missing_dataset(name, workspace, url, [item.name for item in client.workspaces], None)
    raise missing_dataset(name, workspace, url, [], [item.name for item in space.datasets])
