"""The Argilla gateway against the real local server: every failure is one line, ours, without a key.

Nothing is faked: connection refused is a port nobody listens on, 401 a key the server never issued,
404 an id that does not exist, 422 a body the server rejects, 500 the server's own bug on
``GET /records/{id}`` for a record with a vector (see ``ArgillaRest.records_by_id``).
"""

from __future__ import annotations

import socket
import time
import uuid

import pytest

from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import (
    ArgillaRest,
    ArgillaTarget,
    argilla_errors,
    connect,
    describe,
    find_dataset,
    require_dataset,
)
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = pytest.mark.integration

#: shaped like no key redact knows: only the gateway's own registration can hide it
WRONG_KEY = "wrong-key-planted-4711"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _one_line_without(error: BaseException, secret: str) -> str:
    text = str(error)
    assert "\n" not in text and secret not in text and "--" not in text, text
    return text


def test_connection_refused_is_one_line_naming_the_url():
    url = f"http://127.0.0.1:{_free_port()}"
    target = ArgillaTarget(url, WRONG_KEY, local=False)

    with pytest.raises(ArgillaError) as by_rest, ArgillaRest(target) as rest:
        rest.call("GET", "/me")
    with pytest.raises(ArgillaError) as by_sdk:
        connect(target)

    for caught in (by_rest, by_sdk):
        text = _one_line_without(caught.value, WRONG_KEY)
        assert f"cannot reach Argilla at {url} (ConnectError)" in text, text
        assert "RLHF_ARGILLA_API_URL" in text


def test_a_key_the_server_never_issued_is_refused_without_showing_it(argilla_target):
    target = ArgillaTarget(argilla_target.url, WRONG_KEY, local=False)

    with pytest.raises(ArgillaError) as by_rest, ArgillaRest(target) as rest:
        rest.require_dataset("anything", "anywhere")
    with pytest.raises(ArgillaError) as by_sdk:
        connect(target)

    for caught in (by_rest, by_sdk):
        text = _one_line_without(caught.value, WRONG_KEY)
        assert f"Argilla at {argilla_target.url} refused the API key (HTTP 401)" in text, text
        assert "RLHF_ARGILLA_API_KEY" in text


def test_sdk_and_http_refusals_read_alike(argilla_client, argilla_target):
    missing = uuid.uuid4()
    with pytest.raises(ArgillaError) as by_sdk, argilla_errors("reading a dataset"):
        argilla_client.api.datasets.get(missing)  # the SDK's NotFoundError
    with pytest.raises(ArgillaError) as by_rest, ArgillaRest(argilla_target) as rest:
        rest.call("GET", f"/datasets/{missing}")
    with pytest.raises(ArgillaError) as invalid, ArgillaRest(argilla_target) as rest:
        rest.call("POST", "/users", json={"username": "Not Valid"})

    assert str(by_sdk.value).startswith(
        f"reading a dataset: not found on Argilla at {argilla_target.url} (HTTP 404"
    )
    assert str(by_rest.value).startswith(
        f"GET /datasets/{missing}: not found on Argilla at {argilla_target.url}"
    )
    assert "refused it (HTTP 422: " in str(invalid.value)
    for caught in (by_sdk, by_rest, invalid):
        _one_line_without(caught.value, argilla_target.api_key)


def test_one_not_found_contract_for_sdk_and_rest(argilla_client, argilla_target, workspace, tmp_path):
    push_file(
        argilla_client, write_pairs(tmp_path, make_pairs(2, seed=3)), dataset="here", workspace=workspace.name
    )

    with ArgillaRest(argilla_target) as rest:
        assert rest.find_dataset("gone", workspace.name) is None
        assert rest.find_dataset("here", "no-such-workspace-anywhere") is None
        assert rest.require_dataset("here", workspace.name)["name"] == "here"
        found_rest = [str(rest.find_dataset("here", workspace.name)["id"])]
        with pytest.raises(ArgillaError) as rest_missing:
            rest.require_dataset("gone", workspace.name)
        with pytest.raises(ArgillaError) as rest_no_space:
            rest.require_dataset("gone", "no-such-workspace-anywhere")
    assert find_dataset(argilla_client, "gone", workspace.name) is None
    assert [str(find_dataset(argilla_client, "here", workspace.name).id)] == found_rest
    with pytest.raises(ArgillaError) as sdk_missing:
        require_dataset(argilla_client, "gone", workspace.name)
    with pytest.raises(ArgillaError) as sdk_no_space:
        require_dataset(argilla_client, "gone", "no-such-workspace-anywhere")

    assert str(sdk_missing.value) == str(rest_missing.value)
    assert f"no dataset 'gone' in workspace {workspace.name!r} (existing: here)" in str(sdk_missing.value)
    assert str(sdk_no_space.value) == str(rest_no_space.value)
    assert "no workspace 'no-such-workspace-anywhere'" in str(sdk_no_space.value)
    assert workspace.name in str(sdk_no_space.value)  # the existing ones are named


def test_a_server_failure_says_to_retry_and_the_rerun_hint_reaches_through(
    argilla_client, argilla_target, workspace, tmp_path
):
    push_file(
        argilla_client, write_pairs(tmp_path, make_pairs(1, seed=4)), dataset="vec", workspace=workspace.name
    )
    with ArgillaRest(argilla_target) as rest:
        dataset_id = rest.require_dataset("vec", workspace.name)["id"]
        record_id = next(rest.record_pages(dataset_id, include=()))[0][0]["id"]
        with pytest.raises(ArgillaError) as caught, argilla_errors("outer", retry="rerun it"):
            rest.call("GET", f"/records/{record_id}")  # Argilla 2.8 answers 500 for a record with a vector

    text = _one_line_without(caught.value, argilla_target.api_key)
    assert "failed (HTTP 500" in text and text.endswith("; rerun it"), text


def test_a_bug_is_left_alone():
    with pytest.raises(KeyError), argilla_errors("anything"):
        raise KeyError("a bug, not the server")
    assert describe(ValueError("mine")) is None


def test_an_sdk_failure_no_call_site_wrapped_is_worded_at_the_boundary(argilla_client, argilla_target):
    from argilla._exceptions import NotFoundError

    from rlhf_argilla.errors import explain

    with pytest.raises(NotFoundError) as raw:
        argilla_client.api.datasets.get(uuid.uuid4())

    assert explain(raw.value) is None  # errors.explain knows nothing of Argilla: the gateway words it
    text = describe(raw.value)
    assert text.startswith(f"not found on Argilla at {argilla_target.url} (HTTP 404: "), text


def test_record_pages_asks_for_a_page_only_as_one_is_read(
    argilla_client, argilla_target, workspace, tmp_path
):
    from rlhf_argilla.gateway._rest import PAGE_WORKERS

    pairs = make_pairs(12, seed=5)
    push_file(argilla_client, write_pairs(tmp_path, pairs), dataset="paged", workspace=workspace.name)
    with ArgillaRest(argilla_target) as rest:
        dataset_id = rest.require_dataset("paged", workspace.name)["id"]
        asked: list[int] = []
        call = rest.call

        def counted(method, path, **options):
            asked.extend(value for key, value in options.get("params", []) if key == "offset")
            return call(method, path, **options)

        rest.call = counted  # type: ignore[method-assign]  # a spy: the real server still answers
        read, ahead = [], []
        for number, (page, total) in enumerate(rest.record_pages(dataset_id, include=(), page_size=2), 1):
            assert total == 12
            read.extend(item["external_id"] for item in page)
            time.sleep(0.3)  # a slow reader: the pages it has not read must not pile up
            ahead.append(len(asked) - number)  # pages asked for but not read yet

    assert sorted(read) == sorted(pair.pair_id for pair in pairs) and len(read) == 12
    assert sorted(asked) == list(range(0, 12, 2))
    assert max(ahead) <= PAGE_WORKERS, ahead  # not all six pages at once
