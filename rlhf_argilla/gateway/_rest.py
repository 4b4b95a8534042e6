"""Raw REST calls where the SDK falls short: ranking ties, answering as another user, fast pages.

The SDK drops ranks when it reads ranking responses (ties would be lost), and it cannot answer
as another user; the web UI's own endpoints can. Every failure leaves :meth:`ArgillaRest.call` as an
``ArgillaError`` (``gateway._errors``); the key is registered with ``redact``, so no message shows it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

import httpx

from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway._errors import argilla_errors, missing_dataset
from rlhf_argilla.redact import register_secret

if TYPE_CHECKING:
    import argilla as rg

    from rlhf_argilla.gateway._target import ArgillaTarget

__all__ = ["ArgillaRest", "ArgillaUser", "RECORDS_PAGE_SIZE", "RESPONSES_BULK_SIZE"]

RECORDS_PAGE_SIZE = 1000  # the server's maximum for GET /datasets/{id}/records
RESPONSES_BULK_SIZE = 100  # the server's maximum for POST /me/responses/bulk
SEARCH_TERMS_SIZE = 250  # the server's maximum of values in one terms filter
PAGE_WORKERS = 3


@dataclass(frozen=True)
class ArgillaUser:
    """One user as the server lists it; ``api_key`` is only filled for an owner's listing, never shown."""

    id: str
    username: str
    role: str
    api_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> ArgillaUser:
        return cls(str(item["id"]), item["username"], str(item["role"]), item.get("api_key"))


class ArgillaRest:
    """Raw REST calls against one Argilla server, authenticated with one API key."""

    def __init__(self, target: ArgillaTarget, api_key: str | None = None, timeout: float = 120.0):
        self.url = target.url
        key = api_key or target.api_key
        register_secret(key)
        self.http = httpx.Client(
            base_url=f"{target.url}/api/v1", headers={"X-Argilla-Api-Key": key}, timeout=timeout
        )

    def close(self) -> None:
        self.http.close()

    @classmethod
    def for_client(cls, client: rg.Argilla, timeout: float = 120.0) -> ArgillaRest:
        """Raw REST with the server and key of an SDK client."""
        from rlhf_argilla.gateway._target import ArgillaTarget

        return cls(
            ArgillaTarget(str(client.api_url).rstrip("/"), client.api_key, local=False), timeout=timeout
        )

    def __enter__(self) -> ArgillaRest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request; its JSON answer, or an ``ArgillaError`` saying why it failed."""
        with argilla_errors(f"{method} {path}", url=self.url):
            answer = self.http.request(method, path, **kwargs)
            answer.raise_for_status()
        return answer.json() if answer.content else None

    # ------------------------------------------------------------------------------ look-ups
    def workspaces(self) -> dict[str, str]:
        """Workspace name -> id, of the workspaces the key may see."""
        return {item["name"]: item["id"] for item in self.call("GET", "/me/workspaces")["items"]}

    def find_dataset(self, name: str, workspace: str) -> dict[str, Any] | None:
        """The dataset ``workspace/name`` (its JSON), or ``None`` (also when the workspace is missing)."""
        workspace_id = self.workspaces().get(workspace)
        if workspace_id is None:
            return None
        return next(iter(self._datasets(workspace_id).get(name, [])), None)

    def require_dataset(self, name: str, workspace: str) -> dict[str, Any]:
        """The dataset ``workspace/name``, or an ``ArgillaError`` naming what exists."""
        spaces = self.workspaces()
        if workspace not in spaces:
            raise missing_dataset(name, workspace, self.url, list(spaces), None)
        datasets = self._datasets(spaces[workspace])
        if name not in datasets:
            raise missing_dataset(name, workspace, self.url, list(spaces), list(datasets))
        return datasets[name][0]

    def _datasets(self, workspace_id: str) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for item in self.call("GET", "/me/datasets")["items"]:
            if item["workspace_id"] == workspace_id:
                found.setdefault(item["name"], []).append(item)
        return found

    def users(self, workspace_id: str | None = None) -> list[ArgillaUser]:
        """Every user (owners only), or the members of one workspace."""
        path = "/users" if workspace_id is None else f"/workspaces/{workspace_id}/users"
        return [ArgillaUser.from_json(item) for item in self.call("GET", path)["items"]]

    def usernames(self, workspace_id: str) -> dict[str, str]:
        """User id -> username for everyone who may have answered (all users when allowed)."""
        try:
            users = self.users()
        except ArgillaError:  # admins may not list every user: the workspace's members suffice
            users = self.users(workspace_id)
        return {user.id: user.username for user in users}

    def create_user(self, username: str, role: str, password: str, **names: str) -> ArgillaUser:
        """Create a user (owners only); ``names``: ``first_name`` (default the username), ``last_name``."""
        register_secret(password)  # a refusal may quote what was sent
        body = {"username": username, "first_name": username, **names, "role": role, "password": password}
        return ArgillaUser.from_json(self.call("POST", "/users", json=body))

    def add_member(self, workspace_id: str, user_id: str) -> None:
        """Make the user a member of the workspace."""
        self.call("POST", f"/workspaces/{workspace_id}/users", json={"user_id": user_id})

    # ------------------------------------------------------------------------------ records
    def record_pages(
        self, dataset_id: str, include: tuple[str, ...] = ("responses",), page_size: int = RECORDS_PAGE_SIZE
    ) -> Iterator[tuple[list[dict[str, Any]], int]]:
        """Stream every record of a dataset, page by page, with the dataset's total.

        Pages after the first are fetched :data:`PAGE_WORKERS` at a time in parallel and yielded
        in order; a page is asked for only when one is yielded, so at most ``PAGE_WORKERS`` pages
        wait in memory however slowly the caller reads (memory bounded at any dataset size).

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
        offsets = iter(range(page_size, total, page_size))
        with ThreadPoolExecutor(max_workers=PAGE_WORKERS) as pool:
            ahead = deque(pool.submit(page, offset) for offset in islice(offsets, PAGE_WORKERS))
            while ahead:
                answer = ahead.popleft().result()
                for offset in islice(offsets, 1):  # keep PAGE_WORKERS pages under way
                    ahead.append(pool.submit(page, offset))
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
