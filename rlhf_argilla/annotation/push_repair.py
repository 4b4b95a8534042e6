"""A dataset a killed push left half-created is completed on rerun; concurrent first pushes agree.

Argilla creates a dataset as a ``draft``, adds its fields, questions and metadata one request at a time,
then publishes it. A push killed in between leaves a draft with part of the settings; a draft accepts no
records, so it holds nothing of the user's. A push knows the full settings: a draft that stays a draft
while we wait (another push may be creating it right now) is deleted and created again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import find_dataset, name_taken

if TYPE_CHECKING:
    import argilla as rg

__all__ = ["DRAFT_WAIT_S", "settled_dataset", "create_or_join"]

#: How long a draft may stay a draft before it counts as left behind by a killed push (creating one
#: takes about a second).
DRAFT_WAIT_S = 15.0
_POLL_S = 0.5


def _is_draft(dataset: rg.Dataset) -> bool:
    return dataset._model.status != "ready"


def settled_dataset(client: rg.Argilla, name: str, workspace: str) -> rg.Dataset | None:
    """The published dataset ``workspace/name``, or ``None`` when there is none (a left-behind draft is
    deleted: it holds no records)."""
    deadline = time.monotonic() + DRAFT_WAIT_S
    while (dataset := find_dataset(client, name, workspace)) is not None and _is_draft(dataset):
        if time.monotonic() >= deadline:
            dataset.delete()
            return None
        time.sleep(_POLL_S)
    return dataset


def create_or_join(
    client: rg.Argilla, name: str, workspace: rg.Workspace, settings: rg.Settings
) -> rg.Dataset:
    """Create ``workspace/name`` with ``settings``; when another push created it first, its dataset once
    published (the caller checks its schema as for any existing dataset)."""
    import argilla as rg

    try:
        return rg.Dataset(name=name, workspace=workspace, settings=settings, client=client).create()
    except Exception as error:
        if not name_taken(error):
            raise
    deadline = time.monotonic() + DRAFT_WAIT_S
    while (dataset := find_dataset(client, name, workspace.name)) is not None and _is_draft(dataset):
        if time.monotonic() >= deadline:
            break
        time.sleep(_POLL_S)
    if dataset is None or _is_draft(dataset):
        raise ArgillaError(
            f"another push is creating dataset {workspace.name}/{name} and has not finished it: "
            "rerun the same command when it is done"
        )
    return dataset
