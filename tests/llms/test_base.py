"""Shared behaviour of the backends: persistent cache, resume after a crash, budget, distilabel runs.

Calls are counted at the loopback Messages API, so "zero new calls" is observed, not assumed.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from itertools import accumulate
from pathlib import Path

import pytest

from rlhf_argilla.llms.cache import CACHE_FILE_NAME, ResponseCache
from rlhf_argilla.llms.factory import build_llm
from tests.llms.test_anthropic import chats, generate

pytestmark = pytest.mark.timeout(120)  # a hang must fail, not stall CI

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_rerun_makes_zero_new_calls(anthropic_settings, messages_api):
    first = build_llm(anthropic_settings)
    first.load()
    outs = generate(first, chats(6), n=2)
    assert messages_api.successful_calls == 12
    messages_api.reset_counts()

    again = build_llm(anthropic_settings)  # a new run: new object, same cache folder
    again.load()
    reruns = generate(again, chats(6), n=2)
    assert messages_api.message_calls == 0
    assert [o["generations"] for o in reruns] == [o["generations"] for o in outs]
    assert all(all(o["statistics"]["from_cache"]) for o in reruns)
    assert again.spent_usd() == 0.0  # cache hits are free


def test_generation_index_and_params_are_part_of_the_key(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings)
    llm.load()
    [two] = generate(llm, chats(1), n=2)
    assert two["generations"][0] != two["generations"][1]
    [three] = generate(llm, chats(1), n=3)  # the first two are reused, one new call
    assert three["generations"][:2] == two["generations"] and messages_api.successful_calls == 3
    llm.generation_kwargs = {"max_new_tokens": 64}
    generate(llm, chats(1))
    assert messages_api.successful_calls == 4


def test_budget_stops_new_calls_and_keeps_what_was_made(anthropic_settings, messages_api, caplog):
    llm = build_llm(anthropic_settings, concurrency=1)
    llm.load()
    [probe] = generate(llm, chats(1, system="Be short."))  # not cached for the capped run
    one_call = probe["statistics"]["cost_usd"][0]
    messages_api.reset_counts()

    capped = build_llm(anthropic_settings, concurrency=1, max_cost_usd=3.5 * one_call)
    capped.load()
    with caplog.at_level(logging.WARNING):
        outs = generate(capped, chats(10, system="Be brief."))
    texts = [o["generations"][0] for o in outs]
    made = sum(text is not None for text in texts)
    costs = [o["statistics"]["cost_usd"][0] for o in outs[:made]]
    assert 1 <= made < 10 and texts[made:] == [None] * (10 - made)  # stopped, in order (concurrency 1)
    spent = list(accumulate(costs))
    assert spent[-2] < capped.max_cost_usd <= spent[-1]  # exactly one call past the cap, not more
    assert messages_api.message_calls == made
    assert any(
        "budget of $" in r.getMessage() and "finished responses are kept" in r.getMessage()
        for r in caplog.records
    )

    resumed = build_llm(anthropic_settings, concurrency=1)  # no cap: finish the rest
    resumed.load()
    messages_api.reset_counts()
    rest = generate(resumed, chats(10, system="Be brief."))
    assert messages_api.message_calls == 10 - made
    assert [o["generations"][0] for o in rest][:made] == texts[:made]
    assert all(o["generations"][0] for o in rest)


@pytest.mark.parametrize("cap_in_calls", [1.5, 10])
def test_budget_overshoot_stays_small_with_many_calls_in_flight(
    anthropic_settings, messages_api, cap_in_calls
):
    messages_api.latency_s = 0.1
    probe = build_llm(anthropic_settings, concurrency=1, max_new_tokens=300)
    probe.load()
    [first] = generate(probe, chats(1, system="Probe."))
    unit = first["statistics"]["cost_usd"][0]
    cap = cap_in_calls * unit
    capped = build_llm(anthropic_settings, concurrency=8, max_cost_usd=cap, max_new_tokens=300)
    capped.load()
    outs = generate(capped, chats(40, system="Be brief."))
    made = sum(o["generations"][0] is not None for o in outs)
    assert cap_in_calls <= made <= cap_in_calls + 2  # a blind check would start a whole wave of 8
    assert capped.spent_usd() >= cap  # and it does not stop early either
    assert capped.spent_usd() <= cap + 2 * unit


def test_shared_budget_id_pools_spend(anthropic_settings, messages_api):
    generator = build_llm(anthropic_settings, budget_id="run-1", max_cost_usd=1.0)
    judge = build_llm(anthropic_settings, role="judge", budget_id="run-1", max_cost_usd=1.0)
    generator.load()
    generate(generator, chats(2))
    assert judge.spent_usd() == pytest.approx(generator.spent_usd()) and judge.spent_usd() > 0


CRASHING_RUN = textwrap.dedent(
    """
    import sys
    from rlhf_argilla.config import load_settings
    from rlhf_argilla.llms.factory import build_llm
    from tests.llms.test_anthropic import chats, generate

    url, key, data_dir = sys.argv[1:4]
    settings = load_settings(
        backend="anthropic", anthropic_api_key=key, anthropic_base_url=url, data_dir=data_dir
    )
    llm = build_llm(settings, concurrency=2)
    llm.load()
    print("started", flush=True)
    generate(llm, chats(40))
    """
)


def test_interrupted_run_resumes_where_it_stopped(anthropic_settings, messages_api):
    messages_api.latency_s = 0.1
    key = anthropic_settings.anthropic_api_key.get_secret_value()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHING_RUN, messages_api.url, key, str(anthropic_settings.data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 60
        while messages_api.successful_calls < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)  # Ctrl-C in the middle of the run
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode != 0
    done_before = messages_api.successful_calls
    stored = len(ResponseCache(anthropic_settings.data_dir / "cache" / CACHE_FILE_NAME))
    assert 8 <= done_before < 40 and done_before - 2 <= stored <= done_before  # <= 2 answers in flight lost

    messages_api.reset_counts()
    llm = build_llm(anthropic_settings)
    llm.load()
    outs = generate(llm, chats(40))
    assert messages_api.message_calls == 40 - stored
    assert sum(o["statistics"]["from_cache"][0] for o in outs) == stored
    assert all(o["generations"][0] for o in outs)


def _text_generation_pipeline(llm, rows, cache_dir):
    from distilabel.pipeline import Pipeline
    from distilabel.steps import LoadDataFromDicts
    from distilabel.steps.tasks import TextGeneration

    with Pipeline(name="llm-cache-test", cache_dir=str(cache_dir)) as pipeline:
        load = LoadDataFromDicts(data=rows, batch_size=10)
        answer = TextGeneration(name="answer", llm=llm, input_batch_size=10, add_raw_input=False)
        load >> answer
    return pipeline


def test_distilabel_pipeline_records_usage_and_reruns_from_cache(anthropic_settings, messages_api, tmp_path):
    rows = [{"instruction": f"Fitness question {i}: best warm-up before sprints?"} for i in range(20)]
    llm = build_llm(anthropic_settings, max_new_tokens=128)
    distiset = _text_generation_pipeline(llm, rows, tmp_path / "d1").run(use_cache=False)
    data = distiset["default"]["train"]
    assert messages_api.successful_calls == 20
    assert set(data["model_name"]) == {"claude-haiku-4-5"}
    stats = [m["statistics_answer"] for m in data["distilabel_metadata"]]
    assert all(s["output_tokens"] > 0 and s["cost_usd"] > 0 and s["from_cache"] is False for s in stats)
    assert all(g.startswith("reply-") for g in data["generation"])

    messages_api.reset_counts()
    again = _text_generation_pipeline(
        build_llm(anthropic_settings, max_new_tokens=128), rows, tmp_path / "d2"
    )
    rerun = again.run(use_cache=False)["default"]["train"]
    assert messages_api.message_calls == 0  # the step ran in its own process and hit the sqlite cache
    assert sorted(rerun["generation"]) == sorted(data["generation"])


def test_identical_calls_in_flight_are_made_once_and_answered_alike(anthropic_settings, messages_api):
    messages_api.latency_s = 0.3
    llm = build_llm(anthropic_settings, concurrency=8)
    llm.load()
    same = chats(1)[0]
    outs = generate(llm, [same, same, same, chats(2)[1]])
    assert messages_api.message_calls == 2
    texts = [o["generations"][0] for o in outs]
    assert texts[0] == texts[1] == texts[2] != texts[3]
    assert [o["statistics"]["from_cache"][0] for o in outs].count(False) == 2  # one per real call
    messages_api.reset_counts()
    again = generate(build_llm(anthropic_settings), [same, same])  # a rerun reads the same answer
    assert [o["generations"][0] for o in again] == texts[:2] and messages_api.message_calls == 0
