"""PID-file bookkeeping: stop exactly the process that was started, never a recycled PID."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from rlhf_argilla.server.processes import ManagedProcess, port_is_free


def _part(tmp_path, name="sleeper"):
    return ManagedProcess(name, tmp_path / "run" / f"{name}.pid", tmp_path / "logs" / f"{name}.log")


def test_started_process_runs_logs_and_stops(tmp_path):
    part = _part(tmp_path)
    pid = part.start(
        [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(60)"],
        env=dict(os.environ),
        cwd=tmp_path,
    )

    deadline = time.monotonic() + 20
    while "ready" not in "\n".join(part.tail(5)) and time.monotonic() < deadline:
        time.sleep(0.05)

    assert part.pid() == pid and part.rss_kib() > 0
    assert part.stop() is True
    assert part.pid() is None and not part.pid_file.exists()
    assert "ready" in "\n".join(part.tail(5))


def test_a_pid_file_naming_another_process_is_not_ours(tmp_path):
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        part = _part(tmp_path)
        part.pid_file.parent.mkdir(parents=True)
        part.pid_file.write_text(f"{stranger.pid} 1\n")  # same PID, different start time: recycled

        assert part.pid() is None
        assert part.stop() is False
        assert stranger.poll() is None  # still alive: stop() never signalled it
    finally:
        stranger.kill()
        stranger.wait()


def test_port_is_free_sees_a_listener():
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port_is_free("127.0.0.1", port) is False
