"""``rlhf-argilla generate prompts|pairs`` through the real typer app (anthropic backend on the loopback API)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from rlhf_argilla.schema import PAIRS_FILE, PROMPTS_FILE
from tests.fakes.fixtures import FAKE_API_KEY
from tests.fakes.messages_api import FakeMessagesAPI
from tests.generation.fitness_responder import fitness_responder

runner = CliRunner()


@pytest.fixture
def fitness_api(messages_api):
    messages_api.responder = fitness_responder
    return messages_api


@pytest.fixture
def fake_env(monkeypatch, tmp_path, fitness_api):
    """Environment pointing the CLI at the loopback Messages API, state under tmp_path."""
    env = {
        "RLHF_ARGILLA_DATA_DIR": str(tmp_path / "data"),
        "RLHF_ARGILLA_ANTHROPIC_API_KEY": FAKE_API_KEY,
        "RLHF_ARGILLA_ANTHROPIC_BASE_URL": fitness_api.url,
        "RLHF_ARGILLA_BACKEND": "anthropic",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _one_error_line(result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and all(needle in errors[0] for needle in needles), result.output


def test_help_has_an_example():
    for command in ("prompts", "pairs"):
        result = runner.invoke(app, ["generate", command, "--help"])
        assert result.exit_code == 0 and "Example: rlhf-argilla generate" in result.output


def test_unknown_or_empty_subtopic_filter_is_one_line(tmp_path):
    _one_error_line(
        runner.invoke(
            app, ["generate", "prompts", "-n", "5", "--subtopics", "yoga_for_cats", "--out", str(tmp_path)]
        ),
        "unknown subtopic",
        "running",
    )
    _one_error_line(
        runner.invoke(app, ["generate", "prompts", "-n", "5", "--subtopics", " , ", "--out", str(tmp_path)]),
        "selects nothing",
    )
    assert not (tmp_path / PROMPTS_FILE).exists()


def test_missing_api_key_names_the_variable(monkeypatch, tmp_path):
    for name in ("ANTHROPIC_API_KEY", "RLHF_ARGILLA_ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RLHF_ARGILLA_DATA_DIR", str(tmp_path / "data"))
    result = runner.invoke(
        app, ["generate", "prompts", "-n", "3", "--backend", "anthropic", "--out", str(tmp_path)]
    )
    _one_error_line(result, "ANTHROPIC_API_KEY")


def test_invalid_model_is_one_line(fake_env, tmp_path):
    result = runner.invoke(
        app, ["generate", "prompts", "-n", "3", "--model", "claude-nonexistent-9", "--out", str(tmp_path)]
    )
    _one_error_line(result, "claude-nonexistent-9")


@pytest.mark.slow
def test_prompts_then_pairs_print_usage_and_tie_rate(fake_env, fitness_api, tmp_path):
    out = tmp_path / "gen"
    result = runner.invoke(app, ["generate", "prompts", "-n", "15", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "LLM usage" in result.output and "Wrote 15 prompts (15 allocated) over 15 subtopics" in result.output
    )
    result = runner.invoke(app, ["generate", "pairs", "--prompts", str(out), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 15 pairs for 15 prompts" in result.output and "judge-predicted tie rate" in result.output
    assert len((out / PAIRS_FILE).read_text().splitlines()) == 15
    assert FAKE_API_KEY not in (out / PAIRS_FILE).read_text() + (out / "pairs.summary.json").read_text()


def test_batch_mode_prints_the_batch_status_without_a_terminal(fake_env, fitness_api, monkeypatch, tmp_path):
    monkeypatch.setenv("RLHF_ARGILLA_BATCH_POLL_S", "0.1")
    fitness_api.batches.delay_s = 0.5
    result = runner.invoke(app, ["generate", "prompts", "-n", "4", "--batch", "--out", str(tmp_path / "gen")])
    assert result.exit_code == 0, result.output
    status = [line for line in result.output.splitlines() if line.startswith("batch: ")]
    assert status and "1 batch(es) live, 4 requests processing" in status[0], result.output
    assert "0 batch(es) live" in status[-1] and "4 answered" in status[-1]
    assert len(status) == len(set(status))  # a line per change, not per poll
    assert fitness_api.batches.creates == 1 and fitness_api.message_calls == 0


def _24_prompts_on(api, tmp_path):
    """Settings and a CLI environment on the loopback API, with 24 prompts generated in tmp_path/gen."""
    from rlhf_argilla.config import load_settings
    from rlhf_argilla.generation.prompts import generate_prompts

    data = tmp_path / "data"
    settings = load_settings(
        backend="anthropic", anthropic_api_key=FAKE_API_KEY, anthropic_base_url=api.url, data_dir=data
    )
    generate_prompts(settings, 24, tmp_path / "gen")
    env = {
        **os.environ,
        "RLHF_ARGILLA_DATA_DIR": str(data),
        "RLHF_ARGILLA_BACKEND": "anthropic",
        "RLHF_ARGILLA_ANTHROPIC_API_KEY": FAKE_API_KEY,
        "RLHF_ARGILLA_ANTHROPIC_BASE_URL": api.url,
    }
    return settings, env


@pytest.mark.slow
def test_killed_run_resumes_without_repeating_finished_calls(monkeypatch, tmp_path):
    """SIGKILL the CLI mid-run (the whole process group), rerun: only unfinished calls are made."""
    from rlhf_argilla.generation.pairs import generate_pairs
    from rlhf_argilla.generation.prompts import read_prompts
    from rlhf_argilla.llms.cache import CACHE_FILE_NAME, ResponseCache

    out = tmp_path / "gen"
    with FakeMessagesAPI(api_key=FAKE_API_KEY, responder=fitness_responder, latency_s=0.3) as api:
        settings, env = _24_prompts_on(api, tmp_path)
        cache = ResponseCache(settings.data_dir / "cache" / CACHE_FILE_NAME)
        prompt_calls = len(cache)
        api.reset_counts()
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "rlhf-argilla"),
                "generate",
                "pairs",
                "--prompts",
                str(out),
                "--out",
                str(out),
            ],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "stderr.txt").open("w"),
        )
        deadline = time.monotonic() + 120
        while len(cache) - prompt_calls < 12 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        finished = len(cache) - prompt_calls
        assert 0 < finished < 24 * 4, (tmp_path / "stderr.txt").read_text()[-3000:]
        assert not (out / PAIRS_FILE).exists()

        api.wait_idle()  # the server finishes the requests the killed client had in flight
        api.reset_counts()
        result = generate_pairs(settings, read_prompts(out), out)
        assert api.successful_calls == 24 * 4 - finished
        assert len(result.pairs) == 24
        cache.close()


@pytest.mark.slow
def test_ctrl_c_exits_130_and_leaves_no_pairs_file_then_a_rerun_resumes(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) mid-run: exit 130 with one line, no
    pairs file that looks complete (distilabel would return the partial rows as if finished); a rerun
    makes only the missing calls and writes all pairs."""
    from rlhf_argilla.llms.cache import CACHE_FILE_NAME, ResponseCache
    from rlhf_argilla.schema import PAIRS_SUMMARY_FILE

    out = tmp_path / "gen"
    with FakeMessagesAPI(api_key=FAKE_API_KEY, responder=fitness_responder, latency_s=0.3) as api:
        settings, env = _24_prompts_on(api, tmp_path)
        cache = ResponseCache(settings.data_dir / "cache" / CACHE_FILE_NAME)
        prompt_calls = len(cache)
        command = [str(Path(sys.executable).parent / "rlhf-argilla"), "generate", "pairs", "--prompts"]
        command += [str(out), "--out", str(out)]
        process = subprocess.Popen(
            command,
            env=env,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while len(cache) - prompt_calls < 12 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
        finished = len(cache) - prompt_calls

        assert process.returncode == 130, stdout + stderr
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert lines[-1].startswith("Interrupted:") and "rerun" in lines[-1], stderr
        assert "Traceback" not in stdout + stderr and "Wrote" not in stdout, stdout + stderr
        assert 0 < finished < 24 * 4
        assert not (out / PAIRS_FILE).exists() and not (out / PAIRS_SUMMARY_FILE).exists()

        api.wait_idle()
        api.reset_counts()
        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert api.successful_calls <= 24 * 4 - finished + 8  # the interrupted run's in-flight calls
        assert len((out / PAIRS_FILE).read_text().splitlines()) == 24
        cache.close()
