"""`rlhf-argilla publish`: dry run, a real upload to the fake Hub, one-line errors that never show the token."""

from __future__ import annotations

from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from tests.fakes.hub_fixtures import built_dataset, hub  # noqa: F401
from tests.fakes.hub_server import VALID_TOKEN

runner = CliRunner()
REPO = "alice/fitness-preferences"


def test_dry_run_needs_no_token_and_writes_the_upload(hub, built_dataset, tmp_path):
    result = runner.invoke(
        app, ["publish", str(built_dataset), "--repo-id", REPO, "--dry-run", str(tmp_path / "dry")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dry" / "README.md").read_bytes() == (built_dataset / "README.md").read_bytes()
    assert hub.requests == []


def test_publish_with_token_from_env(hub, built_dataset, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", VALID_TOKEN)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    result = runner.invoke(app, ["publish", str(built_dataset), "--repo-id", REPO, "--private", "-m", "v1"])
    assert result.exit_code == 0, result.output
    assert hub.repos[f"datasets/{REPO}"].commits[-1]["summary"] == "v1"
    assert VALID_TOKEN not in result.output and "Commit:" in result.output


def test_errors_are_one_line_and_never_show_the_token(hub, built_dataset, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_TOKEN", "hf_not_accepted_secret")
    for args, expected in (
        (["--repo-id", "no owner"], "invalid repo id"),
        (["--repo-id", REPO], "rejected the token (401)"),
    ):
        result = runner.invoke(app, ["publish", str(built_dataset), *args])
        assert result.exit_code == 1 and expected in result.output, result.output
        assert "hf_not_accepted_secret" not in result.output and "Traceback" not in result.output
