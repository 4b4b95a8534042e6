"""Test helper: make the CLI (which builds its own settings) talk to the test's Argilla server."""

from __future__ import annotations

from rlhf_argilla.config import Settings


def point_cli_at(monkeypatch, settings: Settings) -> None:
    """Set the environment so ``load_settings()`` inside a CLI command resolves to ``settings``'s server."""
    monkeypatch.setenv("RLHF_ARGILLA_STACK_PORT", str(settings.stack_port))
    monkeypatch.setenv("RLHF_ARGILLA_DATA_DIR", str(settings.data_dir))
    if settings.api_url:
        monkeypatch.setenv("RLHF_ARGILLA_API_URL", settings.api_url)
    if settings.api_key:
        monkeypatch.setenv("RLHF_ARGILLA_API_KEY", settings.api_key.get_secret_value())
