"""The error boundary: no locals in any traceback, secrets redacted, one line, a log for the unexpected."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from rlhf_argilla.errors import explain
from rlhf_argilla.redact import redact

SECRET = "rlhf.PLANTEDdummySECRET123"


def test_distilabel_import_installs_no_locals_traceback():
    script = (
        "import rlhf_argilla, distilabel\n"
        "def connect(api_key):\n"
        "    raise RuntimeError('boom')\n"
        f"connect({SECRET!r})\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "boom" in done.stderr
    assert SECRET not in done.stderr and "locals" not in done.stderr


def test_unexpected_error_is_one_line_with_a_redacted_log(monkeypatch, tmp_path):
    monkeypatch.setenv("RLHF_ARGILLA_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("MY_SERVICE_TOKEN", "planted-token-value")
    from rlhf_argilla.cli import config as config_cli

    def explode(*args, **kwargs):
        raise ZeroDivisionError("planted-token-value divided")

    monkeypatch.setattr(config_cli, "load_settings", explode, raising=False)
    monkeypatch.setattr("rlhf_argilla.cli.common.load_settings", explode)
    result = CliRunner().invoke(app, ["config", "show"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "unexpected ZeroDivisionError" in lines[0] and "--verbose" in lines[0]
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and str(logs[0]) in lines[0] and oct(logs[0].stat().st_mode)[-3:] == "600"
    text = logs[0].read_text()
    assert "Traceback" in text and "planted-token-value" not in text + result.output


def test_redact_masks_env_registered_and_shaped_secrets(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "anthropic-planted-value")
    text = redact("a anthropic-planted-value b sk-ant-abc123456789 c hf_abcdefghijklmnop d " + SECRET)
    assert text == "a *** b *** c *** d ***"


def test_explain_maps_user_faults_and_leaves_bugs_alone():
    assert "cannot write /x" in explain(PermissionError(13, "Permission denied", "/x"))
    assert "not UTF-8" in explain(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"))
    assert explain(KeyError("bug")) is None


def test_a_closed_pipe_is_quiet(monkeypatch, tmp_path):
    """`rlhf-argilla ... | head`: the reader went away; no 'unexpected BrokenPipeError', no traceback."""
    monkeypatch.setenv("RLHF_ARGILLA_LOG_DIR", str(tmp_path / "logs"))

    def reader_gone(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("rlhf_argilla.cli.common.load_settings", reader_gone)
    inside = CliRunner().invoke(app, ["config", "show"])
    assert inside.exit_code != 0 and "unexpected" not in inside.output and "Error" not in inside.output
    assert not (tmp_path / "logs").exists()

    for args in (["--help"], ["push", "--help"], ["config", "show"]):
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "rlhf-argilla"), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        process.stdout.close()  # gone before the first write
        assert process.wait(timeout=120) != 0
        stderr = process.stderr.read().decode()
        assert "unexpected" not in stderr and "Traceback" not in stderr and "Error" not in stderr, stderr
