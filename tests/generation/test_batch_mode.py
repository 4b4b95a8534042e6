"""Message Batches mode against the loopback API with the real SDK: retries, resume, zero-call reruns."""

from __future__ import annotations

import math

import pytest

from rlhf_argilla.generation.pairs import generate_pairs
from rlhf_argilla.generation.prompts import generate_prompts, read_prompts
from rlhf_argilla.generation.questions import LLM_STRATEGY
from rlhf_argilla.llms.usage import cost_usd

pytestmark = pytest.mark.slow


def _list_price(line) -> float:
    """What the line's tokens cost at the normal (non-batch) rate."""
    return cost_usd(
        "claude-haiku-4-5",
        input_tokens=line.input_tokens,
        output_tokens=line.output_tokens,
        cache_creation_input_tokens=line.cache_creation_input_tokens,
        cache_read_input_tokens=line.cache_read_input_tokens,
    )


@pytest.fixture
def batch_settings(anthropic_settings):
    return anthropic_settings.model_copy(update={"batch": True, "batch_poll_s": 0.1, "batch_max_requests": 5})


def test_errored_and_expired_entries_are_retried_and_priced_at_batch_rates(
    batch_settings, fitness_api, tmp_path
):
    fitness_api.batches.plant("errored", 2)
    fitness_api.batches.plant("expired", 1)
    result = generate_prompts(batch_settings, 12, tmp_path / "gen")
    stats = fitness_api.stats()
    assert stats["message_calls"] == 0  # nothing went to /v1/messages
    assert stats["batch_requests"] == 12 + 3  # three planted failures, each retried once
    assert stats["batch_creates"] == math.ceil(12 / 5) + 1  # chunks of 5, then one retry batch
    assert all(row.generator.strategy == LLM_STRATEGY for row in result.rows) and len(result.rows) == 12
    total = result.usage[-1]
    assert total.new_calls == 12 and total.missing == 0
    assert total.cost_usd == pytest.approx(_list_price(total) / 2) and total.cost_usd > 0

    fitness_api.reset_counts()
    fitness_api.batches.reset()
    again = generate_prompts(batch_settings, 12, tmp_path / "gen")
    assert fitness_api.stats()["batch_creates"] == 0 and fitness_api.message_calls == 0
    assert again.usage[-1].new_calls == 0 and again.usage[-1].cached_calls == 12


def test_pairs_in_batch_mode_answer_then_judge_and_match_a_direct_run(batch_settings, fitness_api, tmp_path):
    direct_settings = batch_settings.model_copy(update={"batch": False})
    generate_prompts(direct_settings, 8, tmp_path / "gen")
    prompts = read_prompts(tmp_path / "gen")
    fitness_api.reset_counts()
    batched = generate_pairs(batch_settings, prompts, tmp_path / "batched")
    stats = fitness_api.stats()
    assert stats["message_calls"] == 0 and stats["batch_requests"] == 8 * 3 + 8
    assert len(batched.pairs) == 8 and batched.usage[-1].new_calls == 32
    assert batched.usage[-1].cost_usd == pytest.approx(_list_price(batched.usage[-1]) / 2)
    assert all(p.response_1.judge.judge_model == "claude-haiku-4-5" for p in batched.pairs)
    assert batched.kinds["contrast"]["predicted_tie_rate"] < 0.1  # a flaw on one side: no predicted ties


def test_levers_cut_calls_and_label_skipped_judging(anthropic_settings, fitness_api, tmp_path):
    generate_prompts(anthropic_settings, 12, tmp_path / "gen")
    prompts = read_prompts(tmp_path / "gen")
    lean = anthropic_settings.model_copy(
        update={"lean_candidates": True, "judge_skip_margin": 1.0, "judge_model": "claude-sonnet-4-5"}
    )
    fitness_api.reset_counts()
    result = generate_pairs(lean, prompts, tmp_path / "lean")
    assert len(result.pairs) == 12
    answers = [line for line in result.usage if line.stage == "answers"]
    assert 12 * 2 <= sum(line.calls for line in answers) < 12 * 3  # two candidates where the flaw is certain
    skipped = [p for p in result.pairs if "LLM judge skipped" in p.response_1.judge.judge_model]
    judged = [p for p in result.pairs if p.response_1.judge.judge_model == "claude-sonnet-4-5"]
    assert skipped and len(skipped) + len(judged) == 12
    assert all(abs(p.selection.predicted_margin) >= 1.0 for p in skipped)
    assert fitness_api.successful_calls == sum(line.calls for line in answers) + len(judged)


def test_a_run_that_died_between_create_and_the_ledger_write_is_resumed(
    batch_settings, fitness_api, tmp_path
):
    """The window a SIGKILL may hit: the API has the batch, the ledger only the intent to submit it.

    Nothing is queued and no batch is live in the ledger then; the rerun must still adopt and poll
    that batch instead of returning the unanswered rows (it did: rows came back empty, 0 processed).
    """
    from rlhf_argilla.llms.batch_ledger import BatchLedger

    class Died(Exception):
        pass

    def die(*args, **kwargs):
        raise Died

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BatchLedger, "submitted", die)
        with pytest.raises(Died):
            generate_prompts(
                batch_settings.model_copy(update={"batch_max_requests": 100}), 6, tmp_path / "gen"
            )
    assert fitness_api.batches.creates == 1 and fitness_api.batches.processed == 0

    result = generate_prompts(batch_settings, 6, tmp_path / "gen")
    assert fitness_api.batches.creates == 1  # adopted, not submitted again
    assert fitness_api.batches.processed == 6 and fitness_api.message_calls == 0
    assert len(result.rows) == 6 and result.usage[-1].new_calls == 6


def test_a_killed_batch_run_resumes_by_polling_the_same_batch(tmp_path):
    """SIGKILL the CLI while its batch processes; the rerun polls that batch and submits nothing."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from rlhf_argilla.config import load_settings
    from rlhf_argilla.schema import PROMPTS_FILE
    from tests.fakes.fixtures import FAKE_API_KEY
    from tests.fakes.messages_api import FakeMessagesAPI
    from tests.generation.fitness_responder import fitness_responder

    out, data = tmp_path / "gen", tmp_path / "data"
    with FakeMessagesAPI(api_key=FAKE_API_KEY, responder=fitness_responder, batch_delay_s=3.0) as api:
        env = {
            **os.environ,
            "RLHF_ARGILLA_DATA_DIR": str(data),
            "RLHF_ARGILLA_BACKEND": "anthropic",
            "RLHF_ARGILLA_ANTHROPIC_API_KEY": FAKE_API_KEY,
            "RLHF_ARGILLA_ANTHROPIC_BASE_URL": api.url,
            "RLHF_ARGILLA_BATCH_POLL_S": "0.2",
        }
        command = [
            str(Path(sys.executable).parent / "rlhf-argilla"),
            "generate",
            "prompts",
            "-n",
            "8",
            "--batch",
            "--out",
            str(out),
        ]
        process = subprocess.Popen(
            command,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "stderr.txt").open("w"),
        )
        deadline = time.monotonic() + 120
        while api.batches.creates == 0 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert api.batches.creates == 1 and api.batches.processed == 0, (tmp_path / "stderr.txt").read_text()[
            -2000:
        ]
        assert not (out / PROMPTS_FILE).exists()

        settings = load_settings(
            backend="anthropic",
            anthropic_api_key=FAKE_API_KEY,
            anthropic_base_url=api.url,
            data_dir=data,
            batch=True,
            batch_poll_s=0.2,
        )
        result = generate_prompts(settings, 8, out)
        assert api.batches.creates == 1  # the rerun polled the killed run's batch: no second submission
        assert api.batches.processed == 8 and api.message_calls == 0
        assert len(result.rows) == 8 and all(row.generator.strategy == LLM_STRATEGY for row in result.rows)
        assert result.usage[-1].new_calls == 8  # answered by a batch during this run

        again = generate_prompts(settings, 8, out)
        assert api.batches.creates == 1 and api.message_calls == 0 and again.usage[-1].new_calls == 0


def test_the_judge_swap_probe_is_queued_with_the_judge_and_matches_a_direct_run(
    batch_settings, fitness_api, tmp_path
):
    from tests.fakes.biased_judge import position_biased
    from tests.generation.fitness_responder import fitness_responder

    fitness_api.responder = position_biased(0.5, fitness_responder)
    direct_settings = batch_settings.model_copy(update={"batch": False, "data_dir": tmp_path / "direct-data"})
    generate_prompts(direct_settings, 8, tmp_path / "gen")
    prompts = read_prompts(tmp_path / "gen")
    fitness_api.reset_counts()
    batched = generate_pairs(batch_settings, prompts, tmp_path / "batched", judge_swap_share=1.0)
    stats = fitness_api.stats()
    assert stats["message_calls"] == 0 and stats["batch_requests"] == 8 * 3 + 8 + 8  # answers, judge, probe
    direct = generate_pairs(direct_settings, prompts, tmp_path / "direct", judge_swap_share=1.0)
    assert batched.swap == direct.swap and batched.swap["compared"] == 8
    assert [p.selection for p in batched.pairs] == [p.selection for p in direct.pairs]
