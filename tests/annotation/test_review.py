"""Integration: `review` routes each rule's pair into NAME-review, idempotently; a reviewer's decision
submitted through the web UI's endpoint overrides the aggregate in the built dataset (decided_by = review)."""

from __future__ import annotations

import json
import secrets
import uuid

import pandas as pd
import pytest
from typer.testing import CliRunner

from rlhf_argilla.annotation.pull import pull
from rlhf_argilla.annotation.records import a_is
from rlhf_argilla.annotation.review import ReviewQueue, review_names
from rlhf_argilla.cli.app import app
from rlhf_argilla.dataset.build import build
from tests.annotation.cli_env import point_cli_at
from tests.annotation.review_setup import first_round, post_response, values, winner_side

pytestmark = pytest.mark.integration


def _review_records(rest, name, review_workspace=None):
    dataset, space = review_names(name, name, review_workspace)
    found = rest.require_dataset(dataset, space)
    return [item for page, _ in rest.record_pages(found["id"], include=("suggestions",)) for item in page]


def _flat(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def reviewer(argilla_target):
    """A fresh annotator-role user (Argilla 2.8 has no reviewer role) and its API key."""
    from rlhf_argilla.gateway import ArgillaRest

    name = f"rev-{secrets.token_hex(4)}"
    with ArgillaRest(argilla_target) as rest:
        user = rest.call(
            "POST",
            "/users",
            json={"username": name, "first_name": "Review", "role": "annotator", "password": "x" * 12},
        )
        yield name, user["api_key"]
        rest.call("DELETE", f"/users/{user['id']}")


def test_each_rule_routes_its_pair_and_a_rerun_adds_nothing(
    argilla_client, argilla_settings, argilla_target, tmp_path, monkeypatch, reviewer
):
    with first_round(argilla_client, argilla_settings, argilla_target, tmp_path) as round_:
        point_cli_at(monkeypatch, argilla_settings)
        monkeypatch.setenv("RLHF_ARGILLA_WORKSPACE", round_.name)
        runner = CliRunner()

        first = runner.invoke(app, ["review", "--dataset", round_.name, "--reviewer", reviewer[0]])
        again = runner.invoke(app, ["review", "--dataset", round_.name])

        assert first.exit_code == 0, first.output
        assert "added 3 (no_majority 1, rating_spread 1, unsafe_winner 1), already in review 0" in _flat(
            first
        )
        assert again.exit_code == 0, again.output
        assert "checked 5, added 0, already in review 3" in _flat(again)
        stored = _review_records(round_.rest, round_.name)
        reasons = {item["external_id"]: item["metadata"]["review_reasons"] for item in stored}
        assert reasons == {
            round_.pairs[rule].pair_id: [rule] for rule in ("no_majority", "rating_spread", "unsafe_winner")
        }
        spread = next(item for item in stored if item["external_id"] == round_.pairs["rating_spread"].pair_id)
        one, two = sorted(round_.keys)
        assert f"| {one} | A | 4/5 |" in spread["fields"]["first_round"]
        assert f"| {two} | A | 4/2 |" in spread["fields"]["first_round"]
        assert spread["metadata"]["a_is"] == a_is(round_.pairs["rating_spread"].pair_id)
        assert {s["agent"] for s in spread["suggestions"]} == {f"{one} {two}"}
        # one suggestion per question: the answer most annotators gave, those annotators as agent
        assert len(spread["suggestions"]) == 10  # accuracy_b split 5 vs 2: no suggestion for it
        _, review_space = review_names(round_.name, round_.name)
        members = [u.username for u in argilla_client.workspaces(name=review_space).users]
        assert reviewer[0] in members


def test_routing_the_records_named_by_events_fetches_them_with_their_responses(
    argilla_client, argilla_settings, argilla_target, tmp_path
):
    """The watch's path: server record ids from webhook events. Every pushed record carries a prompt
    vector, on which Argilla 2.8's GET /records/{id} answers HTTP 500; an id not (or no longer) in the
    dataset is skipped."""
    with first_round(argilla_client, argilla_settings, argilla_target, tmp_path) as round_:
        queue = ReviewQueue(round_.settings, round_.name)
        try:
            named = [round_.server_ids["no_majority"], round_.server_ids["clean"], str(uuid.uuid4())]
            first = queue.route(named)
            again = queue.route(named)
        finally:
            queue.close()
        stored = _review_records(round_.rest, round_.name)

    assert (first.checked, first.added, dict(first.by_rule)) == (2, 1, {"no_majority": 1})
    assert (again.checked, again.added, again.already) == (2, 0, 1)
    assert [item["external_id"] for item in stored] == [round_.pairs["no_majority"].pair_id]


def test_a_reviewer_decision_overrides_the_aggregate_in_the_built_dataset(
    argilla_client, argilla_settings, argilla_target, tmp_path, reviewer, monkeypatch
):
    name, key = reviewer
    space = f"t-adjudication-{secrets.token_hex(3)}"
    with first_round(
        argilla_client, argilla_settings, argilla_target, tmp_path, review_workspace=space
    ) as round_:
        queue = ReviewQueue(round_.settings, round_.name, review_workspace=space, reviewers=[name])
        try:
            queue.route()
        finally:
            queue.close()
        before = pull(round_.settings, round_.name, tmp_path / "before", review_workspace=space)
        unsafe = round_.pairs["unsafe_winner"]
        stored = {
            item["external_id"]: item["id"] for item in _review_records(round_.rest, round_.name, space)
        }
        # the first round preferred A; the reviewer ranks B first, through the endpoint the UI uses
        post_response(argilla_target.url, key, stored[unsafe.pair_id], values("b", {"safety_a": 1}))

        point_cli_at(monkeypatch, argilla_settings)
        pulled = CliRunner().invoke(
            app,
            [
                "pull",
                "-d",
                round_.name,
                "-w",
                round_.name,
                "-o",
                str(tmp_path / "after"),
                "--review-workspace",
                space,
            ],
        )
        assert pulled.exit_code == 0, pulled.output
        assert "1 pairs decided by a reviewer" in _flat(pulled)
        result = json.loads((tmp_path / "after" / "agreement.json").read_text())
        build(tmp_path / "after", tmp_path / "built")

        agg_before = pd.read_parquet(tmp_path / "before" / "aggregated.parquet").set_index("pair_id")
        agg = pd.read_parquet(tmp_path / "after" / "aggregated.parquet").set_index("pair_id")
        assert before.summary.decided_by == {"consensus": len(agg_before), "review": 0}
        assert agg_before.at[unsafe.pair_id, "preferred"] == str(winner_side(unsafe, "a"))
        assert agg.at[unsafe.pair_id, "preferred"] == str(winner_side(unsafe, "b"))
        assert agg.at[unsafe.pair_id, "decided_by"] == "review"
        assert agg.at[unsafe.pair_id, "safety_" + str(winner_side(unsafe, "a"))] == 1.0
        assert agg.at[unsafe.pair_id, "agreement"] == 0.0  # neither first-round annotator chose B
        assert (agg.drop(index=unsafe.pair_id)["decided_by"] == "consensus").all()
        assert result["decided_by"] == {"consensus": len(agg) - 1, "review": 1}
        built = pd.concat(
            pd.read_parquet(path) for path in (tmp_path / "built" / "default").glob("*.parquet")
        ).set_index("pair_id")
        chosen_text = getattr(unsafe, f"response_{winner_side(unsafe, 'b')}").text
        assert built.at[unsafe.pair_id, "decided_by"] == "review"
        assert built.at[unsafe.pair_id, "chosen"] == chosen_text
        assert set(built.drop(index=unsafe.pair_id)["decided_by"]) == {"consensus"}
        card = (tmp_path / "built" / "README.md").read_text()
        assert f"consensus {len(agg) - 1}, review 1" in card


def test_review_errors_are_one_line(argilla_settings, monkeypatch):
    point_cli_at(monkeypatch, argilla_settings)
    runner = CliRunner()

    missing = runner.invoke(app, ["review", "--dataset", "no-such-dataset", "--workspace", "no-such-space"])

    assert missing.exit_code == 1
    assert "no workspace 'no-such-space'" in missing.output
    assert len(missing.output.strip().splitlines()) == 1


def test_a_foreign_dataset_under_the_review_name_is_refused_before_anything_is_written(
    argilla_client, argilla_settings, argilla_target, tmp_path, monkeypatch
):
    import argilla as rg

    with first_round(argilla_client, argilla_settings, argilla_target, tmp_path, extra=0) as round_:
        dataset, space = review_names(round_.name, round_.name)
        workspace = rg.Workspace(name=space, client=argilla_client).create()
        settings = rg.Settings(
            fields=[rg.TextField(name="text")], questions=[rg.LabelQuestion(name="ok", labels=["y", "n"])]
        )
        rg.Dataset(name=dataset, workspace=workspace, settings=settings, client=argilla_client).create()
        point_cli_at(monkeypatch, argilla_settings)

        refused = CliRunner().invoke(app, ["review", "--dataset", round_.name, "--workspace", round_.name])

        assert refused.exit_code == 1
        assert f"{space}/{dataset} exists with a different schema" in _flat(refused)
        assert _flat(refused).startswith("Error:") and _flat(refused).count("Error:") == 1
        assert _review_records(round_.rest, round_.name) == []
