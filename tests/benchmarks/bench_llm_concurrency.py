"""Benchmark: LLM call throughput, retries, prompt caching and the embedded model's batching.

Everything is measured side by side in one run and printed as ratios; nothing is asserted.

1. Concurrency: N calls through ``ClaudeLLM`` (real anthropic SDK) against the loopback Messages
   API with a fixed latency per call. Wall time is compared with the physical limit
   (calls x latency / concurrency) and with a sequential loop (one call after the other). The
   sequential loop is run on a small subset only and extrapolated linearly - said in the output.
2. Retries: the same run with 10 % of the calls answered 429 (retry-after 1 s) first; the SDK's
   own retries (max_retries) wait what retry-after says, so the cost should be about 1 s.
3. Prompt caching: input tokens per call with the shared system prompt (the judge rubric, built
   from domain/criteria.py) marked ``cache_control`` vs not; the fake caches only prefixes above
   the model's real minimum (pricing.MIN_CACHEABLE_TOKENS), like the API.
4. Embedded SmolLM2: tokens/s of one request at a time vs requests decoded together (n_parallel).

Usage (from the repo root):
    .venv/bin/python tests/benchmarks/bench_llm_concurrency.py                 # 200 calls, 1 s latency
    .venv/bin/python tests/benchmarks/bench_llm_concurrency.py --calls 50 --skip-embedded
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rlhf_argilla.config import load_settings  # noqa: E402
from rlhf_argilla.domain.criteria import CRITERIA  # noqa: E402
from rlhf_argilla.llms.factory import build_llm  # noqa: E402
from rlhf_argilla.llms.pricing import MIN_CACHEABLE_TOKENS  # noqa: E402
from rlhf_argilla.llms.profiles import profile_for  # noqa: E402
from tests.fakes.messages_api import FakeMessagesAPI, count_tokens  # noqa: E402
from tests.fakes.serve_messages_api import remote, spawn  # noqa: E402

KEY = "sk-bench-not-a-key"


def judge_system_prompt() -> str:
    """A realistic shared system prompt: the judging instructions with every criterion's rubric."""
    parts = [
        "You are a strict fitness-domain judge. Score each response 1-5 on every criterion "
        "below, justify each score in one sentence, and answer in JSON."
    ]
    for criterion in CRITERIA:
        parts.append(f"## {criterion.title}\n{criterion.question}\n{criterion.rubric_markdown()}")
    return "\n\n".join(parts)


def chats(n: int, system: str, tag: str = "") -> list[list[dict[str, str]]]:
    return [
        [
            {"role": "system", "content": system},
            {"role": "user", "content": f"{tag}Question {i}: how should a beginner start strength training?"},
        ]
        for i in range(n)
    ]


def claude(url: str, *, concurrency: int, model: str = "claude-haiku-4-5", caching: bool = True):
    settings = load_settings(
        backend="anthropic",
        anthropic_api_key=KEY,
        anthropic_base_url=url,
        data_dir=tempfile.mkdtemp(prefix="bench-llm-"),
    )
    llm = build_llm(settings, model=model, concurrency=concurrency, max_new_tokens=400)
    llm.prompt_caching = caching
    llm.load()
    return llm


def run(llm, inputs) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    outs = llm.generate_outputs(inputs, num_generations=1, **llm.get_generation_kwargs())
    return time.perf_counter() - started, outs


def bench_concurrency(args, system: str) -> None:
    print(f"\n## 1-2. {args.calls} calls, {args.latency:g} s latency per call (real SDK -> loopback API)")
    print("(the fake runs in its own process, so it does not compete with the client for the GIL)")
    proc, url = spawn("--api-key", KEY, "--latency", str(args.latency))
    try:
        llm = claude(url, concurrency=1)
        seq_wall, _ = run_sequential(llm, chats(args.sequential_subset, system, "seq "))
        seq_estimate = seq_wall / args.sequential_subset * args.calls
        print(
            f"sequential loop: {args.sequential_subset} calls took {seq_wall:.2f} s -> "
            f"extrapolated to {args.calls} calls: {seq_estimate:.1f} s (measured on a subset, linear)"
        )
        for concurrency in args.concurrency:
            for inject in (False, True):
                remote(url, "reset")
                if inject:
                    remote(url, "inject", status=429, times=args.calls // 10, retry_after=1.0)
                llm = claude(url, concurrency=concurrency)
                wall, outs = run(llm, chats(args.calls, system, f"c{concurrency}{inject} "))
                stats = remote(url)
                limit = args.calls * args.latency / concurrency
                waves = math.ceil(args.calls / concurrency) * args.latency  # whole rounds of calls
                done = sum(o["generations"][0] is not None for o in outs)
                label = f"+{args.calls // 10} x 429 (retry-after 1 s)" if inject else "no errors"
                print(
                    f"concurrency {concurrency:>3}, {label:<28}: wall {wall:6.2f} s | limit {limit:6.2f} s | "
                    f"wall/limit {wall / limit:4.2f} (per whole round {wall / waves:4.2f}) | "
                    f"sequential/wall {seq_estimate / wall:5.1f}x | "
                    f"ok {done}/{args.calls} | requests {stats['message_calls']} | "
                    f"max in flight {stats['max_in_flight']}"
                )
                llm.unload()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_sequential(llm, inputs) -> tuple[float, None]:
    started = time.perf_counter()
    for single in inputs:
        llm.generate_outputs([single], num_generations=1, **llm.get_generation_kwargs())
    return time.perf_counter() - started, None


def bench_prompt_cache(args, system: str) -> None:
    model = args.cache_model
    floor = MIN_CACHEABLE_TOKENS[model]
    base = count_tokens(system)
    padded = system
    while count_tokens(padded) < floor:  # also show a prompt long enough for the API to cache
        padded += "\n\n" + system
    print(f"\n## 3. prompt caching, {args.calls} calls to {model} (API caches prefixes >= {floor} tokens)")
    for label, prompt in (("rubric prompt", system), ("rubric x repeated", padded)):
        for caching in (False, True):
            with FakeMessagesAPI(api_key=KEY, min_cacheable_tokens=floor) as api:
                llm = claude(api.url, concurrency=16, model=model, caching=caching)
                _, outs = run(llm, chats(args.calls, prompt))
            stats = [o["statistics"] for o in outs]
            per_call = {
                key: sum(s[key][0] for s in stats) / len(stats)
                for key in (
                    "input_tokens",
                    "cache_creation_input_tokens",
                    "cache_read_input_tokens",
                    "cost_usd",
                )
            }
            print(
                f"{label:<18} ({count_tokens(prompt):>5} tok) cache_control={'on ' if caching else 'off'}: "
                f"per call: uncached input {per_call['input_tokens']:7.1f} | cache write "
                f"{per_call['cache_creation_input_tokens']:6.1f} | "
                f"cache read {per_call['cache_read_input_tokens']:7.1f}"
                f" | cost ${per_call['cost_usd']:.5f}"
            )
    print(f"(rubric prompt alone is {base} tokens: below the floor, caching cannot help it)")


def bench_embedded(args) -> None:
    from rlhf_argilla.llms.embedded import EmbeddedLLM, auto_threads

    load = os.getloadavg()[0]
    threads = auto_threads(os.cpu_count(), load)
    print(
        f"\n## 4. embedded SmolLM2: {args.embedded_prompts} prompts x {args.embedded_tokens} new tokens, "
        f"{threads} thread(s) (1-min load {load:.1f} on {os.cpu_count()} CPUs)"
    )
    inputs = [
        [
            {"role": "system", "content": "You are a helpful fitness coach."},
            {"role": "user", "content": f"Give tip number {i} for a safe first gym week."},
        ]
        for i in range(args.embedded_prompts)
    ]
    rates = {}
    for slots in (1, args.n_parallel):
        llm = EmbeddedLLM(cache_dir=None, concurrency=slots, n_threads=threads)
        llm.load()
        llm.start_model()  # model load time is not decoding time
        wall, outs = run_with_tokens(llm, inputs, args.embedded_tokens)
        tokens = sum(o["statistics"]["output_tokens"][0] for o in outs)
        rates[slots] = tokens / wall
        print(f"n_parallel {slots}: {tokens} tokens in {wall:.1f} s = {rates[slots]:.1f} tokens/s")
        llm.unload()
    print(f"batched / single: {rates[args.n_parallel] / rates[1]:.2f}x")


def run_with_tokens(llm, inputs, max_new_tokens: int):
    started = time.perf_counter()
    outs = llm.generate_outputs(inputs, num_generations=1, max_new_tokens=max_new_tokens)
    return time.perf_counter() - started, outs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[16, profile_for("anthropic").concurrency]
    )
    parser.add_argument("--sequential-subset", type=int, default=5)
    parser.add_argument("--cache-model", default="claude-sonnet-4-5", choices=sorted(MIN_CACHEABLE_TOKENS))
    parser.add_argument("--embedded-prompts", type=int, default=8)
    parser.add_argument("--embedded-tokens", type=int, default=64)
    parser.add_argument("--n-parallel", type=int, default=4)
    parser.add_argument("--skip-embedded", action="store_true")
    args = parser.parse_args()
    system = judge_system_prompt()
    bench_concurrency(args, system)
    bench_prompt_cache(args, system)
    if not args.skip_embedded:
        bench_embedded(args)


if __name__ == "__main__":
    main()
