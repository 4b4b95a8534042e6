"""Where Argilla is and how to authenticate: the user's own deployment (URL + key) or the local stack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rlhf_argilla.config import Settings
from rlhf_argilla.errors import ConfigError
from rlhf_argilla.gateway._errors import argilla_errors
from rlhf_argilla.redact import register_secret

if TYPE_CHECKING:
    import argilla as rg

__all__ = ["ArgillaTarget", "resolve_target", "connect"]


@dataclass(frozen=True)
class ArgillaTarget:
    """Where Argilla is and how to authenticate; ``repr`` hides the key."""

    url: str
    api_key: str
    local: bool

    def __repr__(self) -> str:
        return f"ArgillaTarget(url={self.url!r}, api_key='***', local={self.local})"

    @property
    def headers(self) -> dict[str, str]:
        """Headers for raw REST calls (the ones the web UI makes)."""
        return {"X-Argilla-Api-Key": self.api_key}


def resolve_target(settings: Settings) -> ArgillaTarget:
    """Pick the configured server, or the running local stack when no URL is set."""
    if settings.api_url:
        if settings.api_key is None or not settings.api_key.get_secret_value().strip():
            raise ConfigError(
                f"RLHF_ARGILLA_API_URL is set to {settings.api_url} but no API key: set RLHF_ARGILLA_API_KEY"
            )
        return ArgillaTarget(settings.api_url.rstrip("/"), settings.api_key.get_secret_value(), local=False)
    from rlhf_argilla.server.stack import LocalStack

    stack = LocalStack(settings)
    credentials = stack.credentials()
    if credentials is None or not _answers(stack):
        raise ConfigError(
            f"no Argilla server at {stack.url}: run `rlhf-argilla server up`, "
            "or set RLHF_ARGILLA_API_URL and RLHF_ARGILLA_API_KEY for your own deployment"
        )
    key = settings.api_key.get_secret_value() if settings.api_key else credentials.api_key
    return ArgillaTarget(stack.url, key, local=True)


def _answers(stack, attempts: int = 3) -> bool:
    """A busy server (a large bulk write in flight) can be slow on /status: retry before giving up."""
    if not stack.is_running():
        return False
    return any(stack.is_healthy(timeout=10) for _ in range(attempts))


def connect(settings: Settings | ArgillaTarget, timeout: int = 120) -> rg.Argilla:
    """An SDK client for the resolved target (no global default client is relied upon).

    The SDK checks the key on connecting: an unreachable server or a refused key is an ``ArgillaError``.
    """
    import argilla as rg

    target = settings if isinstance(settings, ArgillaTarget) else resolve_target(settings)
    register_secret(target.api_key)  # whatever fails from here on, the key is masked
    with argilla_errors(url=target.url):
        return rg.Argilla(api_url=target.url, api_key=target.api_key, timeout=timeout)
