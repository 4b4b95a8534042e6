"""Benchmark: `push` vs the SDK's raw `dataset.records.log`, and a re-push of unchanged pairs.

In one run, against the same server, into fresh datasets with the same settings:

* raw: the same records (``pair_to_record`` -> ``rg.Record``) given to one ``records.log`` call
  with ``batch_size=500``: the fastest plain use of the SDK, with no idempotency;
* push: ``push_file`` on a pairs.jsonl of the same pairs: validation pass, streaming batches of
  500, per-batch look-up of stored content hashes, upsert of new/changed records;
* re-push: ``push_file`` again on the unchanged file (every record skipped, nothing written).

With ``--rounds > 1`` the raw/push order alternates and medians are reported. Printed: throughput
of each, push / raw throughput ratio (goal >= 0.9) and first push / re-push time ratio (goal >= 5).
``--memory`` adds an untimed pass measuring push's Python peak (tracemalloc) at N/4 and N records.

Usage (from the repo root, with a running local stack):
    .venv/bin/python tests/benchmarks/bench_push.py --records 10000
    .venv/bin/python tests/benchmarks/bench_push.py --records 2000 --rounds 3 --memory
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # before argilla imports tqdm: no per-request bars
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rlhf_argilla.annotation.push import push_file  # noqa: E402
from rlhf_argilla.annotation.records import pair_to_record  # noqa: E402
from rlhf_argilla.annotation.settings import (
    VECTOR_PROMPT,  # noqa: E402
    build_settings,  # noqa: E402
)
from rlhf_argilla.annotation.vectors import embed_prompts  # noqa: E402
from rlhf_argilla.config import load_settings  # noqa: E402
from rlhf_argilla.gateway import connect  # noqa: E402
from tests.annotation.pairs_factory import make_pairs, write_pairs  # noqa: E402


def raw_log(client, workspace, name: str, pairs, with_vectors: bool = True) -> float:
    """Seconds for one ``records.log`` of the pairs' records (with the same prompt vectors push sends)."""
    import argilla as rg

    dataset = rg.Dataset(
        name=name, workspace=workspace, settings=build_settings(client), client=client
    ).create()
    began = time.perf_counter()
    vectors = [v.tolist() for v in embed_prompts([pair.prompt for pair in pairs])] if with_vectors else None
    records = []
    for pair in pairs:
        record = pair_to_record(pair)
        records.append(
            rg.Record(
                id=record["id"],
                fields=record["fields"],
                metadata=record["metadata"],
                suggestions=[rg.Suggestion(**s) for s in record["suggestions"]],
                vectors={VECTOR_PROMPT: vectors.pop(0)} if vectors is not None else {},
            )
        )
    dataset.records.log(records, batch_size=500)
    return time.perf_counter() - began


def timed_push(client, workspace: str, name: str, folder: Path) -> tuple[float, object]:
    began = time.perf_counter()
    report = push_file(client, folder, dataset=name, workspace=workspace)
    return time.perf_counter() - began, report


def memory_peak(client, workspace: str, pairs, folder: Path) -> float:
    write_pairs(folder, pairs)
    tracemalloc.start()
    push_file(client, folder, dataset=f"mem-{len(pairs)}", workspace=workspace)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--short-text", action="store_true", help="one-sentence answers instead of ~1 kB")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark workspace")
    args = parser.parse_args()

    import argilla as rg

    client = connect(load_settings())
    workspace = rg.Workspace(name=f"bench-push-{uuid.uuid4().hex[:6]}", client=client).create()
    pairs = make_pairs(args.records, seed=11, long_text=not args.short_text)
    raw_times, push_times, repush_times = [], [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_pairs(Path(tmp) / "pairs", pairs)
            size_mb = (folder / "pairs.jsonl").stat().st_size / 2**20
            print(f"{args.records} pairs, pairs.jsonl {size_mb:.1f} MiB, server {client.api_url}")
            for round_ in range(args.rounds):
                order = ("raw", "push") if round_ % 2 == 0 else ("push", "raw")
                for side in order:
                    name = f"{side}-{round_}"
                    if side == "raw":
                        raw_times.append(raw_log(client, workspace, name, pairs))
                        print(f"round {round_}: raw records.log {raw_times[-1]:.1f} s", flush=True)
                    else:
                        seconds, report = timed_push(client, workspace.name, name, folder)
                        assert report.created == args.records, report
                        push_times.append(seconds)
                        seconds, report = timed_push(client, workspace.name, name, folder)
                        assert report.unchanged == args.records and report.created == report.updated == 0
                        repush_times.append(seconds)
                        print(
                            f"round {round_}: push {push_times[-1]:.1f} s, re-push {repush_times[-1]:.2f} s",
                            flush=True,
                        )
                    client.datasets(name=name, workspace=workspace).delete()  # keep the search index small
            if args.memory:
                quarter = memory_peak(client, workspace.name, pairs[: args.records // 4], Path(tmp) / "q")
                full = memory_peak(client, workspace.name, pairs, Path(tmp) / "f")
                print(
                    f"push Python peak: {quarter:.1f} MiB at {args.records // 4} records, "
                    f"{full:.1f} MiB at {args.records} records"
                )
    finally:
        if not args.keep:
            for dataset in list(workspace.datasets):
                dataset.delete()
            workspace.delete()

    raw, push, repush = (statistics.median(x) for x in (raw_times, push_times, repush_times))
    n = args.records
    print(f"raw records.log : {n / raw:8.1f} records/s (median {raw:.1f} s over {len(raw_times)})")
    print(f"push            : {n / push:8.1f} records/s (median {push:.1f} s)")
    print(f"re-push         : {n / repush:8.1f} records/s (median {repush:.2f} s)")
    print(f"push / raw throughput : {raw / push:.2f}x (goal >= 0.9)")
    print(f"first push / re-push  : {push / repush:.1f}x faster (goal >= 5)")


if __name__ == "__main__":
    main()
