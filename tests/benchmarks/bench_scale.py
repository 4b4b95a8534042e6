"""Benchmark: peak memory of push, pull and build at a small and a large size, side by side in one run.

Each measured step runs in its own child process (``--child STEP``), whose peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``: interpreter, imports and data together) and wall
time are read back, so one step's memory never inflates another's. Per size:

* push: ``push_file`` of a pairs.jsonl (~1 kB answers) into a fresh dataset, and the raw SDK
  ``dataset.records.log`` of the same records (without the prompt vectors push adds) into another
  one, each timed from its child's start, dataset creation included (throughput ratio, goal >= 0.9);
* pull: the records logged again with three simulated annotators' responses (``bench_pull.load``,
  not measured), then ``pull`` (read + tidy + aggregate + agreement + report) and the raw SDK
  ``to_datasets()`` of the same dataset (time ratio, goal <= 1.3);
* build: ``build`` of that pull folder.

``--offline`` needs no server: ``offline-pull`` feeds pull's own work (tidy tables, agreement,
reliability, aggregation, the files: ``pull_write.write_pull``) with generated records in the
shape ``GET /records`` returns, 1000 per page (three simulated annotators, every 20th a control),
then ``build`` of that folder; at sizes a local server cannot load in reasonable time (100k).

Printed: one row per size and a ratio row, large / small peak RSS per step (goal <= 1.5).
Run it on a stack of your own (it creates and deletes datasets of N records), e.g.
    RLHF_ARGILLA_DATA_DIR=/tmp/data-b RLHF_ARGILLA_STACK_PORT=6950 RLHF_ARGILLA_STACK_SEARCH_PORT=6951 \\
    RLHF_ARGILLA_STACK_REDIS_PORT=6952 .venv/bin/rlhf-argilla server up
and the same environment for:
    .venv/bin/python tests/benchmarks/bench_scale.py --sizes 10000 20000
    .venv/bin/python tests/benchmarks/bench_scale.py --sizes 10000 100000 --steps push   # 100k: minutes
    .venv/bin/python tests/benchmarks/bench_scale.py --offline --sizes 10000 100000     # no server
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

STEPS = ("push", "pull", "build")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _settings(workspace: str | None = None):
    from rlhf_argilla.config import load_settings
    from rlhf_argilla.gateway import resolve_target

    target = resolve_target(load_settings())
    return load_settings(workspace=workspace, api_url=target.url, api_key=target.api_key)


def _write_pairs(folder: Path, records: int) -> Path:
    from rlhf_argilla.schema import PAIRS_FILE
    from tests.annotation.pairs_factory import make_pair

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / PAIRS_FILE, "w", encoding="utf-8") as handle:
        for index in range(records):
            handle.write(make_pair(index, seed=11, long_text=True).model_dump_json() + "\n")
    return folder


def _offline_pull(args: argparse.Namespace) -> None:
    """pull's own work (tidy tables, agreement, reliability, aggregation, files) on generated API
    records, page by page: the same shape ``GET /records`` returns, no server (``--offline``)."""
    from rlhf_argilla.annotation.pull_read import judged_tables
    from rlhf_argilla.annotation.pull_write import write_pull
    from rlhf_argilla.annotation.reliability_flags import Thresholds
    from rlhf_argilla.annotation.simulate_plan import SimulationConfig
    from rlhf_argilla.annotation.text_spool import TextSpool
    from rlhf_argilla.domain.criteria import CRITERION_IDS
    from tests.annotation.api_records import api_record

    config = SimulationConfig(annotators=args.annotators, seed=1)
    users = {f"u{number}": f"sim-annotator-{number}" for number in range(1, args.annotators + 1)}
    names = {f"{c}_{side}": f"{c}_{side}" for c in CRITERION_IDS for side in "ab"}  # question id = name
    pages = (
        (
            [api_record(i, config, 20, True) for i in range(start, min(start + 1000, args.records))],
            args.records,
        )
        for start in range(0, args.records, 1000)
    )
    with tempfile.TemporaryDirectory() as tmp:
        spool = TextSpool(Path(tmp))
        tidy_file = Path(tmp) / "annotations.parquet"
        tables = judged_tables(pages, users, tidy_file, question_names=names, spool=spool)
        spool.close()
        _, _, records = write_pull(
            args.folder, tables, tidy_file, spool, None, Thresholds(), dataset_name="offline"
        )
    assert records == args.records, records


def child(step: str, args: argparse.Namespace) -> dict:
    """Run one step in this (child) process; the caller reads its JSON line."""
    began = time.perf_counter()
    if step in ("offline-pull", "build"):
        return _timed(step, args, began)
    from rlhf_argilla.gateway import connect

    settings = _settings(args.workspace)
    if step == "push":
        from rlhf_argilla.annotation.push import push_file

        report = push_file(
            connect(settings, timeout=600), args.folder, dataset=args.dataset, workspace=args.workspace
        )
        assert report.created == args.records, report
    elif step == "raw-push":
        import argilla as rg

        from rlhf_argilla.annotation.push import _to_sdk, iter_pairs, pairs_path
        from rlhf_argilla.annotation.records import pair_to_record
        from rlhf_argilla.annotation.settings import build_settings

        # timed from the child's start as push is (connect, create the dataset, log), then the
        # plain use of the SDK: every record in one log call, without the prompt vectors push adds
        client = connect(settings, timeout=600)
        workspace = client.workspaces(name=args.workspace)
        dataset = rg.Dataset(
            name=args.dataset, workspace=workspace, settings=build_settings(client), client=client
        ).create()
        records = [_to_sdk(pair_to_record(pair)) for pair in iter_pairs(pairs_path(args.folder))]
        dataset.records.log(records, batch_size=500)
    elif step == "load":
        from tests.benchmarks.bench_pull import load

        client = connect(settings, timeout=600)
        load(client, settings, args.dataset, args.records, args.annotators)
    elif step == "pull":
        from rlhf_argilla.annotation.pull import pull

        result = pull(settings, args.dataset, args.folder, workspace=args.dataset)
        assert result.records == args.records, result.records
    elif step == "raw-pull":
        client = connect(settings, timeout=600)
        table = client.datasets(name=args.dataset, workspace=args.dataset).records.to_datasets()
        assert len(table) == args.records
    else:
        raise SystemExit(f"unknown step {step}")
    return {"seconds": time.perf_counter() - began, "peak_mib": _peak_mib()}


def _timed(step: str, args: argparse.Namespace, began: float) -> dict:
    if step == "offline-pull":
        _offline_pull(args)
    else:
        from rlhf_argilla.dataset.build import build

        build(args.folder, args.folder.parent / "built")
    return {"seconds": time.perf_counter() - began, "peak_mib": _peak_mib()}


def run_child(step: str, records: int, folder: Path, dataset: str, workspace: str, timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", step, "--records", str(records), "--folder", str(folder)]
    command += ["--dataset", dataset, "--workspace", workspace]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} at {records} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_offline(records: int, tmp: Path, timeout: float) -> dict[str, dict]:
    """pull's own work on generated pages, then build, each in a child (``--offline``)."""
    out, found = tmp / f"offline-{records}" / "pulled", {}
    for step in ("offline-pull", "build"):
        found[step] = run_child(step, records, out, "offline", "offline", timeout)
        print(f"  {records}: {step} {found[step]}", file=sys.stderr, flush=True)
    return found


def measure(records: int, steps: list[str], tmp: Path, timeout: float) -> dict[str, dict]:
    from rlhf_argilla.gateway import connect

    client = connect(_settings(), timeout=600)
    tag = f"{records}-{uuid.uuid4().hex[:6]}"
    found: dict[str, dict] = {}
    try:
        if "push" in steps:
            import argilla as rg

            space = rg.Workspace(name=f"scale-push-{tag}", client=client).create().name
            folder = _write_pairs(tmp / f"pairs-{records}", records)
            for step in ("raw-push", "push"):
                found[step] = run_child(step, records, folder, f"{step}-{tag}", space, timeout)
                client.datasets(name=f"{step}-{tag}", workspace=space).delete()  # keep the index small
                print(f"  {records}: {step} {found[step]}", file=sys.stderr, flush=True)
        if "pull" in steps or "build" in steps:
            name, out = f"scale-pull-{tag}", tmp / f"pulled-{records}"
            run_child("load", records, out, name, name, timeout)
            for step in ("raw-pull", "pull"):
                found[step] = run_child(step, records, out, name, name, timeout)
                print(f"  {records}: {step} {found[step]}", file=sys.stderr, flush=True)
            if "build" in steps:
                found["build"] = run_child("build", records, out, name, name, timeout)
                print(f"  {records}: build {found['build']}", file=sys.stderr, flush=True)
    finally:
        for space in list(client.workspaces):
            if space.name.endswith(tag):
                for dataset in list(space.datasets):
                    dataset.delete()
                space.delete()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 20_000], metavar=("SMALL", "LARGE"))
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per child step")
    parser.add_argument(
        "--offline", action="store_true", help="no server: pull's own work on generated records, and build"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--records", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--annotators", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dataset", help=argparse.SUPPRESS)
    parser.add_argument("--workspace", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args)))
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        if args.offline:
            results = {size: measure_offline(size, tmp, args.timeout) for size in args.sizes}
        else:
            results = {size: measure(size, args.steps, tmp, args.timeout) for size in args.sizes}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    small, large = args.sizes
    order = ("raw-push", "push", "raw-pull", "pull", "offline-pull", "build")
    names = [step for step in order if step in results[small]]
    print(f"{'records':>9} " + " ".join(f"{name + ' MiB':>13}" for name in names))
    for size in args.sizes:
        print(f"{size:>9} " + " ".join(f"{results[size][name]['peak_mib']:>13.0f}" for name in names))
    ratio = " ".join(
        f"{results[large][n]['peak_mib'] / results[small][n]['peak_mib']:>12.2f}x" for n in names
    )
    print(f"{'ratio':>9} {ratio}   (peak RSS {large} / {small}; goal <= 1.5 for push, pull, build)")
    for size in args.sizes:
        step = results[size]
        if "push" in step:
            print(
                f"{size}: push {size / step['push']['seconds']:.0f} records/s, raw records.log "
                f"{size / step['raw-push']['seconds']:.0f} records/s, push / raw throughput "
                f"{step['raw-push']['seconds'] / step['push']['seconds']:.2f}x (goal >= 0.9)"
            )
        if "pull" in step:
            print(
                f"{size}: pull {step['pull']['seconds']:.1f} s, raw to_datasets() "
                f"{step['raw-pull']['seconds']:.1f} s, pull / raw time "
                f"{step['pull']['seconds'] / step['raw-pull']['seconds']:.2f}x (goal <= 1.3)"
            )
        if "build" in step:
            print(f"{size}: build {step['build']['seconds']:.1f} s")


if __name__ == "__main__":
    main()
