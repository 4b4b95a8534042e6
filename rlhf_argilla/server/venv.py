"""The Argilla server's own virtualenv (it pins ``click<8.2``, which the project's stack cannot)."""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
from importlib import resources
from pathlib import Path

from rlhf_argilla.errors import StackError

__all__ = ["ensure_server_venv", "server_requirements"]


def server_requirements() -> str:
    """The pinned requirements of the server venv, shipped with the package."""
    return resources.files("rlhf_argilla.server").joinpath("requirements-server.txt").read_text()


def _uv_binary() -> str | None:
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return None


def ensure_server_venv(data_dir: Path, on_install=None) -> Path:
    """Return the server venv's Python, creating and installing the venv if needed.

    Safe to call concurrently (file lock) and cheap when the venv matches the pinned
    requirements (a marker holds their hash). ``on_install`` is called before a slow install.
    """
    venv = data_dir / "server-venv"
    python = venv / "bin" / "python"
    marker = venv / ".requirements.sha256"
    requirements = server_requirements()
    digest = hashlib.sha256(requirements.encode()).hexdigest()
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".server-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if python.exists() and marker.exists() and marker.read_text().strip() == digest:
            return python
        if on_install is not None:
            on_install(venv)
        log_path = data_dir / "server-venv-install.log"
        req_file = data_dir / "server-requirements.txt"
        req_file.write_text(requirements)
        uv = _uv_binary()
        if uv:
            steps = [
                [uv, "venv", "--allow-existing", "--python", sys.executable, str(venv)],
                [uv, "pip", "install", "--python", str(python), "-r", str(req_file)],
            ]
        else:
            steps = [
                [sys.executable, "-m", "venv", str(venv)],
                [str(python), "-m", "pip", "install", "-r", str(req_file)],
            ]
        with open(log_path, "w") as log:
            for step in steps:
                result = subprocess.run(step, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                if result.returncode != 0:
                    raise StackError(
                        f"installing the Argilla server venv failed (exit {result.returncode}); see {log_path}"
                    )
        marker.write_text(digest + "\n")
        return python
