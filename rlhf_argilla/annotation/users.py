"""Annotator accounts: create users with role ``annotator`` and give them a workspace.

Users are listed, created and added through the gateway (``ArgillaRest.users``, the one way users
are read). A new user's password is either generated (returned once so the CLI can show it, never
logged or stored) or read from a password file with ``username:password`` lines. Adding an existing
user only makes sure they belong to the workspace; their password is left alone.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rlhf_argilla.errors import ArgillaError, InputError
from rlhf_argilla.gateway import ArgillaRest, argilla_errors, ensure_workspace, find_workspace

if TYPE_CHECKING:
    import argilla as rg

__all__ = [
    "AnnotatorAccount",
    "read_password_file",
    "check_username",
    "add_annotators",
    "list_annotators",
    "MIN_PASSWORD_LENGTH",
]

MIN_PASSWORD_LENGTH = 8  # the server's minimum
_USERNAME = re.compile(r"^(?![-_])[a-z0-9_-]+$")  # what the server accepts

Outcome = Literal["created", "added", "present"]


@dataclass(frozen=True)
class AnnotatorAccount:
    """One ``annotators add`` result; ``password`` is set only when it was generated here."""

    username: str
    role: str
    outcome: Outcome  # created (new user) | added (existing user joined the workspace) | present
    password: str | None = field(default=None, repr=False)


def check_username(username: str) -> str:
    """The username if the server will accept it, else an error saying what is allowed.

    Example:
        >>> check_username("ann-1")
        'ann-1'
    """
    if not _USERNAME.match(username):
        raise InputError(
            f"invalid username {username!r}: use lower-case letters, digits, - and _ (not first)"
        )
    return username


def read_password_file(path: Path) -> dict[str, str]:
    """``{username: password}`` from ``username:password`` lines (blank lines and ``#`` comments skipped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"cannot read password file {path}: {error.strerror}") from None
    passwords: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        username, sep, password = line.strip().partition(":")
        if not sep or len(password) < MIN_PASSWORD_LENGTH:
            # never echo the line: it holds a password
            raise InputError(
                f"{path}:{number}: expected username:password with a password of at least "
                f"{MIN_PASSWORD_LENGTH} characters"
            )
        passwords[check_username(username.strip())] = password
    return passwords


def add_annotators(
    client: rg.Argilla, workspace: str, usernames: list[str], passwords: dict[str, str] | None = None
) -> list[AnnotatorAccount]:
    """Create (or reuse) annotator users and add them to ``workspace`` (created if missing).

    Args:
        client: SDK client with an owner or admin key.
        workspace: workspace the annotators get access to.
        usernames: users to create or add.
        passwords: from :func:`read_password_file`; users missing from it get a generated password.

    Returns:
        One :class:`AnnotatorAccount` per username, in order; generated passwords only on new users.
    """
    passwords = passwords or {}
    for username in usernames:
        check_username(username)
    with argilla_errors(f"adding annotators to {workspace}", wrap_all=True):
        space_id = str(ensure_workspace(client, workspace).id)
        with ArgillaRest.for_client(client) as rest:
            members = {user.username for user in rest.users(space_id)}
            existing = {user.username: user for user in rest.users()}
            accounts = []
            for username in dict.fromkeys(usernames):
                user = existing.get(username)
                if user is None:
                    generated = None if username in passwords else secrets.token_urlsafe(12)
                    user = rest.create_user(username, "annotator", generated or passwords[username])
                    rest.add_member(space_id, user.id)
                    accounts.append(AnnotatorAccount(username, user.role, "created", generated))
                elif username not in members:
                    rest.add_member(space_id, user.id)
                    accounts.append(AnnotatorAccount(username, user.role, "added"))
                else:
                    accounts.append(AnnotatorAccount(username, user.role, "present"))
        return accounts


def list_annotators(client: rg.Argilla, workspace: str) -> list[dict[str, str]]:
    """Members of ``workspace``: ``[{"username", "role"}]`` sorted by username."""
    found = find_workspace(client, workspace)
    if found is None:
        raise ArgillaError(f"no workspace {workspace!r}: add annotators to it first")
    with ArgillaRest.for_client(client) as rest:
        users = [{"username": user.username, "role": user.role} for user in rest.users(str(found.id))]
    return sorted(users, key=lambda row: row["username"])
