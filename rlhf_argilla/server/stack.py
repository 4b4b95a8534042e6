"""A real local Argilla 2.8 stack without Docker: Redis, osmem (search), server and worker.

Everything lives under ``<data_dir>/stacks/<port>/`` (database, logs, PID files, credentials),
so stacks on different ports never share state. The server venv is shared across stacks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from rlhf_argilla.config import Settings
from rlhf_argilla.errors import StackError
from rlhf_argilla.server.credentials import (
    Credentials,
    load_or_create_credentials,
    private,
    read_credentials,
    redis_config,
    redis_password,
)
from rlhf_argilla.server.processes import ManagedProcess, port_is_free
from rlhf_argilla.server.venv import ensure_server_venv

__all__ = ["LocalStack", "PartStatus", "StackInfo"]

PARTS = ("redis", "search", "server", "worker")
LAUNCHER = Path(__file__).with_name("launcher.py")


@dataclass(frozen=True)
class PartStatus:
    name: str
    pid: int | None
    rss_mib: float
    log_file: Path


@dataclass(frozen=True)
class StackInfo:
    url: str
    credentials: Credentials
    started: bool  # False when `up` found the stack already running


class LocalStack:
    """Start, inspect and stop the local stack described by ``settings``."""

    def __init__(self, settings: Settings, echo: Callable[[str], None] = lambda _: None):
        self.settings = settings
        self.echo = echo
        self.root = settings.data_dir / "stacks" / str(settings.stack_port)
        self.home = self.root / "home"
        self.credentials_file = self.root / "credentials.json"
        self.parts = {
            name: ManagedProcess(name, self.root / "run" / f"{name}.pid", self.root / "logs" / f"{name}.log")
            for name in PARTS
        }

    # ----------------------------------------------------------------------------- properties
    @property
    def url(self) -> str:
        host = self.settings.stack_host
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{shown}:{self.settings.stack_port}"

    def credentials(self) -> Credentials | None:
        return read_credentials(self.credentials_file)

    def is_healthy(self, timeout: float = 3.0) -> bool:
        try:
            return httpx.get(f"{self.url}/api/v1/status", timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def is_running(self) -> bool:
        return any(part.is_running() for part in self.parts.values())

    # ----------------------------------------------------------------------------- commands
    def up(self) -> StackInfo:
        """Start the stack and wait for health; report the running one if it is already up."""
        wanted = self._wanted_parts()
        running = [name for name in wanted if self.parts[name].is_running()]
        if running:
            dead = [name for name in wanted if name not in running]
            if dead:
                part = self.parts[dead[0]]
                raise StackError(
                    f"stack part '{dead[0]}' has died (log: {part.log_file}); "
                    "run `rlhf-argilla server down` then `up`"
                )
            if self.is_healthy():
                return StackInfo(self.url, self._require_credentials(), started=False)
        self._check_ports()
        python = ensure_server_venv(
            self.settings.data_dir,
            on_install=lambda venv: self.echo(f"Installing argilla-server into {venv} (first start only)…"),
        )
        credentials = load_or_create_credentials(self.credentials_file)
        env = self._env()
        try:
            self._start_backing_services(python, env)
            self._prepare_database(python, env, credentials)
            self._start(
                "server",
                [
                    str(python),
                    str(LAUNCHER),
                    "start",
                    "--host",
                    self.settings.stack_host,
                    "--port",
                    str(self.settings.stack_port),
                    "--no-access-log",
                ],
                env,
            )
            if "worker" in wanted:
                self._start(
                    "worker",
                    [str(python), str(LAUNCHER), "worker", "--num-workers", str(self.settings.stack_workers)],
                    env,
                )
            self._wait_healthy(wanted)
        except BaseException:
            self.down()
            raise
        return StackInfo(self.url, credentials, started=True)

    def down(self) -> list[str]:
        """Stop exactly the processes this stack started (by PID file); return their names."""
        return [name for name in reversed(PARTS) if self.parts[name].stop()]

    def status(self) -> list[PartStatus]:
        return [
            PartStatus(name, part.pid(), part.rss_kib() / 1024, part.log_file)
            for name, part in self.parts.items()
            if name in self._wanted_parts() or part.was_started()
        ]

    def logs(self, part: str | None, lines: int) -> dict[str, list[str]]:
        names = [part] if part else list(PARTS)
        unknown = [name for name in names if name not in self.parts]
        if unknown:
            raise StackError(f"unknown stack part '{unknown[0]}': choose one of {', '.join(PARTS)}")
        return {name: self.parts[name].tail(lines) for name in names}

    # ----------------------------------------------------------------------------- internals
    def _wanted_parts(self) -> list[str]:
        return [name for name in PARTS if name != "worker" or self.settings.stack_workers > 0]

    def _require_credentials(self) -> Credentials:
        credentials = self.credentials()
        if credentials is None:
            raise StackError(
                f"credentials file {self.credentials_file} is missing; run `server down` then `up`"
            )
        return credentials

    def _check_ports(self) -> None:
        host = self.settings.stack_host
        for setting in ("stack_port", "stack_search_port", "stack_redis_port"):
            port = getattr(self.settings, setting)
            if not port_is_free(host, port):
                raise StackError(
                    f"port {port} on {host} is in use: stop what uses it or set "
                    f"RLHF_ARGILLA_{setting.upper()} to a free port"
                )

    def _env(self) -> dict[str, str]:
        s = self.settings
        env = {key: value for key, value in os.environ.items() if not key.startswith("ARGILLA_")}
        env.update(
            ARGILLA_HOME_PATH=str(self.home),
            ARGILLA_SEARCH_ENGINE="opensearch",
            ARGILLA_ELASTICSEARCH=f"http://127.0.0.1:{s.stack_search_port}",
            ARGILLA_REDIS_URL=f"redis://:{redis_password(self.root)}@127.0.0.1:{s.stack_redis_port}/0",
            ARGILLA_ENABLE_TELEMETRY="0",
            HF_HUB_DISABLE_TELEMETRY="1",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.parts[name].start(argv, env, cwd=self.root)

    def _start_backing_services(self, python: Path, env: dict[str, str]) -> None:
        s = self.settings
        bin_dir = python.parent
        site = next((python.parent.parent / "lib").glob("python3*/site-packages"))
        osmem = site / "osmem_server" / "bin" / "osmem-server"
        self._start(
            "redis",
            [
                str(bin_dir / "redis-server"),
                str(redis_config(self.root)),  # holds its password: not on the command line
                "--port",
                str(s.stack_redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            env,
        )
        self._start(
            "search", [str(osmem), "-addr", f"127.0.0.1:{s.stack_search_port}", "-no-stdin-watch"], env
        )
        for name, port in (("redis", s.stack_redis_port), ("search", s.stack_search_port)):
            self._wait_for_port(name, port, timeout=30)

    def _prepare_database(self, python: Path, env: dict[str, str], credentials: Credentials) -> None:
        import subprocess

        self.home.mkdir(parents=True, exist_ok=True)
        existed = (self.home / "argilla.db").exists()
        steps = [["database", "migrate"], ["database", "users", "create_default", "--quiet"]]
        secrets = {"RLHF_ARGILLA_SETUP_PASSWORD": credentials.password}
        secrets["RLHF_ARGILLA_SETUP_API_KEY"] = credentials.api_key  # the launcher passes them on
        if existed:  # osmem keeps its index in memory only: rebuild it from the database
            steps.append(["search-engine", "reindex"])
        log = self.root / "logs" / "setup.log"
        for step in steps:
            with open(log, "ab") as handle:
                result = subprocess.run(
                    [str(python), str(LAUNCHER), *step],
                    env={**env, **secrets} if "create_default" in step else env,
                    umask=0o077,
                    cwd=self.root,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            if result.returncode != 0:
                raise StackError(f"`argilla_server {' '.join(step[:2])}` failed; see {log}")
        self.settings.data_dir.chmod(0o700)
        private(self.root)

    def _wait_for_port(self, name: str, port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while port_is_free("127.0.0.1", port):
            self._raise_if_dead(name)
            if time.monotonic() > deadline:
                raise StackError(
                    f"{name} did not open port {port} in {timeout:.0f}s; see {self.parts[name].log_file}"
                )
            time.sleep(0.1)

    def _raise_if_dead(self, name: str) -> None:
        part = self.parts[name]
        if not part.is_running():
            raise StackError(f"stack part '{name}' exited during start-up; see {part.log_file}")

    def _wait_healthy(self, wanted: list[str]) -> None:
        timeout = self.settings.stack_timeout
        deadline = time.monotonic() + timeout
        while not self.is_healthy(timeout=2):
            for name in wanted:
                self._raise_if_dead(name)
            if time.monotonic() > deadline:
                raise StackError(
                    f"Argilla did not answer {self.url}/api/v1/status within {timeout:.0f}s; "
                    f"see {self.parts['server'].log_file}"
                )
            time.sleep(0.5)
