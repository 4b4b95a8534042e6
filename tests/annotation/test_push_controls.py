"""push --controls on the real server: hidden control metadata, idempotent re-push, never in a built split."""

from __future__ import annotations

import json

import httpx
import pandas as pd
import pytest

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.controls import ControlPlan, select_controls
from rlhf_argilla.annotation.pull import pull
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.annotation.simulate import _known_side, ensure_simulated_users, simulate
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from rlhf_argilla.dataset.build import build
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs, write_pairs
from tests.annotation.raw_rest import raw_records

pytestmark = pytest.mark.integration
N_PAIRS, N_CONTROLS = 40, 6


def test_controls_are_hidden_stable_and_never_built(
    argilla_client, argilla_settings, argilla_target, workspace, tmp_path
):
    pairs = make_pairs(N_PAIRS, seed=21)
    folder = write_pairs(tmp_path / "pairs", pairs)
    plan = ControlPlan(count=N_CONTROLS, seed=2)
    planned = {c.pair.pair_id: c.mark for c in select_controls(pairs, N_PAIRS, plan)}
    first = push_file(
        argilla_client,
        folder,
        dataset="ctl",
        workspace=workspace.name,
        annotators_per_record=2,
        controls=plan,
    )
    assert (first.created, first.controls) == (N_PAIRS + N_CONTROLS, N_CONTROLS)
    again = push_file(argilla_client, folder, dataset="ctl", workspace=workspace.name, controls=plan)
    assert (again.created, again.updated, again.unchanged) == (0, 0, N_PAIRS + N_CONTROLS)

    dataset_id = str(argilla_client.datasets(name="ctl", workspace=workspace.name).id)
    records, _users = raw_records(argilla_target, dataset_id)
    assert len(records) == N_PAIRS + N_CONTROLS  # nothing duplicated
    stored = {r["external_id"]: r["metadata"] for r in records if r["metadata"].get(names.META_CONTROL) == 1}
    assert set(stored) == set(planned)
    for pair_id, metadata in stored.items():
        assert metadata[names.META_CONTROL_EXPECTED] == planned[pair_id].expected
        assert metadata[names.META_CONTROL_SOURCE] == planned[pair_id].source
        # what simulate reads as the known answer: the displayed side of the right response
        right_side = "a" if metadata["a_is"] == planned[pair_id].expected else "b"
        assert _known_side(metadata) == right_side
    assert {m[names.META_CONTROL_SOURCE] for m in stored.values()} == {"flaw-edit", "gold"}
    dataset = argilla_client.datasets(name="ctl", workspace=workspace.name)
    hidden = {
        p.name: p.visible_for_annotators
        for p in dataset.settings.metadata
        if p.name in names.CONTROL_METADATA
    }
    assert hidden == dict.fromkeys(names.CONTROL_METADATA, False)

    # an annotator reading the records gets no trace of the control metadata
    with ArgillaRest(argilla_target) as owner:
        key = next(iter(ensure_simulated_users(owner, str(workspace.id), 1).values()))
    seen = httpx.post(
        f"{argilla_target.url}/api/v1/me/datasets/{dataset_id}/records/search",
        headers={"X-Argilla-Api-Key": key},
        params={"limit": 100},
        json={},
        timeout=60,
    )
    assert seen.status_code == 200, seen.text
    items = [item["record"] for item in seen.json()["items"]]
    assert len(items) == N_PAIRS + N_CONTROLS
    assert not any(set(item.get("metadata") or {}) & set(names.CONTROL_METADATA) for item in items)

    settings = argilla_settings.model_copy(update={"workspace": workspace.name})
    simulate(settings, "ctl", SimulationConfig(annotators=2, seed=3, profiles=("careful", "careful")))
    out = tmp_path / "pull"
    pull(settings, "ctl", out)
    agreement = json.loads((out / "agreement.json").read_text())
    assert agreement["reliability"]["control_records"] == N_CONTROLS
    # control accuracy per annotator = a recomputation from raw REST with the pushed metadata's answers
    records, users = raw_records(argilla_target, dataset_id)
    right: dict[str, list[bool]] = {}
    for record in records:
        metadata = record["metadata"]
        if metadata.get(names.META_CONTROL) != 1:
            continue
        for response in record["responses"]:
            ranking = (response.get("values") or {}).get("overall", {}).get("value")
            if response["status"] != "submitted" or not ranking:
                continue
            rank = {item["value"]: item["rank"] for item in ranking}
            first = min(rank, key=rank.get) if rank["response_a"] != rank["response_b"] else None
            shown_right = (
                "response_a" if metadata["a_is"] == metadata[names.META_CONTROL_EXPECTED] else "response_b"
            )
            right.setdefault(users[response["user_id"]], []).append(first == shown_right)
    rows = {row["annotator"]: row for row in agreement["reliability"]["per_annotator"]}
    assert set(rows) == set(right)
    for who, answers in right.items():
        assert rows[who]["controls"] == len(answers)
        assert rows[who]["control_accuracy"] == pytest.approx(sum(answers) / len(answers), abs=1e-6)
    aggregated = pd.read_parquet(out / "aggregated.parquet")
    assert set(aggregated.loc[aggregated["control"] == 1, "pair_id"]) == set(planned)

    built = build(out, tmp_path / "built", ties="keep").out
    in_splits: set[str] = set()
    for path in sorted(built.rglob("*.parquet")):
        in_splits |= set(pd.read_parquet(path, columns=["pair_id"])["pair_id"])
    assert in_splits and not in_splits & set(planned)
    card = (built / "README.md").read_text(encoding="utf-8")
    assert f"of {N_CONTROLS} pushed" in card and "## Control items" in card
    print(card[card.index("## Control items") :].split("\n## ")[0])
