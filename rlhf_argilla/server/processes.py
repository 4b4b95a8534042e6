"""Detached processes tracked by PID files: start, identify, measure and stop exactly them.

A PID file holds ``<pid> <start time>``; the start time (from ``/proc``) guards against a
recycled PID, so ``stop`` never signals a process it did not start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ManagedProcess", "port_is_free"]


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may contain spaces; fields after it are space separated
    fields = stat.rsplit(")", 1)[1].split()
    return fields[19]  # field 22 of stat: start time in clock ticks since boot


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == pgid:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def port_is_free(host: str, port: int) -> bool:
    """True if nothing listens on ``host:port`` (a bind would succeed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _user_only(path: str, flags: int) -> int:
    """``open`` opener: a new file is created readable only by the user (logs may quote secrets)."""
    return os.open(path, flags, 0o600)


@dataclass(frozen=True)
class ManagedProcess:
    """One long-lived part of the stack, known by name, PID file and log file."""

    name: str
    pid_file: Path
    log_file: Path

    def start(self, argv: list[str], env: dict[str, str], cwd: Path) -> int:
        """Start ``argv`` in its own session (it outlives the shell), logging to ``log_file``."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.log_file, "ab", opener=_user_only) as log:
            child = subprocess.Popen(
                argv,
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=0o077,  # what the stack writes (database, indexes, logs) is the user's alone
            )
        with open(self.pid_file, "w", opener=_user_only) as handle:
            handle.write(f"{child.pid} {_start_time(child.pid) or ''}\n")
        return child.pid

    def pid(self) -> int | None:
        """The PID of the process this file describes, if that very process still runs."""
        try:
            pid_text, _, started = self.pid_file.read_text().strip().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):
            return None
        now = _start_time(pid)
        if now is None or (started and now != started):
            return None
        try:  # a zombie (exited, not yet reaped) is not running
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return None
        except OSError:
            return None
        return pid

    def is_running(self) -> bool:
        return self.pid() is not None

    def was_started(self) -> bool:
        """True if a PID file exists (the process may have died since)."""
        return self.pid_file.exists()

    def rss_kib(self) -> int:
        """Resident memory of the process and every process of its group (its workers)."""
        pid = self.pid()
        if pid is None:
            return 0
        return sum(_rss_kib(member) for member in _group_pids(pid))

    def stop(self, timeout: float = 15.0) -> bool:
        """SIGTERM the process group, SIGKILL after ``timeout``; remove the PID file.

        Returns True if a running process was stopped.
        """
        pid = self.pid()
        stopped = False
        if pid is not None:
            stopped = True
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _group_pids(pid):
                _reap(pid)
                time.sleep(0.1)
            for member in _group_pids(pid):
                try:
                    os.kill(member, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            _reap(pid)
        self.pid_file.unlink(missing_ok=True)
        return stopped

    def tail(self, lines: int) -> list[str]:
        """The last ``lines`` lines of the log file."""
        try:
            with open(self.log_file, "rb") as log:
                log.seek(0, os.SEEK_END)
                size = log.tell()
                log.seek(max(0, size - 256 * 1024))
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return []
        return text.splitlines()[-lines:] if lines > 0 else []


def _reap(pid: int) -> None:
    """Collect the exit status if ``pid`` is our own child (started in this Python process)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
