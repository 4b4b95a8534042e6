"""A push killed while Argilla creates the dataset (a draft with part of its settings) is completed by
the rerun; two first pushes at once end with one dataset and every record once (real server)."""

from __future__ import annotations

import threading

import pytest

from rlhf_argilla.annotation import push_repair
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import find_dataset
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = pytest.mark.integration

PAIRS = 40


def _kill_after_fields(monkeypatch):
    """The SDK creates fields, then questions, ... one request each, then publishes: die (as on SIGKILL
    or Ctrl-C, which the SDK's rollback does not catch) right after the fields."""
    from argilla.settings._resource import SettingsProperties

    create = SettingsProperties._create
    calls = []

    def killed(self):
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return create(self)

    monkeypatch.setattr(SettingsProperties, "_create", killed)


def test_rerun_completes_a_dataset_left_as_draft_by_a_killed_push(
    argilla_client, workspace, monkeypatch, tmp_path
):
    folder = write_pairs(tmp_path, make_pairs(PAIRS, seed=5))
    with monkeypatch.context() as killing:
        _kill_after_fields(killing)
        with pytest.raises(KeyboardInterrupt):
            push_file(argilla_client, folder, dataset="prefs", workspace=workspace.name)
    draft = find_dataset(argilla_client, "prefs", workspace.name)
    assert draft is not None and draft._model.status == "draft" and not draft.settings.questions

    monkeypatch.setattr(push_repair, "DRAFT_WAIT_S", 1.0)
    report = push_file(argilla_client, folder, dataset="prefs", workspace=workspace.name)

    dataset = find_dataset(argilla_client, "prefs", workspace.name)
    assert dataset._model.status == "ready"
    assert (report.created, report.updated, report.unchanged) == (PAIRS, 0, 0)
    assert len(list(dataset.records)) == PAIRS
    assert len(dataset.settings.questions) > 0 and len(dataset.settings.metadata) > 0
    again = push_file(argilla_client, folder, dataset="prefs", workspace=workspace.name)
    assert (again.created, again.unchanged) == (0, PAIRS)


def test_two_first_pushes_at_once_make_one_dataset_with_every_record_once(
    argilla_settings, argilla_client, unique_name, tmp_path
):
    import argilla as rg

    from rlhf_argilla.gateway import connect

    folder = write_pairs(tmp_path, make_pairs(PAIRS, seed=6))
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def push() -> None:
        client = connect(argilla_settings)
        start.wait()
        try:
            outcomes.append(push_file(client, folder, dataset="prefs", workspace=unique_name))
        except Exception as error:  # noqa: BLE001 - recorded and asserted below
            outcomes.append(error)

    threads = [threading.Thread(target=push) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        # Both succeed, or the one that lost a race says so in one line and to rerun (the local server's
        # sqlite may drop a connection under two concurrent creates): never "a different schema".
        failed = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
        assert len(outcomes) == 2 and len(failed) <= 1, outcomes
        for error in failed:
            assert isinstance(error, ArgillaError) and "rerun" in str(error), outcomes
            assert "schema" not in str(error) and "\n" not in str(error), outcomes
        rerun = push_file(argilla_client, folder, dataset="prefs", workspace=unique_name)
        assert (rerun.created, rerun.updated, rerun.unchanged) == (0, 0, PAIRS)
        dataset = find_dataset(argilla_client, "prefs", unique_name)
        assert dataset._model.status == "ready"
        assert len(list(dataset.records)) == PAIRS
    finally:
        created = argilla_client.workspaces(name=unique_name)
        if isinstance(created, rg.Workspace):
            for dataset in list(created.datasets):
                dataset.delete()
            created.delete()
