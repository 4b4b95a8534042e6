"""pytest fixtures around the fakes (registered from tests/conftest.py via ``pytest_plugins``)."""

from __future__ import annotations

import pytest

from tests.fakes.messages_api import FakeMessagesAPI

FAKE_API_KEY = "sk-ant-test-not-a-real-key"


@pytest.fixture
def messages_api():
    """A fresh loopback Messages API (no latency, key ``FAKE_API_KEY``), stopped after the test."""
    with FakeMessagesAPI(api_key=FAKE_API_KEY) as api:
        yield api


@pytest.fixture
def anthropic_settings(messages_api, tmp_path):
    """Settings for the anthropic backend pointing at ``messages_api``, state under ``tmp_path``."""
    from rlhf_argilla.config import load_settings

    return load_settings(
        backend="anthropic",
        anthropic_api_key=FAKE_API_KEY,
        anthropic_base_url=messages_api.url,
        data_dir=tmp_path / "data",
    )
