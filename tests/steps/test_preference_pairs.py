"""PreferencePairsToArgilla inside a real distilabel Pipeline, against the real local server."""

from __future__ import annotations

import pytest

from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.annotation.vectors import with_vectors
from tests.annotation.pairs_factory import make_pairs
from tests.annotation.test_push import stored_records

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def run_pipeline(tmp_path, target, workspace: str, rows: list[dict], name: str) -> None:
    from distilabel.pipeline import Pipeline
    from distilabel.steps import LoadDataFromDicts

    from rlhf_argilla.steps import PreferencePairsToArgilla

    with Pipeline(name=name, cache_dir=tmp_path / "distilabel-cache") as pipeline:
        load = LoadDataFromDicts(data=rows, batch_size=4)
        push = PreferencePairsToArgilla(
            dataset_name="prefs",
            dataset_workspace=workspace,
            api_url=target.url,
            api_key=target.api_key,
            annotators_per_record=3,
            input_batch_size=4,
        )
        load >> push
    distiset = pipeline.run(use_cache=False)
    assert distiset is not None


def test_step_pushes_inside_a_pipeline_and_a_rerun_does_not_duplicate(
    argilla_client, argilla_target, workspace, tmp_path
):
    pairs = make_pairs(10, seed=8)
    rows = [{"pair": pair.model_dump_json()} for pair in pairs]
    run_pipeline(tmp_path, argilla_target, workspace.name, rows, "push-pairs-a")
    run_pipeline(tmp_path, argilla_target, workspace.name, rows, "push-pairs-b")

    dataset = argilla_client.datasets(name="prefs", workspace=workspace.name)
    assert dataset.settings.distribution.min_submitted == 3
    stored = {item["external_id"]: item for item in stored_records(argilla_target, dataset)}
    assert len(stored) == 10
    for pair in pairs:
        blind = bool(stored[pair.pair_id]["metadata"].get("blind"))
        expected = with_vectors([pair_to_record(pair, blind=blind)])[0]  # as push_pairs builds it
        assert stored[pair.pair_id]["metadata"] == expected["metadata"]


def test_step_accepts_flat_pair_columns_and_passes_rows_through(argilla_client, argilla_target, workspace):
    from rlhf_argilla.steps import PreferencePairsToArgilla

    pairs = make_pairs(3, seed=9)
    step = PreferencePairsToArgilla(
        dataset_name="prefs",
        dataset_workspace=workspace.name,
        api_url=argilla_target.url,
        api_key=argilla_target.api_key,
        pair_column=None,
    )
    step.load()
    rows = [pair.model_dump() | {"other": n} for n, pair in enumerate(pairs)]
    assert list(step.process(rows)) == [rows]
    dataset = argilla_client.datasets(name="prefs", workspace=workspace.name)
    assert {item["external_id"] for item in stored_records(argilla_target, dataset)} == {
        p.pair_id for p in pairs
    }
