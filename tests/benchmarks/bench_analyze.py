"""Benchmark: `analyze` streaming core vs a naive per-line Python baseline, and memory vs input size.

Both sides read the same gzip files in the same run (alternating, median of --repeats):

* analyze: ``iter_conversations`` (streams bytes, extracts only the first human turn) +
  ``RuleClassifier`` (keywords indexed by first word) + ``CoverageTally`` (counts only);
* naive: what a first script does: load every record of a file into a list (as the sample's
  README shows), split each transcript into all its turns, lower-case the first human turn and
  try every taxonomy keyword and exclude phrase with its own ``re.search(r"\\b...\\b")``.

Inputs are the given files concatenated 1x and --scale times (gzip, in a temp folder). Memory is
tracemalloc's peak during a separate, untimed pass. Report writing (chart, markdown) is a constant
cost outside the loop and is timed once on its own.

Usage (from the repo root):
    .venv/bin/python tests/benchmarks/bench_analyze.py --data ../shared/data/hh-rlhf-sample --scale 4 --repeats 3
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rlhf_argilla.analysis.classify import RuleClassifier  # noqa: E402
from rlhf_argilla.analysis.coverage import CoverageTally  # noqa: E402
from rlhf_argilla.analysis.hh_rlhf import Conversation, iter_conversations, resolve_inputs  # noqa: E402
from rlhf_argilla.domain.taxonomy import SUBTOPICS  # noqa: E402


def analyze_core(folder: Path) -> tuple[int, int]:
    inputs = resolve_inputs([str(folder)])
    classify = RuleClassifier().classify
    tally = CoverageTally([item.name for item in inputs])
    for item in iter_conversations(inputs):
        if type(item) is Conversation:
            tally.add(item.source, item.line, item.first_turn, classify(item.first_turn))
        else:
            tally.add_malformed(item.reason)
    result = tally.result()
    return result.conversations, result.fitness


def _naive_loop(folder: Path, is_fitness) -> tuple[int, int]:
    conversations = fitness = 0
    for path in sorted(folder.rglob("*.jsonl.gz")):
        rows = [json.loads(line) for line in gzip.open(path, "rt")]
        for row in rows:
            turns = re.split(r"\n\n(Human|Assistant): ", row["chosen"])
            conversations += 1
            fitness += is_fitness(turns[2].lower() if len(turns) > 2 else "")
    return conversations, fitness


def naive(folder: Path) -> tuple[int, int]:
    def is_fitness(first: str) -> bool:
        def found(word: str) -> bool:
            return re.search(r"\b" + re.escape(word) + r"\b", first) is not None

        return any(any(map(found, item.keywords)) and not any(map(found, item.exclude)) for item in SUBTOPICS)

    return _naive_loop(folder, is_fitness)


def naive_precompiled(folder: Path) -> tuple[int, int]:
    """The naive loop with every keyword regex compiled once: how much is just re's cache."""

    def compiled(words):
        return [re.compile(r"\b" + re.escape(word) + r"\b") for word in words]

    rules = [(compiled(item.keywords), compiled(item.exclude)) for item in SUBTOPICS]

    def is_fitness(first: str) -> bool:
        return any(
            any(p.search(first) for p in keep) and not any(p.search(first) for p in veto)
            for keep, veto in rules
        )

    return _naive_loop(folder, is_fitness)


def make_input(sources: list[Path], times: int, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for index, source in enumerate(sources):
        data = gzip.decompress(source.read_bytes())
        data = data if data.endswith(b"\n") else data + b"\n"
        with gzip.open(folder / f"part{index}.jsonl.gz", "wb", compresslevel=6) as handle:
            for _ in range(times):
                handle.write(data)
    return folder


def timed(function, folder: Path) -> tuple[float, tuple[int, int]]:
    began = time.perf_counter()
    result = function(folder)
    return time.perf_counter() - began, result


def peak_mib(function, folder: Path) -> float:
    re.purge()  # every pass compiles its regexes afresh, so passes compare like with like
    tracemalloc.start()
    function(folder)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of HH-RLHF *.jsonl.gz files")
    parser.add_argument(
        "--scale", type=int, default=4, help="size of the larger input, in copies (default 4)"
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sources = sorted(args.data.rglob("*.jsonl.gz"))
    if not sources:
        sys.exit(f"no *.jsonl.gz under {args.data}")

    work = Path(tempfile.mkdtemp(prefix="bench-analyze-"))
    try:
        small = make_input(sources, 1, work / "x1")
        large = make_input(sources, args.scale, work / f"x{args.scale}")
        analyze_core(small), naive(small)  # warm-up: imports, regex compilation and caches

        sides = (("analyze", analyze_core), ("naive", naive), ("precompiled", naive_precompiled))
        times: dict[str, list[float]] = {name: [] for name, _ in sides}
        counts = {}
        for _ in range(args.repeats):
            for name, function in sides:
                seconds, counts[name] = timed(function, large)
                times[name].append(seconds)
        conversations = counts["analyze"][0]
        fast, slow = statistics.median(times["analyze"]), statistics.median(times["naive"])
        print(f"input: {len(sources)} files x{args.scale} = {conversations:,} conversations")
        print(
            f"fitness found: analyze {counts['analyze'][1]:,}, naive {counts['naive'][1]:,} "
            f"(naive uses plain \\b keyword matching, no plural/hyphen/number rules, first match wins)"
        )
        print(
            f"analyze: {conversations / fast:>10,.0f} conversations/s  (median {fast:.3f}s of {args.repeats})"
        )
        print(
            f"naive:   {conversations / slow:>10,.0f} conversations/s  (median {slow:.3f}s of {args.repeats})"
        )
        print(f"speed-up: {slow / fast:.1f}x (goal >= 10x)")
        compiled = statistics.median(times["precompiled"])
        print(
            f"for reference, naive with regexes compiled once: {conversations / compiled:,.0f} conversations/s "
            f"-> analyze is {compiled / fast:.1f}x faster"
        )

        memory = {
            name: (peak_mib(function, small), peak_mib(function, large))
            for name, function in (("analyze", analyze_core), ("naive", naive))
        }
        for name, (one, many) in memory.items():
            print(
                f"peak traced memory {name:>7}: x1 {one:7.2f} MiB, x{args.scale} {many:7.2f} MiB "
                f"-> ratio {many / one:.2f}"
            )

        from rlhf_argilla.analysis.run import run_analysis

        began = time.perf_counter()
        run_analysis([str(large)], work / "out")
        print(
            f"full run_analysis on x{args.scale} incl. report, chart, gaps.json: "
            f"{time.perf_counter() - began:.2f}s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
