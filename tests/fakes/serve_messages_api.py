"""Run the loopback Messages API as its own process, for CLI runs and benchmarks.

In its own process the fake does not share the interpreter lock with the client it measures.

Usage (from the repo root)::

    .venv/bin/python -m tests.fakes.serve_messages_api --latency 1 --api-key sk-test \\
        --responder tests.generation.fitness_responder:fitness_responder
    # prints: listening on http://127.0.0.1:PORT ; then, in another shell:
    ANTHROPIC_API_KEY=sk-test ANTHROPIC_BASE_URL=http://127.0.0.1:PORT \\
        .venv/bin/rlhf-argilla generate prompts -n 1000 --backend anthropic --out out/
    curl http://127.0.0.1:PORT/_fake/stats
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.fakes.messages_api import FakeMessagesAPI, default_reply

__all__ = ["spawn", "remote"]

REPO_ROOT = Path(__file__).resolve().parents[2]


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def spawn(*args: str) -> tuple[subprocess.Popen, str]:
    """Start the fake in a child process with these CLI ``args``; return it and its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.serve_messages_api", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"fake Messages API did not start: {line!r}")
    return proc, line.removeprefix("listening on ")


def remote(url: str, action: str = "stats", **body: Any) -> dict[str, int]:
    """Read the counters (``stats``) or call ``inject`` / ``inject_delay`` / ``plant_batch`` / ``reset`` of a spawned fake."""
    data = None if action == "stats" else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{url}/_fake/{action}", data=data, method="GET" if data is None else "POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per /v1/messages call")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any)")
    parser.add_argument("--min-cacheable-tokens", type=int, default=0)
    parser.add_argument("--batch-delay", type=float, default=0.3, help="seconds a message batch processes")
    parser.add_argument("--responder", default=None, help="module:function (body, sample) -> text")
    parser.add_argument(
        "--position-bias",
        type=float,
        default=0.0,
        help="share of judged questions on which the judge prefers the first response it sees",
    )
    args = parser.parse_args()
    responder = _load(args.responder) if args.responder else default_reply
    if args.position_bias > 0:
        from tests.fakes.biased_judge import position_biased

        responder = position_biased(args.position_bias, responder)
    api = FakeMessagesAPI(
        latency_s=args.latency,
        api_key=args.api_key,
        min_cacheable_tokens=args.min_cacheable_tokens,
        responder=responder,
        batch_delay_s=args.batch_delay,
    )
    with api:
        print(f"listening on {api.url}", flush=True)
        try:
            api._thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
