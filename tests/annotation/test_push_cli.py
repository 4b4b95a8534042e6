"""The push, annotators and progress commands end to end (CliRunner, real server)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = pytest.mark.integration


@pytest.fixture
def run(argilla_target):
    """Invoke the CLI against the test server, as a user would through the environment."""
    runner = CliRunner()
    env = {"RLHF_ARGILLA_API_URL": argilla_target.url, "RLHF_ARGILLA_API_KEY": argilla_target.api_key}

    def invoke(*args: str):
        return runner.invoke(app, list(args), env=env)

    return invoke


def test_push_twice_then_progress(run, workspace, tmp_path):
    pairs_dir = write_pairs(tmp_path / "pairs", make_pairs(5, seed=6))
    first = run("push", str(pairs_dir), "--dataset", "prefs", "--workspace", workspace.name)
    assert first.exit_code == 0, first.output
    # the default --controls 5% adds at least 3 control items
    assert "8 created, 0 updated, 0 unchanged (3 of them control items)" in first.output
    second = run("push", str(pairs_dir), "--dataset", "prefs", "--workspace", workspace.name)
    assert second.exit_code == 0 and "0 created, 0 updated, 8 unchanged" in second.output

    shown = run("progress", "--dataset", "prefs", "--workspace", workspace.name)
    assert shown.exit_code == 0, shown.output
    assert "0/8 records completed" in shown.output and "0 submitted: 8" in shown.output
    off = run("push", str(pairs_dir), "--dataset", "plain", "--workspace", workspace.name, "--controls", "0")
    assert off.exit_code == 0 and "5 created, 0 updated, 0 unchanged (0 of them" in off.output
    bad = run(
        "push", str(pairs_dir), "--dataset", "plain", "--workspace", workspace.name, "--controls", "lots"
    )
    assert bad.exit_code == 2 and "controls must be a count" in bad.output


def test_push_user_errors_are_one_line(run, workspace, tmp_path):
    missing = run("push", str(tmp_path / "nowhere"), "--dataset", "prefs", "--workspace", workspace.name)
    assert missing.exit_code == 1
    assert (
        missing.output.startswith("Error: no pairs.jsonl in")
        and len(missing.output.strip().splitlines()) == 1
    )
    unknown = run("progress", "--dataset", "nope", "--workspace", workspace.name)
    assert unknown.exit_code == 1 and "push pairs first" in unknown.output


def test_annotators_add_prints_password_once_and_list_shows_them(run, argilla_client, workspace):
    import uuid

    name = f"ann-{uuid.uuid4().hex[:8]}"
    try:
        added = run("annotators", "add", name, "--workspace", workspace.name)
        assert added.exit_code == 0, added.output
        assert "created" in added.output
        again = run("annotators", "add", name, "--workspace", workspace.name)
        assert "present" in again.output and "unchanged" in again.output
        listed = run("annotators", "list", "--workspace", workspace.name)
        assert listed.exit_code == 0 and name in listed.output and "annotator" in listed.output
    finally:
        for user in argilla_client.users.list():
            if user.username == name:
                user.delete()


def test_help_has_examples(run):
    for command in (["push"], ["annotators", "add"], ["annotators", "list"], ["progress"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example: rlhf-argilla" in result.output
