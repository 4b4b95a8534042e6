"""Integration: `review --watch` routes a response submitted while it runs, from the real server's webhook,
rejects unsigned events, and exits cleanly on Ctrl-C (removing its webhook)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from rlhf_argilla.annotation.review import review_names
from rlhf_argilla.annotation.webhooks import webhook_description
from tests.annotation.review_setup import first_round, post_response, values

pytestmark = pytest.mark.integration
TIMEOUT = 30.0  # start-up with its catch-up pass, and the exit after Ctrl-C
ROUTE_TIMEOUT = 5.0  # issue #12: a response submitted while the watch runs is routed within a few seconds


def _wait_for(condition, output: list[str], timeout: float = TIMEOUT, step: float = 0.1):
    """Poll ``condition`` until it holds; on timeout the failure shows what the watch printed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s; the watch printed:\n{''.join(output)}")


def _review_ids(rest, name) -> set[str]:
    dataset, space = review_names(name, name)
    found = rest.require_dataset(dataset, space)
    return {item["external_id"] for page, _ in rest.record_pages(found["id"], include=()) for item in page}


def _read_lines(process, lines: list[str]) -> threading.Thread:
    def pump():
        for line in process.stdout:
            lines.append(line)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def test_watch_routes_a_response_submitted_while_it_runs_and_stops_on_ctrl_c(
    argilla_client, argilla_settings, argilla_target, tmp_path
):
    with first_round(argilla_client, argilla_settings, argilla_target, tmp_path, extra=1) as round_:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "200",
            "RLHF_ARGILLA_WORKSPACE": round_.name,
            "RLHF_ARGILLA_STACK_PORT": str(argilla_settings.stack_port),
            "RLHF_ARGILLA_DATA_DIR": str(argilla_settings.data_dir),
        }
        if argilla_settings.api_url:
            env["RLHF_ARGILLA_API_URL"] = argilla_settings.api_url
            env["RLHF_ARGILLA_API_KEY"] = argilla_settings.api_key.get_secret_value()
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "rlhf-argilla"),
                "review",
                "--dataset",
                round_.name,
                "--watch",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: list[str] = []
        pump = _read_lines(process, lines)
        try:
            # the startup pass catches up on the three pairs answered before the watch started
            _wait_for(lambda: any("added 3" in line for line in lines), lines)
            url = next(line for line in lines if "Listening" in line).split(" at ")[1].split()[0]
            assert url.startswith("http://127.0.0.1:")
            # an unsigned event is refused
            forged = httpx.post(url, json={"type": "response.created", "data": {}}, timeout=10)
            assert forged.status_code == 401
            # a split vote submitted now, through the UI's endpoint, is routed by the webhook
            new_pair = round_.pairs["extra-0"]
            assert new_pair.pair_id not in _review_ids(round_.rest, round_.name)
            keys = list(round_.keys.values())
            record_id = round_.server_ids["extra-0"]
            post_response(argilla_target.url, keys[0], record_id, values("a", {}))
            post_response(argilla_target.url, keys[1], record_id, values("b", {}))
            started = time.monotonic()
            _wait_for(lambda: new_pair.pair_id in _review_ids(round_.rest, round_.name), lines, ROUTE_TIMEOUT)
            print(f"routed {time.monotonic() - started:.2f} s after the second response")
            assert "Routing failed" not in "".join(lines)
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=TIMEOUT)
            pump.join(timeout=5)
        output = "".join(lines)
        assert code == 0, output
        assert "Stopped watching" in output
        description = webhook_description(round_.name, round_.name)
        assert [hook for hook in argilla_client.webhooks if hook.description == description] == []
