"""Find or create workspaces and datasets by name, without the SDK's "not found" warnings."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argilla as rg

__all__ = ["find_workspace", "ensure_workspace", "find_dataset", "name_taken"]


def find_workspace(client: rg.Argilla, name: str) -> rg.Workspace | None:
    """The workspace called ``name``, or ``None``."""
    with warnings.catch_warnings():  # the SDK warns, then returns None, when something is missing
        warnings.simplefilter("ignore")
        return client.workspaces(name=name)


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


def name_taken(error: Exception) -> bool:
    """Whether a create failed because the name exists: 409, or the 500 Argilla answers when two creates
    race past its check into the database's unique constraint."""
    from argilla._exceptions import ArgillaAPIError, ConflictError

    text = str(error)
    return isinstance(error, ConflictError) or (
        isinstance(error, ArgillaAPIError) and ("UNIQUE constraint" in text or "UniqueViolation" in text)
    )


def find_dataset(client: rg.Argilla, name: str, workspace: str) -> rg.Dataset | None:
    """The dataset ``workspace/name``, or ``None`` (also when the workspace is missing)."""
    found = find_workspace(client, workspace)
    if found is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return client.datasets(name=name, workspace=found)
