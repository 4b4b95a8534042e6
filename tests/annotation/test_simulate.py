"""Simulated annotators: the pure plan, and answers stored through the real API as sim- users."""

from __future__ import annotations

import uuid

import httpx
import pytest

from rlhf_argilla.annotation.settings import QUESTION_NAMES, RATIONALE
from rlhf_argilla.annotation.simulate_plan import SIMULATED_TAG, SimulationConfig, plan_response
from tests.annotation.pairs_factory import make_pairs, write_pairs
from tests.annotation.raw_rest import raw_records

REQUIRED = set(QUESTION_NAMES) - {RATIONALE}
STRONG_A = {
    f"{c}_{side}": score
    for c in ("accuracy", "safety", "clarity", "completeness", "actionability")
    for side, score in (("a", 5), ("b", 2))
}


def test_plans_are_seeded_per_annotator_and_record():
    config = SimulationConfig(seed=4)

    first = [plan_response(f"p{i}", 2, STRONG_A, config) for i in range(30)]
    again = [plan_response(f"p{i}", 2, STRONG_A, config) for i in reversed(range(30))][::-1]
    other = [plan_response(f"p{i}", 2, STRONG_A, SimulationConfig(seed=5)) for i in range(30)]

    assert first == again
    assert first != other


def test_statuses_follow_the_configured_rates_and_shapes():
    config = SimulationConfig(seed=1, discard_rate=0.1, draft_rate=0.2)
    plans = [plan_response(f"p{i}", 1 + i % 3, {}, config) for i in range(3000)]
    by_status = {s: [p for p in plans if p["status"] == s] for s in ("submitted", "draft", "discarded")}

    assert len(by_status["discarded"]) / 3000 == pytest.approx(0.1, abs=0.02)
    assert len(by_status["draft"]) / 3000 == pytest.approx(0.2, abs=0.03)
    assert all(p["values"] == {} for p in by_status["discarded"])
    assert all(0 < len(p["values"]) < len(REQUIRED) for p in by_status["draft"])
    for plan in by_status["submitted"]:
        assert REQUIRED <= set(plan["values"])
        ranks = sorted(item["rank"] for item in plan["values"]["overall"]["value"])
        assert ranks in ([1, 1], [1, 2])
        assert all(1 <= plan["values"][q]["value"] <= 5 for q in REQUIRED - {"overall"})


def test_judge_suggestions_drive_the_answers_with_some_disagreement_and_ties():
    config = SimulationConfig(seed=2, discard_rate=0, draft_rate=0, rationale_rate=1.0)
    plans = [plan_response(f"p{i}", 1, STRONG_A, config) for i in range(500)]
    winners = []
    for plan in plans:
        ranks = {item["value"]: item["rank"] for item in plan["values"]["overall"]["value"]}
        winners.append(
            "tie" if ranks["response_a"] == ranks["response_b"] else "a" if ranks["response_a"] == 1 else "b"
        )

    assert winners.count("a") / 500 > 0.7
    assert 0 < winners.count("b") and 0 < winners.count("tie")  # noise: flips and ties happen
    assert all(plan["values"][RATIONALE]["value"].startswith(SIMULATED_TAG) for plan in plans)


@pytest.mark.integration
def test_simulate_command_answers_as_sim_users_and_a_rerun_changes_nothing(
    argilla_client, argilla_settings, argilla_target, tmp_path, monkeypatch
):
    import argilla as rg
    from typer.testing import CliRunner

    from rlhf_argilla.annotation.push import push_file
    from rlhf_argilla.cli.app import app
    from tests.annotation.cli_env import point_cli_at

    name = f"t-sim-{uuid.uuid4().hex[:8]}"
    workspace = rg.Workspace(name=name, client=argilla_client).create()
    point_cli_at(monkeypatch, argilla_settings)
    runner = CliRunner()
    command = ["simulate", "--dataset", name, "--workspace", name, "--annotators", "2", "--seed", "3"]
    headers = {"X-Argilla-Api-Key": argilla_target.api_key}
    api = f"{argilla_target.url}/api/v1"
    try:
        push_file(argilla_client, write_pairs(tmp_path, make_pairs(12, seed=9)), dataset=name, workspace=name)
        dataset_id = argilla_client.datasets(name=name, workspace=name).id

        def stored():
            records, _users = raw_records(argilla_target, str(dataset_id))
            return {
                (r["id"], x["user_id"]): (x["status"], x["values"]) for r in records for x in r["responses"]
            }

        first = runner.invoke(app, command)
        after_first = stored()
        second = runner.invoke(app, command)

        assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
        assert len(after_first) == 12 * 2
        assert stored() == after_first
        members = httpx.get(f"{api}/workspaces/{workspace.id}/users", headers=headers, timeout=60).json()[
            "items"
        ]
        simulated = {u["id"]: u for u in members if u["username"] in ("sim-annotator-1", "sim-annotator-2")}
        assert {user_id for _, user_id in after_first} == set(simulated)
        assert all(u["role"] == "annotator" for u in simulated.values())
        assert "sim-annotator-1:" in first.output
        assert not any(user["api_key"] in first.output + second.output for user in simulated.values())
    finally:
        for dataset in list(workspace.datasets):
            dataset.delete()
        workspace.delete()


def _winner(plan):
    ranks = {item["value"]: item["rank"] for item in plan["values"]["overall"]["value"]}
    return "tie" if ranks["response_a"] == ranks["response_b"] else "a" if ranks["response_a"] == 1 else "b"


def _clear(i):  # a pair whose better side alternates, with a clear judge margin
    better = "a" if i % 2 else "b"
    return {
        f"{c}_{s}": 5 if s == better else 2
        for c in ("accuracy", "safety", "clarity", "completeness", "actionability")
        for s in "ab"
    }


def test_profiles_plant_their_behaviour_and_careful_matches_mt_bench_agreement():
    from rlhf_argilla.domain.annotator_profiles import CAREFUL_ACCURACY, HUMAN_AGREEMENT_NON_TIED

    crowd = ("careful", "careful", "straight-liner", "position-biased", "suggestion-accepter", "spammer")
    config = SimulationConfig(annotators=6, seed=3, profiles=crowd, discard_rate=0, draft_rate=0)
    n = 1500
    plans = {w: [plan_response(f"p{i}", w, _clear(i), config) for i in range(n)] for w in range(1, 7)}
    winners = {w: [_winner(p) for p in plans[w]] for w in plans}
    both = [(x, y) for x, y in zip(winners[1], winners[2]) if "tie" not in (x, y)]
    agreement = sum(x == y for x, y in both) / len(both)
    print(
        f"careful x careful agreement on non-tied pairs: {agreement:.3f} (MT-Bench {HUMAN_AGREEMENT_NON_TIED})"
    )

    assert CAREFUL_ACCURACY == pytest.approx(0.894, abs=0.001)
    assert agreement == pytest.approx(HUMAN_AGREEMENT_NON_TIED, abs=0.03)
    ratings = [q for q in _clear(0)]
    assert all(len({p["values"][q]["value"] for q in ratings}) == 1 for p in plans[3])
    assert winners[4].count("a") / n == pytest.approx(0.8 + 0.2 * 0.5, abs=0.04)
    accepted = sum(
        all(p["values"][q]["value"] == _clear(i)[q] for q in ratings) for i, p in enumerate(plans[5])
    )
    assert accepted / n == pytest.approx(0.95, abs=0.02)
    assert winners[6].count("tie") / n == pytest.approx(1 / 3, abs=0.05)
    assert all(
        p["values"]["rationale"]["value"].startswith(SIMULATED_TAG)
        for w in plans
        for p in plans[w]
        if "rationale" in p["values"]
    )


def test_profiled_annotators_judge_a_control_by_its_known_side():
    config = SimulationConfig(annotators=1, seed=1, profiles=("careful",), discard_rate=0, draft_rate=0)
    winners = [_winner(plan_response(f"c{i}", 1, _clear(1), config, known="b")) for i in range(600)]
    assert winners.count("b") / 600 > 0.8  # the known answer wins though the scores favour A
