"""Settings come from env, the toml file and overrides, in that precedence; secrets never show."""

from __future__ import annotations

import pytest

from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import ConfigError


def test_toml_env_and_overrides_in_precedence_order(isolated_env, monkeypatch):
    (isolated_env / "rlhf-argilla.toml").write_text(
        'workspace = "from-toml"\nstack_port = 7000\nbackend = "anthropic"\n'
    )
    monkeypatch.setenv("RLHF_ARGILLA_STACK_PORT", "7100")

    settings = load_settings(backend="embedded")

    assert settings.workspace == "from-toml"
    assert settings.stack_port == 7100
    assert settings.backend == "embedded"


def test_secrets_are_read_from_standard_variables_and_redacted(isolated_env, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-very-secret")
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")

    settings = load_settings()
    shown = settings.redacted()

    assert settings.anthropic_api_key.get_secret_value() == "sk-ant-very-secret"
    assert shown["anthropic_api_key"] == "***" and shown["hf_token"] == "***" and shown["api_key"] is None
    assert "secret" not in repr(settings) and "secret" not in str(shown)


def test_remote_deployment_is_configured_by_url_and_key(isolated_env, monkeypatch):
    monkeypatch.setenv("RLHF_ARGILLA_API_URL", "https://argilla.example.org")
    monkeypatch.setenv("ARGILLA_API_KEY", "team.key")

    settings = load_settings()

    assert settings.api_url == "https://argilla.example.org" and not settings.uses_local_stack
    assert settings.api_key.get_secret_value() == "team.key"


def test_unknown_toml_key_is_a_one_line_config_error(isolated_env):
    (isolated_env / "rlhf-argilla.toml").write_text('workspase = "typo"\n')

    with pytest.raises(ConfigError) as raised:
        load_settings()

    assert "workspase" in str(raised.value) and "\n" not in str(raised.value)


def test_invalid_value_names_the_setting(isolated_env, monkeypatch):
    monkeypatch.setenv("RLHF_ARGILLA_STACK_PORT", "99999")

    with pytest.raises(ConfigError, match="stack_port"):
        load_settings()
