"""Progress on the real local server: responses submitted, drafted and discarded by real users."""

from __future__ import annotations

import httpx
import pytest

from rlhf_argilla.annotation.progress import fetch_progress
from rlhf_argilla.annotation.push import ensure_dataset, push_pairs
from rlhf_argilla.annotation.settings import CRITERION_IDS, OVERALL, SIDES, rating_question
from rlhf_argilla.annotation.users import add_annotators
from tests.annotation.pairs_factory import make_pairs
from tests.annotation.test_push import stored_records

pytestmark = pytest.mark.integration


def answer(target, api_key: str, record_id: str, status: str) -> None:
    """One annotator's response through the REST API the web UI uses."""
    values = {OVERALL: {"value": [{"value": "response_a", "rank": 1}, {"value": "response_b", "rank": 1}]}}
    values |= {rating_question(c, side): {"value": 3} for c in CRITERION_IDS for side in SIDES}
    # a discard carries no answers; the server needs the empty mapping (None makes its indexer fail)
    body = {"status": status, "values": {} if status == "discarded" else values}
    response = httpx.post(
        f"{target.url}/api/v1/records/{record_id}/responses",
        json=body,
        headers={"X-Argilla-Api-Key": api_key},
        timeout=30,
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def annotators(argilla_client, argilla_target, workspace, unique_name):
    """Two annotators in the workspace with their API keys (read as owner); deleted after."""
    names = [f"{unique_name}-a", f"{unique_name}-b", f"{unique_name}-idle"]
    accounts = add_annotators(argilla_client, workspace.name, names)
    users = {user.username: user for user in argilla_client.users.list() if user.username in names}
    keys = {
        name: httpx.get(
            f"{argilla_target.url}/api/v1/users/{users[name].id}", headers=argilla_target.headers, timeout=30
        ).json()["api_key"]
        for name in names
    }
    yield [account.username for account in accounts], keys
    for user in users.values():
        user.delete()


def test_progress_counts_every_response_status_per_record_and_annotator(
    argilla_client, argilla_target, workspace, annotators
):
    (first, second, idle), keys = annotators
    dataset = ensure_dataset(argilla_client, "prefs", workspace.name, annotators_per_record=2)
    push_pairs(dataset, make_pairs(6, seed=4))
    records = sorted(stored_records(argilla_target, dataset), key=lambda item: item["external_id"])
    ids = [item["id"] for item in records]
    for record_id in ids[:3]:
        answer(argilla_target, keys[first], record_id, "submitted")
    answer(argilla_target, keys[second], ids[0], "submitted")
    answer(argilla_target, keys[second], ids[1], "draft")
    answer(argilla_target, keys[second], ids[2], "discarded")

    state = fetch_progress(argilla_client, argilla_target, "prefs", workspace.name)
    assert (state.total, state.completed, state.min_submitted) == (6, 1, 2)
    assert state.submitted_histogram() == {0: 3, 1: 2, 2: 1}
    by_pair = {record.pair_id: record for record in state.records}
    assert by_pair[records[0]["external_id"]].status == "completed"
    assert (by_pair[records[2]["external_id"]].submitted, by_pair[records[2]["external_id"]].discarded) == (
        1,
        1,
    )
    counts = {row.username: (row.submitted, row.draft, row.discarded) for row in state.annotators}
    assert counts[first] == (3, 0, 0) and counts[second] == (1, 1, 1) and counts[idle] == (0, 0, 0)
