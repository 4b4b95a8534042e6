"""Benchmark: `pull` (read with suggestions + tidy + aggregate + agreement + per-annotator reliability
with Dawid-Skene + report) vs the SDK's raw `to_datasets()`.

Both read the same dataset, with every response, from the same server in the same run, in
alternating order; the ratio of medians is printed (goal: pull with the reliability report <= 1.5 x raw).

Loading: records are created with their annotators' responses in one pass through the SDK's
bulk record logging (`dataset.records.log` with `rg.Response(..., user_id=...)`, 500 records per
request), which is much faster than one response upsert per record and user. The answers are
the simulated crowd's (`simulate_plan.plan_response`) from three `sim-` users, ties and drafts
included; no discarded answers, because an answer without values cannot be logged this way.

Usage (from the repo root, with a running local stack):
    .venv/bin/python tests/benchmarks/bench_pull.py --records 10000 --annotators 3 --repeats 3
    .venv/bin/python tests/benchmarks/bench_pull.py --records 10000 --keep   # keep the dataset for reruns
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("TQDM_DISABLE", "1")

from rlhf_argilla.annotation.simulate_plan import SimulationConfig, plan_response  # noqa: E402
from rlhf_argilla.config import load_settings  # noqa: E402


def _sdk_record(record: dict, users: dict[str, str], config: SimulationConfig):
    import argilla as rg

    responses = []
    for number, user_id in enumerate(users.values(), start=1):
        plan = plan_response(record["id"], number, {}, config)
        for question, answer in plan["values"].items():
            responses.append(rg.Response(question, answer["value"], user_id=user_id, status=plan["status"]))
    return rg.Record(
        id=record["id"],
        fields=record["fields"],
        metadata=record["metadata"],
        suggestions=[rg.Suggestion(**item) for item in record["suggestions"]],
        responses=responses,
    )


def load(client, settings, name: str, records: int, annotators: int, batch: int = 500) -> float:
    """Create workspace + dataset ``name`` and log ``records`` pairs with responses; return seconds."""
    import argilla as rg

    from rlhf_argilla.annotation.records import pair_to_record
    from rlhf_argilla.annotation.settings import build_settings
    from rlhf_argilla.annotation.simulate import ensure_simulated_users
    from rlhf_argilla.gateway import ArgillaRest, resolve_target
    from tests.annotation.pairs_factory import make_pair

    workspace = client.workspaces(name=name) or rg.Workspace(name=name, client=client).create()
    dataset = rg.Dataset(
        name=name, workspace=workspace, settings=build_settings(client, annotators), client=client
    ).create()
    with ArgillaRest(resolve_target(settings)) as rest:
        keys = ensure_simulated_users(rest, str(workspace.id), annotators)
        users = {
            item["username"]: item["id"]
            for item in rest.call("GET", "/users")["items"]
            if item["username"] in keys
        }
    config = SimulationConfig(annotators=annotators, seed=1, discard_rate=0.0)  # see the module docstring
    began = time.perf_counter()
    for start in range(0, records, batch):
        chunk = [
            _sdk_record(pair_to_record(make_pair(i, seed=1)), users, config)
            for i in range(start, min(start + batch, records))
        ]
        dataset.records.log(chunk, batch_size=batch)
        print(f"  loaded {start + len(chunk)}/{records}", file=sys.stderr, flush=True)
    return time.perf_counter() - began


def _pinned_settings(name: str, attempts: int = 12):
    """Settings with the server's URL and key made explicit, so no later call repeats the local
    stack's 3 s health check (a busy shared server can miss it between two timed runs)."""
    from rlhf_argilla.errors import ConfigError
    from rlhf_argilla.gateway import resolve_target

    for attempt in range(attempts):
        try:
            target = resolve_target(load_settings())
            return load_settings(workspace=name, api_url=target.url, api_key=target.api_key)
        except ConfigError:
            if attempt == attempts - 1:
                raise
            time.sleep(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dataset", default=None, help="reuse this dataset (workspace of the same name)")
    parser.add_argument("--keep", action="store_true", help="do not delete the dataset at the end")
    args = parser.parse_args()

    from rlhf_argilla.annotation.pull import pull
    from rlhf_argilla.gateway import connect

    name = args.dataset or f"bench-pull-{args.records}x{args.annotators}"
    settings = _pinned_settings(name)
    client = connect(settings, timeout=600)
    existing = client.datasets(name=name, workspace=name) if client.workspaces(name=name) else None
    if existing is None:
        seconds = load(client, settings, name, args.records, args.annotators)
        print(
            f"load: {args.records} records x {args.annotators} annotators in {seconds:.1f}s "
            f"({args.records / seconds:.0f} records/s, SDK bulk log with responses)"
        )
    dataset = client.datasets(name=name, workspace=name)

    raw_times, pull_times, sizes = [], [], {}
    with tempfile.TemporaryDirectory() as out:
        for repeat in range(args.repeats):
            order = ("raw", "pull") if repeat % 2 == 0 else ("pull", "raw")
            for which in order:
                began = time.perf_counter()
                if which == "raw":
                    table = dataset.records.to_datasets()
                    raw_times.append(time.perf_counter() - began)
                    sizes["raw rows"] = len(table)
                else:
                    result = pull(settings, name, Path(out))
                    pull_times.append(time.perf_counter() - began)
                    sizes["pull records"] = result.records
                    sizes["pull responses"] = sum(result.summary.counts.values())
    raw, ours = statistics.median(raw_times), statistics.median(pull_times)
    print(f"dataset {name}: {sizes}")
    print(f"raw dataset.records.to_datasets(): median {raw:.2f}s  runs {[round(t, 2) for t in raw_times]}")
    print(
        f"pull + aggregate + agreement + report: median {ours:.2f}s  runs {[round(t, 2) for t in pull_times]}"
    )
    print(f"ratio pull (with reliability) / raw = {ours / raw:.2f}x (goal <= 1.5x)")
    if not args.keep:
        workspace = client.workspaces(name=name)
        dataset.delete()
        workspace.delete()


if __name__ == "__main__":
    main()
