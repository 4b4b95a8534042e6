"""push and pull report through the one progress protocol (``schema.progress``), against the real server."""

from __future__ import annotations

import pytest

from rlhf_argilla.annotation.pull_read import read_annotations
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = pytest.mark.integration


def test_push_and_pull_count_up_to_the_total(argilla_client, argilla_target, unique_name, tmp_path):
    import argilla as rg

    workspace = rg.Workspace(name=unique_name, client=argilla_client).create()
    pushed: list[tuple[int, int | None]] = []
    pulled: list[tuple[int, int | None]] = []
    try:
        folder = write_pairs(tmp_path / "pairs", make_pairs(11, seed=8))
        push_file(
            argilla_client,
            folder,
            dataset="prefs",
            workspace=unique_name,
            batch_size=4,
            on_progress=lambda done, total, note=None: pushed.append((done, total)),
        )
        with ArgillaRest(argilla_target) as rest:
            found = rest.require_dataset("prefs", unique_name)
            read_annotations(
                rest, found["id"], {}, lambda done, total, note=None: pulled.append((done, total))
            )
    finally:
        for dataset in list(workspace.datasets):
            dataset.delete()
        workspace.delete()

    assert pushed == [(0, 11), (4, 11), (8, 11), (11, 11)]  # after validation, then after each batch of 4
    assert pulled and pulled[-1] == (11, 11) and all(total == 11 for _, total in pulled)
