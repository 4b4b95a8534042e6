"""Annotator accounts on the real local server: create, password file, re-add, list, refusals."""

from __future__ import annotations

import httpx
import pytest

from rlhf_argilla.annotation.users import add_annotators, list_annotators, read_password_file
from rlhf_argilla.errors import ArgillaError, InputError

pytestmark = pytest.mark.integration


def can_log_in(target, username: str, password: str) -> bool:
    response = httpx.post(
        f"{target.url}/api/v1/token", data={"username": username, "password": password}, timeout=30
    )
    return response.status_code == 201


@pytest.fixture
def usernames(argilla_client, unique_name):
    """Three fresh usernames; the users are deleted after the test."""
    names = [f"{unique_name}-{n}" for n in range(3)]
    yield names
    for user in argilla_client.users.list():
        if user.username in names:
            user.delete()


def test_add_creates_annotators_with_working_passwords(
    argilla_client, argilla_target, workspace, usernames, tmp_path
):
    password_file = tmp_path / "passwords.txt"
    password_file.write_text(f"# team\n{usernames[1]}:correct-horse-battery\n")
    accounts = add_annotators(
        argilla_client, workspace.name, usernames[:2], read_password_file(password_file)
    )

    assert [(a.username, a.role, a.outcome) for a in accounts] == [
        (usernames[0], "annotator", "created"),
        (usernames[1], "annotator", "created"),
    ]
    generated = accounts[0].password
    assert generated and len(generated) >= 8 and accounts[1].password is None
    assert generated not in repr(accounts[0])
    assert can_log_in(argilla_target, usernames[0], generated)
    assert can_log_in(argilla_target, usernames[1], "correct-horse-battery")
    assert not can_log_in(argilla_target, usernames[1], generated)

    members = {row["username"]: row["role"] for row in list_annotators(argilla_client, workspace.name)}
    assert members[usernames[0]] == members[usernames[1]] == "annotator"


def test_add_is_idempotent_and_adds_existing_users_to_the_workspace(
    argilla_client, argilla_target, workspace, usernames, unique_name
):
    import argilla as rg

    first = add_annotators(argilla_client, workspace.name, [usernames[0]])[0]
    again = add_annotators(argilla_client, workspace.name, [usernames[0]])[0]
    assert (again.outcome, again.password) == ("present", None)
    assert can_log_in(argilla_target, usernames[0], first.password)  # password untouched

    other = rg.Workspace(name=f"{unique_name}-other", client=argilla_client).create()
    try:
        moved = add_annotators(argilla_client, other.name, [usernames[0]])[0]
        assert moved.outcome == "added"
        assert usernames[0] in {row["username"] for row in list_annotators(argilla_client, other.name)}
    finally:
        other.delete()


def test_refusals_are_one_line_and_never_echo_passwords(argilla_client, workspace, tmp_path):
    with pytest.raises(InputError, match="invalid username 'Bad Name'"):
        add_annotators(argilla_client, workspace.name, ["Bad Name"])
    short = tmp_path / "short.txt"
    short.write_text("ann:secret7\n")
    with pytest.raises(InputError) as caught:
        read_password_file(short)
    assert "secret7" not in str(caught.value) and "short.txt:1" in str(caught.value)
    with pytest.raises(ArgillaError, match="no workspace"):
        list_annotators(argilla_client, "no-such-workspace-anywhere")
