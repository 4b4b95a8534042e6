"""Annotator reliability on the real server: a planted crowd of 5 (one spammer, one position-biased)."""

from __future__ import annotations

import json
import random
import uuid

import httpx
import pytest

from rlhf_argilla.annotation.pull import pull
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.annotation.simulate import simulate
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from tests.annotation.pairs_factory import make_pairs, write_pairs
from tests.annotation.raw_rest import raw_records

CROWD = ("careful", "careful", "noisy", "spammer", "position-biased")
PLANTED = {"sim-annotator-4", "sim-annotator-5"}
N_PAIRS, N_CONTROLS, SEEDS = 100, 20, range(int(__import__("os").environ.get("RELIABILITY_SEEDS", "5")))


def _mark_controls(target, dataset_id: str, seed: int) -> dict[str, int]:
    """Mark N_CONTROLS of the pushed records as controls through the hidden control metadata that
    push declares (records whose judge direction is the known answer; `push --controls` itself, with
    new control pairs, is tested in test_push_controls.py)."""
    api, headers = f"{target.url}/api/v1", {"X-Argilla-Api-Key": target.api_key}
    records = httpx.get(
        f"{api}/datasets/{dataset_id}/records", headers=headers, timeout=60, params={"limit": 1000}
    ).json()["items"]
    rng, expected = random.Random(seed), {}
    suggested = httpx.get(
        f"{api}/datasets/{dataset_id}/records",
        headers=headers,
        timeout=60,
        params={"limit": 1000, "include": "suggestions"},
    ).json()["items"]
    names = questions(target, dataset_id)
    judged = {
        r["id"]: sum(
            (1 if _side(s, names) == "a" else -1) * s["value"]
            for s in r["suggestions"]
            if isinstance(s["value"], int)
        )
        for r in suggested
    }
    for record in rng.sample(records, N_CONTROLS):
        # like a flaw-edit control: the right response is the one the judge scored higher (A if equal)
        a_is = record["metadata"]["a_is"]
        expected[record["external_id"]] = a_is if judged[record["id"]] >= 0 else 3 - a_is
        metadata = {**record["metadata"], "control": 1, "control_expected": expected[record["external_id"]]}
        answer = httpx.patch(
            f"{api}/records/{record['id']}", headers=headers, timeout=60, json={"metadata": metadata}
        )
        assert answer.status_code == 200, answer.text
    return expected


def questions(target, dataset_id: str) -> dict[str, str]:
    headers = {"X-Argilla-Api-Key": target.api_key}
    items = httpx.get(
        f"{target.url}/api/v1/datasets/{dataset_id}/questions", headers=headers, timeout=60
    ).json()
    return {item["id"]: item["name"] for item in items["items"]}


def _side(suggestion, names) -> str:
    return names.get(suggestion["question_id"], "")[-1:]


def _recompute(records, users, expected):
    """Control accuracy and leave-one-out consensus agreement per annotator, from raw REST responses."""
    prefs: dict[str, dict[str, str]] = {}
    for record in records:
        a_is = record["metadata"]["a_is"]
        for response in record["responses"]:
            ranking = (response.get("values") or {}).get("overall", {}).get("value")
            if response["status"] != "submitted" or not ranking:
                continue
            rank = {item["value"]: item["rank"] for item in ranking}
            if rank["response_a"] == rank["response_b"]:
                label = "tie"
            else:
                shown = "response_a" if rank["response_a"] < rank["response_b"] else "response_b"
                label = str(a_is if shown == "response_a" else 3 - a_is)
            prefs.setdefault(record["external_id"], {})[users[response["user_id"]]] = label
    out: dict[str, dict[str, float | None]] = {}
    for name in sorted({who for votes in prefs.values() for who in votes}):
        right = [
            votes[name] == str(expected[pair])
            for pair, votes in prefs.items()
            if pair in expected and name in votes
        ]
        agree = []
        for votes in prefs.values():
            if name not in votes:
                continue
            others = [label for who, label in votes.items() if who != name]
            counts = {label: others.count(label) for label in set(others)}
            if counts:
                top = max(counts.values())
                winners = [label for label, n in counts.items() if n == top]
                if len(winners) == 1:
                    agree.append(votes[name] == winners[0])
        out[name] = {
            "control_accuracy": sum(right) / len(right) if right else None,
            "consensus_agreement": sum(agree) / len(agree) if agree else None,
        }
    return out


@pytest.mark.integration
def test_planted_spammer_and_position_bias_are_flagged_over_five_seeds(
    argilla_client, argilla_settings, argilla_target, tmp_path
):
    import argilla as rg
    import pandas as pd

    true_pos = false_pos = false_neg = 0
    ds_right = majority_right = controls_seen = 0
    for seed in SEEDS:
        name = f"t-rel-{uuid.uuid4().hex[:8]}"
        workspace = rg.Workspace(name=name, client=argilla_client).create()
        settings = argilla_settings.model_copy(update={"workspace": name})
        try:
            pairs = write_pairs(tmp_path / f"pairs-{seed}", make_pairs(N_PAIRS, seed=seed))
            push_file(argilla_client, pairs, dataset=name, workspace=name, annotators_per_record=5)
            dataset_id = argilla_client.datasets(name=name, workspace=name).id
            expected = _mark_controls(argilla_target, str(dataset_id), seed)
            simulate(settings, name, SimulationConfig(annotators=5, seed=seed, profiles=CROWD))
            out = tmp_path / f"pull-{seed}"
            pull(settings, name, out)
            reliability = json.loads((out / "agreement.json").read_text())["reliability"]
            flagged = set(reliability["flagged"])
            true_pos += len(flagged & PLANTED)
            false_pos += len(flagged - PLANTED)
            false_neg += len(PLANTED - flagged)
            print(f"seed {seed}: flagged {sorted(flagged)}")
            for row in reliability["per_annotator"]:
                print(f"  {row['annotator']}: {row['flags']}")

            raw = _recompute(*raw_records(argilla_target, str(dataset_id)), expected)
            assert reliability["control_records"] == N_CONTROLS
            for row in reliability["per_annotator"]:
                for key in ("control_accuracy", "consensus_agreement"):
                    assert row[key] == pytest.approx(raw[row["annotator"]][key], abs=1e-6), (
                        row["annotator"],
                        key,
                    )

            majority = pd.read_parquet(out / "aggregated.parquet").set_index("pair_id")["preferred"]
            pull(settings, name, tmp_path / f"pull-ds-{seed}", method="dawid-skene")
            weighted = pd.read_parquet(tmp_path / f"pull-ds-{seed}" / "aggregated.parquet").set_index(
                "pair_id"
            )
            if seed == 0:  # exclusion: aggregation without the flagged, named with reasons on the card
                from rlhf_argilla.dataset.build import build

                excluded_out = tmp_path / "pull-excluded"
                pull(settings, name, excluded_out, method="dawid-skene", exclude_flagged=True)
                exclusion = json.loads((excluded_out / "agreement.json").read_text())["exclusion"]
                assert {item["annotator"] for item in exclusion["excluded"]} == flagged
                kept = pd.read_parquet(excluded_out / "aggregated.parquet")
                assert kept["n_annotators"].max() <= 5 - len(flagged)
                card = (build(excluded_out, tmp_path / "built", seed=1).out / "README.md").read_text()
                assert "## Label quality" in card and "`dawid-skene`" in card
                assert all(f"- `{who}`: flagged" in card for who in flagged)
                assert exclusion["alpha_after"]["overall"] != exclusion["alpha_before"]["overall"]
                print(
                    f"alpha overall before {exclusion['alpha_before']['overall']}, after {exclusion['alpha_after']['overall']}"
                )
            for pair, answer in expected.items():
                controls_seen += 1
                majority_right += majority.get(pair) == str(answer)
                ds_right += weighted["preferred"].get(pair) == str(answer)
        finally:
            for dataset in list(workspace.datasets):
                dataset.delete()
            workspace.delete()
    precision = true_pos / max(true_pos + false_pos, 1)
    recall = true_pos / (true_pos + false_neg)
    print(f"flags over {len(SEEDS)} seeds: precision {precision:.2f}, recall {recall:.2f}")
    print(
        f"control answers recovered: dawid-skene {ds_right}/{controls_seen}, majority {majority_right}/{controls_seen}"
    )
    assert precision == 1.0 and recall == 1.0
    assert ds_right >= majority_right
