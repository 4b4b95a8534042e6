"""Security of the local stack on its own ports (6930-6932) and data dir: no secret on any command line
while `server up` runs, the database, credentials and logs readable only by the user, Redis refusing a
client without its password, and the stack still serving with it (server and worker use Redis)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import httpx
import pytest

from rlhf_argilla.config import load_settings
from rlhf_argilla.server.credentials import redis_password
from rlhf_argilla.server.stack import LocalStack

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(600)]

PORTS = {"stack_port": 6930, "stack_search_port": 6931, "stack_redis_port": 6932, "stack_workers": 1}


def _command_lines() -> list[bytes]:
    lines = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                lines.append(Path(f"/proc/{pid}/cmdline").read_bytes())
            except OSError:  # the process ended meanwhile
                pass
    return lines


@pytest.fixture(scope="module")
def own_stack(session_settings, tmp_path_factory):
    """A fresh stack in its own data dir (the installed server venv linked in, not reinstalled)."""
    data = tmp_path_factory.mktemp("stack-data")
    (data / "server-venv").symlink_to(session_settings.data_dir / "server-venv")
    stack = LocalStack(load_settings(data_dir=data, **PORTS))
    stack.down()
    seen: list[bytes] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            seen.extend(_command_lines())
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        info = stack.up()
    finally:
        done.set()
        sampler.join()
    try:
        yield stack, info, seen, data
    finally:
        stack.down()


def test_no_secret_on_any_command_line_during_server_up(own_stack):
    stack, _, seen, _ = own_stack
    credentials = stack.credentials()
    secrets = [credentials.password, credentials.api_key, redis_password(stack.root)]
    assert any(b"create_default" in line for line in seen)  # the sampler saw the owner being created
    assert any(b"redis-server" in line for line in seen)
    for secret in secrets:
        assert not [line for line in seen if secret.encode() in line]


def test_database_credentials_and_logs_are_the_users_alone(own_stack):
    stack, _, _, data = own_stack
    assert data.stat().st_mode & 0o777 == 0o700
    files = [path for path in stack.root.rglob("*") if not path.is_symlink()]
    assert stack.home / "argilla.db" in files and stack.credentials_file in files
    assert len(files) > 5
    loose = [f"{path} {path.stat().st_mode & 0o777:o}" for path in files if path.stat().st_mode & 0o077]
    assert not loose


def test_redis_refuses_a_client_without_its_password_and_the_stack_serves(own_stack):
    stack, info, _, _ = own_stack
    with socket.create_connection(("127.0.0.1", PORTS["stack_redis_port"]), timeout=5) as client:
        client.sendall(b"PING\r\n")
        assert client.recv(200).startswith(b"-NOAUTH")
        client.sendall(f"AUTH {redis_password(stack.root)}\r\nPING\r\n".encode())
        assert b"+PONG" in client.recv(200)
    me = httpx.get(f"{info.url}/api/v1/me", headers={"X-Argilla-Api-Key": stack.credentials().api_key})
    assert me.status_code == 200 and me.json()["username"] == "argilla"
    assert {part.name: part.pid for part in stack.status()}["worker"]
