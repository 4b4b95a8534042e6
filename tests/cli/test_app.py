"""The root command: help lists the command groups, errors are one line with exit code 1."""

from __future__ import annotations

from typer.testing import CliRunner

from rlhf_argilla.cli.app import app

runner = CliRunner()


def test_help_lists_the_command_groups():
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    for group in ("server", "config"):
        assert group in result.output


def test_config_show_masks_secrets(monkeypatch, isolated_env):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-do-not-print")

    result = runner.invoke(app, ["config", "show", "--json"])

    assert result.exit_code == 0, result.output
    assert "sk-ant-do-not-print" not in result.output
    assert '"anthropic_api_key": "***"' in result.output


def test_user_error_is_one_red_line_and_exit_1(isolated_env):
    (isolated_env / "rlhf-argilla.toml").write_text("stack_port = 0\n")

    result = runner.invoke(app, ["config", "show"])

    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and "stack_port" in result.output
    assert "Traceback" not in result.output
