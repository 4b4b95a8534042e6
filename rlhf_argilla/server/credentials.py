"""Owner credentials of a local stack: generated on first start, stored readable only by the user."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Credentials", "load_or_create_credentials", "read_credentials"]

OWNER_USERNAME = "argilla"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    api_key: str

    def __repr__(self) -> str:  # never leak secrets through logs or tracebacks
        return f"Credentials(username={self.username!r}, password='***', api_key='***')"


def read_credentials(path: Path) -> Credentials | None:
    """The stored credentials, or None if the stack was never initialised."""
    try:
        return Credentials(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def load_or_create_credentials(path: Path) -> Credentials:
    """Read the credentials file, creating it (mode 0600) with fresh random secrets if absent."""
    existing = read_credentials(path)
    if existing is not None:
        return existing
    created = Credentials(
        username=OWNER_USERNAME,
        password=secrets.token_urlsafe(12),
        api_key=f"rlhf.{secrets.token_urlsafe(24)}",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(asdict(created), handle)
    return created
