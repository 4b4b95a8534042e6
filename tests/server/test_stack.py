"""The local stack's lifecycle, on its own ports: idempotent up, clear errors, down leaves nothing."""

from __future__ import annotations

import os
import signal

import httpx
import pytest

from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import StackError
from rlhf_argilla.server.stack import LocalStack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PORTS = {"stack_port": 6950, "stack_search_port": 6951, "stack_redis_port": 6952}


@pytest.fixture(scope="module")
def stack(session_settings):
    # same data dir as the developer's stack (shares the server venv), own ports -> own stack folder
    own = LocalStack(load_settings(data_dir=session_settings.data_dir, **PORTS))
    own.down()
    yield own
    own.down()


def _pids(stack: LocalStack) -> dict[str, int | None]:
    return {part.name: part.pid for part in stack.status()}


def test_up_twice_starts_one_stack_that_serves_api_and_ui(stack):
    first = stack.up()
    pids = _pids(stack)
    second = stack.up()

    assert first.started and not second.started
    assert _pids(stack) == pids and all(pids.values())
    status = httpx.get(f"{first.url}/api/v1/status", timeout=10)
    assert status.status_code == 200 and status.json()["version"] == "2.8.0"
    page = httpx.get(f"{first.url}/", timeout=10)
    assert page.status_code == 200 and "<title>Argilla" in page.text
    me = httpx.get(
        f"{first.url}/api/v1/me", headers={"X-Argilla-Api-Key": first.credentials.api_key}, timeout=10
    )
    assert me.status_code == 200 and me.json()["role"] == "owner"
    assert first.credentials.password != "1234" and first.credentials.api_key != "argilla.apikey"
    assert oct(stack.credentials_file.stat().st_mode & 0o777) == "0o600"


def test_a_second_stack_on_a_taken_port_fails_with_one_line(stack):
    stack.up()
    clash = LocalStack(
        load_settings(
            data_dir=stack.settings.data_dir,
            stack_port=6955,
            stack_search_port=PORTS["stack_search_port"],
            stack_redis_port=6957,
        )
    )

    with pytest.raises(StackError, match="port 6951 .* in use"):
        clash.up()
    assert not clash.is_running()


def test_a_dead_part_is_named_with_its_log(stack):
    stack.up()
    redis_pid = _pids(stack)["redis"]
    os.kill(redis_pid, signal.SIGKILL)
    import time

    deadline = time.monotonic() + 10
    while stack.parts["redis"].is_running() and time.monotonic() < deadline:
        time.sleep(0.1)

    with pytest.raises(StackError, match=r"'redis' has died .*redis\.log"):
        stack.up()


def test_down_stops_every_process_it_started_and_nothing_else(stack, argilla_target):
    stack.down()
    stack.up()
    pids = [pid for pid in _pids(stack).values() if pid]

    stopped = stack.down()

    assert set(stopped) == {"redis", "search", "server", "worker"}
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
    assert not stack.is_healthy()
    # the session's other stack (another port) is untouched
    assert httpx.get(f"{argilla_target.url}/api/v1/status", timeout=10).status_code == 200
    assert stack.logs("server", 5)["server"]  # logs are kept after down
