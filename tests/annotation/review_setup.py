"""Test helper: a pushed first-round dataset, answered through the web UI's REST endpoint, per review rule."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.annotation.records import a_is
from rlhf_argilla.annotation.review import review_names
from rlhf_argilla.annotation.simulate import ensure_simulated_users
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs, write_pairs

#: case -> per annotator: (display side ranked first or "tie", {rating question: value} overrides)
CASES: dict[str, list[tuple[str, dict[str, int]]]] = {
    "no_majority": [("a", {}), ("b", {})],
    "rating_spread": [("a", {"accuracy_b": 5}), ("a", {"accuracy_b": 2})],
    "unsafe_winner": [("a", {}), ("a", {"safety_a": 2})],
    "clean": [("a", {}), ("a", {"clarity_a": 3})],
}


def values(first: str, overrides: dict[str, int]) -> dict:
    """The ``values`` of one response as the web UI posts them (display sides A/B)."""
    ranking = (
        [{"value": "response_a", "rank": 1}, {"value": "response_b", "rank": 1}]
        if first == "tie"
        else [
            {"value": f"response_{first}", "rank": 1},
            {"value": f"response_{'b' if first == 'a' else 'a'}", "rank": 2},
        ]
    )
    ratings = {f"{name}_{side}": 4 for name in CRITERION_IDS for side in "ab"} | overrides
    return {"overall": {"value": ranking}, **{name: {"value": v} for name, v in ratings.items()}}


def post_response(url: str, key: str, record_id: str, answer: dict) -> None:
    """POST /api/v1/records/{id}/responses as the key's owner: what the UI's Submit sends."""
    posted = httpx.post(
        f"{url}/api/v1/records/{record_id}/responses",
        json={"values": answer, "status": "submitted"},
        headers={"X-Argilla-Api-Key": key},
        timeout=30,
    )
    assert posted.status_code == 201, posted.text


@dataclass
class FirstRound:
    name: str
    settings: object
    pairs: dict  # case -> PairRow
    server_ids: dict  # case -> server record id
    keys: dict  # annotator -> api key
    rest: ArgillaRest


@contextmanager
def first_round(
    argilla_client, argilla_settings, argilla_target, tmp_path, *, extra: int = 1, review_workspace=None
):
    """Push one pair per case (+ ``extra`` unanswered ones) and answer them; clean up both workspaces."""
    import argilla as rg

    name = f"t-review-{secrets.token_hex(4)}"
    space = rg.Workspace(name=name, client=argilla_client).create()
    settings = argilla_settings.model_copy(update={"workspace": name})
    rest = ArgillaRest(argilla_target)
    try:
        pairs = make_pairs(len(CASES) + extra, seed=7)
        push_file(argilla_client, write_pairs(tmp_path / "pairs", pairs), dataset=name, workspace=name)
        found = rest.require_dataset(name, name)
        keys = ensure_simulated_users(rest, found["workspace_id"], 2)
        ids = {
            record["external_id"]: record["id"]
            for page, _ in rest.record_pages(found["id"], include=())
            for record in page
        }
        by_case = dict(zip([*CASES, *(f"extra-{i}" for i in range(extra))], pairs))
        for case, answers in CASES.items():
            for (first, overrides), key in zip(answers, keys.values()):
                post_response(argilla_target.url, key, ids[by_case[case].pair_id], values(first, overrides))
        yield FirstRound(name, settings, by_case, {c: ids[p.pair_id] for c, p in by_case.items()}, keys, rest)
    finally:
        rest.close()
        _, review_space = review_names(name, name, review_workspace)
        for workspace in (space, argilla_client.workspaces(name=review_space)):
            if workspace is None:
                continue
            for dataset in list(workspace.datasets):
                dataset.delete()
            workspace.delete()


def winner_side(pair, first: str) -> int:
    """The original response number behind a display side."""
    return a_is(pair.pair_id) if first == "a" else 3 - a_is(pair.pair_id)
