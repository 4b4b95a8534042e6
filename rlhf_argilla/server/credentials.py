"""Owner credentials of a local stack: generated on first start, stored readable only by the user."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "Credentials",
    "load_or_create_credentials",
    "read_credentials",
    "redis_password",
    "redis_config",
    "private",
]

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
    _write_private(path, json.dumps(asdict(created)))
    return created


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def redis_password(root: Path) -> str:
    """The stack's Redis password (``root/redis.secret``, 0600), created on first use."""
    path = root / "redis.secret"
    if not path.is_file():
        _write_private(path, secrets.token_urlsafe(24))
    return path.read_text().strip()


def redis_config(root: Path) -> Path:
    """A 0600 Redis config holding ``requirepass`` (so the password is on no command line)."""
    path = root / "redis.conf"
    _write_private(path, f"requirepass {redis_password(root)}\n")
    return path


def private(*folders: Path) -> None:
    """Make ``folders`` and everything the stack wrote in them the user's alone: folders 0700, files
    0600 (executables keep their x bit for the user only). The server's virtualenv is left as it is."""
    for folder in folders:
        if not folder.is_dir():
            continue
        folder.chmod(0o700)
        for path in folder.rglob("*"):
            if "server-venv" in path.parts or path.is_symlink():
                continue
            if path.is_dir():
                path.chmod(0o700)
            else:
                path.chmod(0o700 if path.stat().st_mode & 0o100 else 0o600)
