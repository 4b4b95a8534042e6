"""Shared fixtures. Integration tests talk to a real Argilla server:

* ``RLHF_ARGILLA_API_URL`` + ``RLHF_ARGILLA_API_KEY`` set: that server is used as is;
* else a healthy local stack on the default port (a developer's ``rlhf-argilla server up``) is reused;
* else the session starts its own stack on test ports, on a fresh database, and stops it at the end.

Every test runs isolated (autouse ``_isolated``): no ``RLHF_ARGILLA_*``/``ARGILLA_*``/secret variables, an
empty working folder (no stray ``rlhf-argilla.toml``) and a fresh default data dir. The developer's real
settings are read once at session start, before any isolation (``session_settings``); the Argilla
fixtures and the tests that start their own stacks (sharing the installed server venv) build on them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from rlhf_argilla.config import Settings, load_settings

pytest_plugins = ["tests.fakes.fixtures"]  # messages_api, anthropic_settings

TEST_PORTS = {"stack_port": 6920, "stack_search_port": 6921, "stack_redis_port": 6922}
REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


ISOLATED_PREFIXES = ("RLHF_ARGILLA_", "ARGILLA_", "ANTHROPIC_")
ISOLATED_NAMES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT")


@pytest.fixture(scope="session", autouse=True)
def session_settings() -> Settings:
    """The developer's (or CI's) own settings, read once before any test isolates the environment."""
    return load_settings()


@pytest.fixture(autouse=True)
def _isolated(session_settings, monkeypatch, tmp_path, tmp_path_factory) -> None:
    """Every test: no project/secret variables, cwd = its tmp_path, a fresh empty default data dir."""
    for name in list(os.environ):
        if name.startswith(ISOLATED_PREFIXES) or name in ISOLATED_NAMES:
            monkeypatch.delenv(name)
    # platformdirs' default data dir; a neutral name (the test's own name may be in an assertion's way)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def isolated_env(tmp_path) -> Path:
    """The test's empty working folder (every test is isolated, see ``_isolated``)."""
    return tmp_path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real HH-RLHF sample in ../shared/data (present in CI); skip where it is absent."""
    sample = SHARED_DATA / "hh-rlhf-sample"
    if not sample.is_dir():
        pytest.skip(f"HH-RLHF sample not found at {sample} (it lives in ../shared/data next to the repo)")
    return sample


@pytest.fixture(scope="session")
def argilla_settings(session_settings) -> Settings:
    """Settings that point at a healthy real Argilla server (see module docstring)."""
    from rlhf_argilla.server.stack import LocalStack

    settings = session_settings
    if settings.api_url:
        yield settings
        return
    if LocalStack(settings).is_healthy():
        yield settings
        return
    test_settings = settings.model_copy(update=TEST_PORTS)
    stack = LocalStack(test_settings, echo=print)
    started = False
    if not stack.is_healthy():
        stack.down()
        shutil.rmtree(stack.home, ignore_errors=True)
        stack.up()
        started = True
    try:
        yield test_settings
    finally:
        if started and not os.environ.get("RLHF_ARGILLA_KEEP_TEST_STACK"):
            stack.down()


@pytest.fixture(scope="session")
def argilla_target(argilla_settings):
    from rlhf_argilla.gateway import resolve_target

    return resolve_target(argilla_settings)


@pytest.fixture(scope="session")
def argilla_client(argilla_settings):
    from rlhf_argilla.gateway import connect

    return connect(argilla_settings)


@pytest.fixture
def unique_name(request) -> str:
    """A name no other test (or earlier run) uses: test name + random suffix."""
    base = "".join(ch if ch.isalnum() else "-" for ch in request.node.name.lower())[:30].strip("-")
    return f"t-{base}-{uuid.uuid4().hex[:8]}"


@contextmanager
def _fresh_workspace(client, name: str):
    import argilla as rg

    created = rg.Workspace(name=name, client=client).create()
    try:
        yield created
    finally:
        for dataset in list(created.datasets):
            dataset.delete()
        created.delete()


@pytest.fixture
def workspace(argilla_client, unique_name):
    """A fresh workspace, deleted with its datasets after the test."""
    with _fresh_workspace(argilla_client, unique_name) as created:
        yield created


@pytest.fixture(scope="module")
def module_workspace(argilla_client):
    """A fresh workspace shared by one test module, deleted with its datasets afterwards."""
    with _fresh_workspace(argilla_client, f"t-module-{uuid.uuid4().hex[:8]}") as created:
        yield created
