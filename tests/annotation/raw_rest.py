"""Read a dataset straight from Argilla's REST API, for tests that recompute figures independently of pull."""

from __future__ import annotations

import httpx


def raw_records(target, dataset_id: str) -> tuple[list[dict], dict[str, str]]:
    """The dataset's records with their responses (up to 1000) and a user id -> username map."""
    headers = {"X-Argilla-Api-Key": target.api_key}
    records = httpx.get(
        f"{target.url}/api/v1/datasets/{dataset_id}/records",
        headers=headers,
        timeout=60,
        params={"include": "responses", "limit": 1000},
    ).json()["items"]
    users = httpx.get(f"{target.url}/api/v1/users", headers=headers, timeout=60).json()["items"]
    return records, {user["id"]: user["username"] for user in users}
