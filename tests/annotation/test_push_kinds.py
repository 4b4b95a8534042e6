"""Integration: pair_kind and predicted_margin are hidden Argilla metadata, read back and pulled."""

from __future__ import annotations

import uuid

import httpx
import pandas as pd
import pytest

from rlhf_argilla.annotation.kind_metadata import META_PAIR_KIND, META_PREDICTED_MARGIN
from rlhf_argilla.annotation.pull import pull
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.annotation.simulate import simulate
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from rlhf_argilla.schema import AGGREGATED_FILE
from tests.annotation.pairs_factory import make_pairs, write_pairs
from tests.annotation.raw_rest import raw_records

pytestmark = pytest.mark.integration


def _kinded(n: int):
    """Factory pairs, every third one close, the others contrasts (as `generate pairs` records them)."""
    pairs = make_pairs(n, seed=3)
    return [
        pair.model_copy(update={"pair_kind": "close" if i % 3 == 0 else "contrast"})
        for i, pair in enumerate(pairs)
    ]


def _properties(target, dataset_id: str, headers: dict[str, str]) -> dict[str, dict]:
    """The dataset's metadata properties as the user behind ``headers`` gets them."""
    answer = httpx.get(
        f"{target.url}/api/v1/me/datasets/{dataset_id}/metadata-properties", headers=headers, timeout=60
    )
    answer.raise_for_status()
    return {item["name"]: item for item in answer.json()["items"]}


def test_kind_is_hidden_metadata_read_back_and_carried_by_pull(
    argilla_client, argilla_settings, argilla_target, tmp_path
):
    import argilla as rg

    name = f"t-kinds-{uuid.uuid4().hex[:8]}"
    workspace = rg.Workspace(name=name, client=argilla_client).create()
    annotator = None
    try:
        pairs = _kinded(12)
        push_file(argilla_client, write_pairs(tmp_path, pairs), dataset=name, workspace=name)
        dataset = argilla_client.datasets(name=name, workspace=name)

        owner_view = _properties(
            argilla_target, str(dataset.id), {"X-Argilla-Api-Key": argilla_target.api_key}
        )
        kind = owner_view[META_PAIR_KIND]
        assert kind["settings"]["type"] == "terms" and kind["settings"]["values"] == ["contrast", "close"]
        assert kind["visible_for_annotators"] is False
        margin = owner_view[META_PREDICTED_MARGIN]
        assert margin["settings"]["type"] == "float" and margin["visible_for_annotators"] is False

        records, _ = raw_records(argilla_target, str(dataset.id))
        stored = {item["external_id"]: item["metadata"] for item in records}
        for pair in pairs:
            assert stored[pair.pair_id][META_PAIR_KIND] == pair.pair_kind
            assert stored[pair.pair_id][META_PREDICTED_MARGIN] == pytest.approx(
                pair.selection.predicted_margin
            )

        annotator = rg.User(
            username=f"ann-{uuid.uuid4().hex[:8]}",
            password="kinds-pass-1234",
            role="annotator",
            client=argilla_client,
        ).create()
        workspace.add_user(annotator)
        token = httpx.post(  # log in as the annotator, as the UI does
            f"{argilla_target.url}/api/v1/token",
            data={"username": annotator.username, "password": "kinds-pass-1234"},
            timeout=60,
        ).json()["access_token"]
        annotator_view = _properties(argilla_target, str(dataset.id), {"Authorization": f"Bearer {token}"})
        assert META_PAIR_KIND not in annotator_view and META_PREDICTED_MARGIN not in annotator_view
        assert "subtopic" in annotator_view  # the annotator does see the visible metadata
        shown = httpx.post(  # the records as the annotator's UI loads them: no hidden value reaches it
            f"{argilla_target.url}/api/v1/me/datasets/{dataset.id}/records/search",
            headers={"Authorization": f"Bearer {token}"},
            json={"query": {}},
            params={"limit": 50},
            timeout=60,
        ).json()["items"]
        assert len(shown) == len(pairs)
        for item in shown:
            assert {"subtopic", "persona"} <= set(item["record"]["metadata"])
            assert not {META_PAIR_KIND, META_PREDICTED_MARGIN} & set(item["record"]["metadata"])

        settings = argilla_settings.model_copy(update={"workspace": name})
        simulate(settings, name, SimulationConfig(annotators=2, seed=4))
        pull(settings, name, tmp_path / "pull")
        aggregated = pd.read_parquet(tmp_path / "pull" / AGGREGATED_FILE).set_index("pair_id")
        for pair in pairs:
            if pair.pair_id in aggregated.index:
                row = aggregated.loc[pair.pair_id]
                assert row["pair_kind"] == pair.pair_kind
                assert row["predicted_margin"] == pytest.approx(pair.selection.predicted_margin)
        assert set(aggregated["pair_kind"]) == {"close", "contrast"}
    finally:
        for item in list(workspace.datasets):
            item.delete()
        if annotator is not None:
            annotator.delete()
        workspace.delete()


def test_a_dataset_created_before_kinds_gets_the_properties_and_the_values_on_push(
    argilla_client, argilla_target, tmp_path
):
    import argilla as rg

    from rlhf_argilla.annotation import settings as names

    name = f"t-kinds-old-{uuid.uuid4().hex[:8]}"
    workspace = rg.Workspace(name=name, client=argilla_client).create()
    try:
        old = names.build_settings(argilla_client)
        old.metadata = [m for m in old.metadata if m.name not in (META_PAIR_KIND, META_PREDICTED_MARGIN)]
        rg.Dataset(name=name, workspace=workspace, settings=old, client=argilla_client).create()
        pairs = _kinded(6)
        push_file(argilla_client, write_pairs(tmp_path, pairs), dataset=name, workspace=name)
        dataset = argilla_client.datasets(name=name, workspace=name)
        headers = {"X-Argilla-Api-Key": argilla_target.api_key}
        assert {META_PAIR_KIND, META_PREDICTED_MARGIN} <= set(
            _properties(argilla_target, str(dataset.id), headers)
        )
        records, _ = raw_records(argilla_target, str(dataset.id))
        assert {item["external_id"]: item["metadata"][META_PAIR_KIND] for item in records} == {
            pair.pair_id: pair.pair_kind for pair in pairs
        }
    finally:
        for item in list(workspace.datasets):
            item.delete()
        workspace.delete()
