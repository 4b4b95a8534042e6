"""Generation pipelines against the loopback Messages API: speed vs the physical limit, prompt caching,
and a large prompts + pairs run. Prints figures measured side by side in one run; asserts nothing.

    .venv/bin/python tests/benchmarks/bench_generation.py                 # 200 pairs at 1 s per call
    .venv/bin/python tests/benchmarks/bench_generation.py --scale-run 1000  # + 1,000 prompts and pairs

1. 200 pairs (3 candidates + 1 judge call per prompt) with 1 s latency per call: wall time / physical
   limit (calls x latency / allowed concurrency per LLM) and vs a sequential loop (measured on a
   few calls, extrapolated - said so in the output).
2. Input tokens per kept pair with prompt caching (every cache_control'd system prompt cacheable)
   and without (the fake never caches), same prompts.
3. Optional: N prompts then N pairs in one run, with the must-show checks.
4. Cost per kept pair, same prompts, real SDK usage accounting: (a) the seed's process (2 answers per
   prompt, no judge, no batch, the seed's 40 % ties dropped), (b) today's default (3 candidates + LLM
   judge), (c) Message Batches + lean candidates + heuristic pre-check. Goal (c) <= 0.5 x (a), tie rate < 10 %.

    .venv/bin/python tests/benchmarks/bench_generation.py --only-cost --cost-pairs 60
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rlhf_argilla.config import load_settings  # noqa: E402
from rlhf_argilla.generation.pairs import generate_pairs  # noqa: E402
from rlhf_argilla.generation.prompts import generate_prompts, read_prompts  # noqa: E402
from rlhf_argilla.llms.factory import build_llm  # noqa: E402
from rlhf_argilla.llms.profiles import profile_for  # noqa: E402
from tests.fakes.messages_api import FakeMessagesAPI  # noqa: E402
from tests.generation.fitness_responder import fitness_responder  # noqa: E402

KEY = "sk-ant-bench-not-a-real-key"


def _settings(api: FakeMessagesAPI, data_dir: Path):
    return load_settings(
        backend="anthropic", anthropic_api_key=KEY, anthropic_base_url=api.url, data_dir=data_dir
    )


def bench_speed(n: int, latency: float, sequential_sample: int, work: Path) -> None:
    concurrency = profile_for("anthropic").concurrency
    with FakeMessagesAPI(api_key=KEY, responder=fitness_responder) as api:
        settings = _settings(api, work / "speed")
        generate_prompts(settings, n, work / "speed-out")
        prompts = read_prompts(work / "speed-out")
        api.latency_s = latency
        api.reset_counts()
        api.max_in_flight = 0
        began = time.perf_counter()
        result = generate_pairs(settings, prompts, work / "speed-out")
        wall = time.perf_counter() - began
        calls = api.successful_calls
        in_flight = api.max_in_flight

        llm = build_llm(_settings(api, work / "sequential"), concurrency=1)
        llm.load()
        chats = [[{"role": "user", "content": f"sequential probe {i}"}] for i in range(sequential_sample)]
        began = time.perf_counter()
        for chat in chats:  # one call after another, as a plain loop would do
            llm.generate_outputs([chat], num_generations=1, **llm.get_generation_kwargs())
        per_call = (time.perf_counter() - began) / sequential_sample
        llm.unload()
    limit = calls * latency / concurrency
    sequential = per_call * calls
    print(f"\n## 1. {len(result.pairs)} pairs from {n} prompts, {latency:g} s latency per call")
    print(f"calls made                 : {calls} (3 candidates + 1 judge per prompt)")
    print(
        f"allowed concurrency per LLM: {concurrency} (answer and judge steps run side by side; "
        f"max in flight seen at the server: {in_flight})"
    )
    print(f"wall time                  : {wall:.1f} s (distilabel start-up included)")
    print(f"physical limit             : {limit:.1f} s = {calls} x {latency:g} s / {concurrency}")
    print(f"wall / limit               : {wall / limit:.2f} x   (goal <= 1.3)")
    print(
        f"sequential loop            : {sequential:.0f} s (extrapolated from {sequential_sample} sequential calls, "
        f"{per_call:.2f} s each)"
    )
    print(f"speed-up vs sequential     : {sequential / wall:.1f} x   (goal >= 20)")
    print(f"judge-predicted tie rate   : {result.tie_rate:.1%}")


def bench_caching(n: int, work: Path) -> None:
    print(f"\n## 2. input tokens per kept pair, {n} pairs, with and without prompt caching")
    print("mode         | uncached in | cache write | cache read | all input | USD / pair")
    for label, floor in (("caching on", 0), ("caching off", 10**9)):
        with FakeMessagesAPI(api_key=KEY, responder=fitness_responder, min_cacheable_tokens=floor) as api:
            settings = _settings(api, work / f"cache-{floor}")
            out = work / f"cache-{floor}-out"
            generate_prompts(settings, n, out)
            result = generate_pairs(settings, read_prompts(out), out)
        total = next(line for line in result.usage if line.stage == "total")
        kept = max(len(result.pairs), 1)
        every = total.input_tokens + total.cache_creation_input_tokens + total.cache_read_input_tokens
        print(
            f"{label:<12} | {total.input_tokens / kept:11.0f} | {total.cache_creation_input_tokens / kept:11.0f} | "
            f"{total.cache_read_input_tokens / kept:10.0f} | {every / kept:9.0f} | {total.cost_usd / kept:.5f}"
        )
    print(
        "(the real API caches only prefixes above a per-model floor, e.g. 4,096 tokens for "
        "claude-haiku-4-5; these system prompts are shorter, so 'caching on' is the upper bound)"
    )


def scale_run(n: int, work: Path) -> None:
    with FakeMessagesAPI(api_key=KEY, responder=fitness_responder) as api:
        settings = _settings(api, work / "scale")
        out = work / "scale-out"
        began = time.perf_counter()
        prompts = generate_prompts(settings, n, out)
        middle = time.perf_counter()
        pairs = generate_pairs(settings, read_prompts(out), out)
        end = time.perf_counter()
    counts = Counter(row.subtopic for row in prompts.rows)
    complete = all(
        r.strategy and r.model and r.judge for p in pairs.pairs for r in (p.response_1, p.response_2)
    )
    print(f"\n## 3. {n} prompts then pairs in one run (loopback API, no latency)")
    print(
        f"prompts: {len(prompts.rows)} written, {len({r.prompt_id for r in prompts.rows})} distinct, "
        f"{len(counts)} subtopics, smallest share {min(counts.values()) / len(prompts.rows):.1%} "
        f"({middle - began:.0f} s)"
    )
    print(
        f"pairs  : {len(pairs.pairs)} ({len({p.prompt_id for p in pairs.pairs})} prompts with one pair each), "
        f"metadata on every row: {complete}, predicted tie rate {pairs.tie_rate:.1%} ({end - middle:.0f} s)"
    )


SEED_TIE_RATE = 0.40  # the seed's scripts judged ~40 % of their pairs equal (README, strategies.py)


def _pairs_row(label: str, settings, prompts, out: Path, calls_before: int, api, **kwargs):
    result = generate_pairs(settings, prompts, out, **kwargs)
    total = result.usage[-1]
    requests = api.message_calls + api.batches.processed - calls_before
    return label, requests / len(prompts), len(result.pairs), total.cost_usd, result.tie_rate


def bench_cost(n: int, work: Path, close_share: float = 0.0) -> None:
    """The cost table. The levers are measured at ``close_share`` 0 by default (contrast pairs only): the
    kind mix is a difficulty choice (issue 14), and the fake's close pairs are near-identical templates
    that the judge all but ties, so the default mix (0.5) mostly measures the fake; ``--close-share``."""
    rows = []
    with FakeMessagesAPI(api_key=KEY, responder=fitness_responder, batch_delay_s=0.2) as api:
        base = _settings(api, work / "cost-prompts")
        generate_prompts(base, n, work / "cost-prompts-out")
        prompts = read_prompts(work / "cost-prompts-out")

        seed = build_llm(
            _settings(api, work / "cost-a"), max_new_tokens=600
        )  # the seed: plain prompt, 2 samples
        seed.load()
        before = api.message_calls
        outputs = seed.generate_outputs(
            [[{"role": "user", "content": p.prompt}] for p in prompts],
            num_generations=2,
            **{"max_new_tokens": 600},
        )
        seed.unload()
        cost_a = sum(sum(out["statistics"]["cost_usd"]) for out in outputs)
        kept_a = round(len(prompts) * (1 - SEED_TIE_RATE))
        rows.append(
            (
                "(a) seed: 2 answers, no judge",
                (api.message_calls - before) / len(prompts),
                kept_a,
                cost_a,
                SEED_TIE_RATE,
            )
        )

        before = api.message_calls + api.batches.processed
        rows.append(
            _pairs_row(
                "(b) default: 3 + LLM judge",
                _settings(api, work / "cost-b").model_copy(update={"close_share": close_share}),
                prompts,
                work / "cost-b-out",
                before,
                api,
            )
        )
        lean = _settings(api, work / "cost-c").model_copy(
            update={
                "close_share": close_share,
                "batch": True,
                "batch_poll_s": 0.1,
                "lean_candidates": True,
                "judge_skip_margin": 1.0,
            }
        )
        before = api.message_calls + api.batches.processed
        rows.append(
            _pairs_row("(c) batch + lean + pre-check", lean, prompts, work / "cost-c-out", before, api)
        )
        for lever, update in (
            ("    batch only", {"batch": True, "batch_poll_s": 0.1}),
            ("    lean candidates only", {"lean_candidates": True}),
            ("    pre-check only", {"judge_skip_margin": 1.0}),
        ):
            settings = _settings(api, work / f"cost-{len(rows)}").model_copy(
                update={"close_share": close_share, **update}
            )
            before = api.message_calls + api.batches.processed
            rows.append(_pairs_row(lever, settings, prompts, work / f"cost-{len(rows)}-out", before, api))
    per_pair_a = rows[0][3] / rows[0][2]
    print(
        f"\n## 4. cost per kept pair, {len(prompts)} prompts, close share {close_share}, claude-haiku-4-5 prices, "
        "loopback API + real SDK usage"
    )
    print(
        "process                          | calls/prompt | kept | USD total | USD / kept pair | vs (a) | tie rate"
    )
    for label, calls, kept, cost, ties in rows:
        per_pair = cost / max(kept, 1)
        print(
            f"{label:<32} | {calls:12.2f} | {kept:4d} | {cost:9.5f} | {per_pair:15.6f} | "
            f"{per_pair / per_pair_a:5.2f}x | {ties:7.1%}"
        )
    c_ratio = rows[2][3] / max(rows[2][2], 1) / per_pair_a
    print(
        f"goal (c) <= 0.5 x (a): {c_ratio:.2f} x  -> {'met' if c_ratio <= 0.5 else 'NOT met'}; "
        f"predicted tie rate of (c) < 10 %: {rows[2][4]:.1%} -> {'met' if rows[2][4] < 0.10 else 'NOT met'}"
    )
    print(
        "(a)'s tie rate is the seed's measured 40 %, not a prediction; (a) keeps 60 % of its prompts. "
        "A cheaper judge (judge_model) only helps when the answer model is dearer than claude-haiku-4-5."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--sequential-sample", type=int, default=8)
    parser.add_argument("--caching-pairs", type=int, default=60)
    parser.add_argument("--scale-run", type=int, default=0, help="also run N prompts + pairs (e.g. 1000)")
    parser.add_argument("--cost-pairs", type=int, default=60, help="prompts for the cost-per-kept-pair table")
    parser.add_argument("--only-cost", action="store_true", help="run only the cost-per-kept-pair table")
    parser.add_argument("--close-share", type=float, default=0.0, help="close pairs in the cost table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-generation-") as folder:
        work = Path(folder)
        if args.only_cost:
            bench_cost(args.cost_pairs, work, args.close_share)
            return
        bench_speed(args.pairs, args.latency, args.sequential_sample, work)
        bench_caching(args.caching_pairs, work)
        if args.scale_run:
            scale_run(args.scale_run, work)
        bench_cost(args.cost_pairs, work, args.close_share)


if __name__ == "__main__":
    main()
