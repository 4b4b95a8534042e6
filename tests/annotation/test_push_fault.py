"""Fault test: the Argilla server is killed in the middle of a push; after a restart, rerunning the
push ends with exactly one record per pair. Runs on its own throwaway stack (ports 6930-6932)."""

from __future__ import annotations

import os
import shutil
import signal
import threading

import pytest

from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import ArgillaRest, ArgillaTarget
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]

FAULT_PORTS = {"stack_port": 6930, "stack_search_port": 6931, "stack_redis_port": 6932, "stack_workers": 0}
PAIRS, BATCH, KILL_AFTER_BATCHES = 300, 30, 3


@pytest.fixture
def own_stack(session_settings):
    """A fresh stack on the fault-test ports (sharing the installed server venv); stopped after."""
    from rlhf_argilla.server.stack import LocalStack

    settings = load_settings(data_dir=session_settings.data_dir, **FAULT_PORTS)
    stack = LocalStack(settings)
    stack.down()
    shutil.rmtree(stack.home, ignore_errors=True)
    stack.up()
    try:
        yield settings, stack
    finally:
        stack.down()


def stored_external_ids(stack) -> list[str]:
    target = ArgillaTarget(stack.url, stack.credentials().api_key, local=True)
    with ArgillaRest(target) as rest:
        dataset = rest.require_dataset("prefs", "fitness")
        return [
            item["external_id"] for items, _ in rest.record_pages(dataset["id"], include=()) for item in items
        ]


def test_push_killed_midway_then_rerun_ends_with_exact_count_and_no_duplicates(own_stack, tmp_path):
    from rlhf_argilla.gateway import connect

    settings, stack = own_stack
    pairs = make_pairs(PAIRS, seed=12)
    folder = write_pairs(tmp_path / "pairs", pairs)
    server_pid = stack.parts["server"].pid()
    batches = []

    def kill_during_next_batch(done: int, total: int | None, note: str | None = None) -> None:
        if done == 0:  # the first call, after validation: no batch yet
            return
        batches.append(done)
        if (
            len(batches) == KILL_AFTER_BATCHES
        ):  # SIGKILL the server's process group while a batch is in flight
            threading.Timer(0.3, os.killpg, (server_pid, signal.SIGKILL)).start()

    with pytest.raises(ArgillaError) as caught:
        push_file(
            connect(settings),
            folder,
            dataset="prefs",
            workspace="fitness",
            batch_size=BATCH,
            on_progress=kill_during_next_batch,
        )
    assert "rerun" in str(caught.value) and "\n" not in str(caught.value)

    stack.down()  # what a user does: `server down`, then `server up` (which reindexes from the database)
    stack.up()
    before = stored_external_ids(stack)
    assert KILL_AFTER_BATCHES * BATCH <= len(before) < PAIRS

    report = push_file(connect(settings), folder, dataset="prefs", workspace="fitness", batch_size=BATCH)
    assert report.total == PAIRS and report.unchanged >= KILL_AFTER_BATCHES * BATCH
    after = stored_external_ids(stack)
    assert len(after) == PAIRS and len(set(after)) == PAIRS
    assert set(after) == {pair.pair_id for pair in pairs}
