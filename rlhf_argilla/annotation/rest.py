"""Thin raw-REST access to Argilla where the SDK falls short: ranking ties, answering as another user.

The SDK drops ranks when it reads ranking responses (ties would be lost), and it cannot answer
as another user; the web UI's own endpoints can. Every HTTP failure becomes an ``ArgillaError``
whose message says what to do; API keys never appear in messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from rlhf_argilla.argilla_client import ArgillaTarget
from rlhf_argilla.errors import ArgillaError

__all__ = ["ArgillaRest", "RECORDS_PAGE_SIZE", "RESPONSES_BULK_SIZE"]

RECORDS_PAGE_SIZE = 1000  # the server's maximum for GET /datasets/{id}/records
RESPONSES_BULK_SIZE = 100  # the server's maximum for POST /me/responses/bulk
SEARCH_TERMS_SIZE = 250  # the server's maximum of values in one terms filter
PAGE_WORKERS = 3


class ArgillaRest:
    """Raw REST calls against one Argilla server, authenticated with one API key."""

    def __init__(self, target: ArgillaTarget, api_key: str | None = None, timeout: float = 120.0):
        self.url = target.url
        headers = {"X-Argilla-Api-Key": api_key or target.api_key}
        self.http = httpx.Client(base_url=f"{target.url}/api/v1", headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ArgillaRest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request; JSON answer, or ``ArgillaError`` with the server's reason."""
        try:
            answer = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise ArgillaError(
                f"cannot reach Argilla at {self.url} ({type(error).__name__}): "
                "check that the server runs (`rlhf-argilla server status`)"
            ) from None
        if answer.status_code in (401, 403):
            raise ArgillaError(
                f"Argilla refused {method} {path} (HTTP {answer.status_code}): "
                "use an owner or admin API key (RLHF_ARGILLA_API_KEY)"
            )
        if answer.status_code >= 400:
            raise ArgillaError(
                f"Argilla answered HTTP {answer.status_code} to {method} {path}: {answer.text[:300]}"
            )
        return answer.json() if answer.content else None

    # ------------------------------------------------------------------------------ look-ups
    def find_dataset(self, name: str, workspace: str) -> dict[str, Any]:
        """The dataset ``name`` in ``workspace`` (its JSON), or a user error naming what exists."""
        workspaces = {item["name"]: item["id"] for item in self.call("GET", "/me/workspaces")["items"]}
        if workspace not in workspaces:
            raise ArgillaError(
                f"no workspace {workspace!r} on {self.url}; existing: "
                f"{', '.join(sorted(workspaces)) or 'none'} (set --workspace)"
            )
        datasets = [
            item
            for item in self.call("GET", "/me/datasets")["items"]
            if item["workspace_id"] == workspaces[workspace]
        ]
        for item in datasets:
            if item["name"] == name:
                return item
        names = ", ".join(sorted(item["name"] for item in datasets)) or "none"
        raise ArgillaError(
            f"no dataset {name!r} in workspace {workspace!r}; existing: {names} "
            "(push pairs first with `rlhf-argilla push`)"
        )

    def usernames(self, workspace_id: str) -> dict[str, str]:
        """User id -> username for everyone who may have answered (all users when allowed)."""
        try:
            items = self.call("GET", "/users")["items"]
        except ArgillaError:  # admins may not list every user: the workspace's members suffice
            items = self.call("GET", f"/workspaces/{workspace_id}/users")["items"]
        return {item["id"]: item["username"] for item in items}

    # ------------------------------------------------------------------------------ records
    def record_pages(
        self, dataset_id: str, include: tuple[str, ...] = ("responses",), page_size: int = RECORDS_PAGE_SIZE
    ) -> Iterator[tuple[list[dict[str, Any]], int]]:
        """Stream every record of a dataset, page by page, with the dataset's total.

        Pages after the first are fetched a few at a time in parallel; they are yielded in order.

        Yields:
            ``(records, total)`` for each page.
        """
        params = [("include", part) for part in include]

        def page(offset: int) -> dict[str, Any]:
            return self.call(
                "GET",
                f"/datasets/{dataset_id}/records",
                params=[*params, ("offset", offset), ("limit", page_size)],
            )

        first = page(0)
        total = first.get("total") or len(first["items"])
        yield first["items"], total
        offsets = range(page_size, total, page_size)
        with ThreadPoolExecutor(max_workers=PAGE_WORKERS) as pool:
            for answer in pool.map(page, offsets):
                yield answer["items"], total

    def records_by_id(
        self, dataset_id: str, record_ids: list[str], include: tuple[str, ...] = ("responses",)
    ) -> list[dict[str, Any]]:
        """The records of one dataset with these server ids (those that still exist), with ``include``.

        Asked through the dataset's search endpoint (a terms filter on the record id), not
        ``GET /records/{id}``: Argilla 2.8 answers that one with HTTP 500 for every record that has
        a vector (its handler lazy-loads each vector's settings outside the async session,
        ``MissingGreenlet``), and every pushed record has one (``prompt_vector``).
        """
        ids = list(dict.fromkeys(record_ids))
        found: list[dict[str, Any]] = []
        for start in range(0, len(ids), SEARCH_TERMS_SIZE):
            chunk = ids[start : start + SEARCH_TERMS_SIZE]
            answer = self.call(
                "POST",
                f"/datasets/{dataset_id}/records/search",
                params=[*(("include", part) for part in include), ("limit", len(chunk))],
                json={
                    "filters": {
                        "and": [
                            {
                                "type": "terms",
                                "scope": {"entity": "record", "property": "id"},
                                "values": chunk,
                            }
                        ]
                    }
                },
            )
            found.extend(item["record"] for item in answer["items"])
        return found

    # ------------------------------------------------------------------------------ responses
    def upsert_own_responses(
        self, items: list[dict[str, Any]], on_chunk: Callable[[int], None] | None = None
    ) -> list[str]:
        """Create or replace the key owner's responses, 100 per request (the web UI's bulk endpoint).

        Args:
            items: ``{"record_id", "status", "values"}`` dicts, ``values`` as the API expects.
            on_chunk: called with the number of items sent after each request (progress).

        Returns:
            One error text per item the server refused (empty when all were stored).
        """
        errors: list[str] = []
        for start in range(0, len(items), RESPONSES_BULK_SIZE):
            chunk = items[start : start + RESPONSES_BULK_SIZE]
            answer = self.call("POST", "/me/responses/bulk", json={"items": chunk})
            errors += [item["error"]["detail"] for item in answer["items"] if item.get("error")]
            if on_chunk:
                on_chunk(len(chunk))
        return errors
