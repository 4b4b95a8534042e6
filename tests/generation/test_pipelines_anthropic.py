"""Prompt and pair pipelines on the anthropic backend: real SDK, loopback Messages API (only base_url differs)."""

from __future__ import annotations

import json

import pytest

from rlhf_argilla.domain.strategies import STRATEGY_IDS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.generation.pairs import generate_pairs
from rlhf_argilla.generation.prompts import generate_prompts, read_prompts
from rlhf_argilla.generation.questions import LLM_STRATEGY
from rlhf_argilla.schema import PAIRS_FILE, PROMPTS_FILE, PairRow

pytestmark = pytest.mark.slow


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_prompts_then_pairs_end_to_end_with_llm_judge(anthropic_settings, fitness_api, tmp_path):
    out = tmp_path / "gen"
    prompts = generate_prompts(anthropic_settings, 30, out)
    assert len(prompts.rows) == 30 and len({row.prompt_id for row in prompts.rows}) == 30
    assert {row.subtopic for row in prompts.rows} == set(SUBTOPIC_IDS)
    assert all(
        row.generator.strategy == LLM_STRATEGY
        and row.generator.model == "claude-haiku-4-5"
        and row.usage.output_tokens > 0
        for row in prompts.rows
    )
    assert fitness_api.successful_calls == 30

    fitness_api.reset_counts()
    result = generate_pairs(anthropic_settings, read_prompts(out), out)
    assert fitness_api.successful_calls == 30 * 3 + 30  # three candidates + one judge call per prompt
    pairs = [PairRow.model_validate_json(line) for line in _lines(out / PAIRS_FILE)]
    assert [pair.prompt_id for pair in pairs] == [row.prompt_id for row in prompts.rows]
    for pair in pairs:
        for response in (pair.response_1, pair.response_2):
            assert response.strategy in STRATEGY_IDS and response.model == "claude-haiku-4-5"
            assert response.judge.judge_model == "claude-haiku-4-5" and response.judge.rationale
            assert response.usage.input_tokens > 0 and "temperature" not in response.params
        assert pair.selection.predicted_margin == pytest.approx(
            pair.response_1.judge.mean() - pair.response_2.judge.mean(), abs=1e-3
        )
        assert pair.pair_id == PairRow.make_id(pair.prompt, pair.response_1.text, pair.response_2.text)
    # every contrast pair has one deliberate flaw, and the judge sees it: no predicted ties
    assert result.kinds["contrast"]["pairs"] == 15 and result.kinds["contrast"]["predicted_tie_rate"] < 0.1
    assert any(line.stage == "judge" and line.new_calls == 30 for line in result.usage)
    summary = json.loads((out / "pairs.summary.json").read_text())
    assert summary["pairs"] == 30 and summary["predicted_tie_rate"] == result.tie_rate


def test_rerun_makes_zero_new_calls_and_writes_the_same_files(anthropic_settings, fitness_api, tmp_path):
    out = tmp_path / "gen"
    generate_prompts(anthropic_settings, 12, out)
    generate_pairs(anthropic_settings, read_prompts(out), out)
    first = (_lines(out / PROMPTS_FILE), _lines(out / PAIRS_FILE))
    fitness_api.reset_counts()
    generate_prompts(anthropic_settings, 12, out)
    result = generate_pairs(anthropic_settings, read_prompts(out), out)
    assert fitness_api.message_calls == 0
    assert (_lines(out / PROMPTS_FILE), _lines(out / PAIRS_FILE)) == first
    assert result.usage[-1].new_calls == 0 and result.usage[-1].cached_calls == 12 * 4
    key = anthropic_settings.anthropic_api_key.get_secret_value().encode()
    written = [path for path in tmp_path.rglob("*") if path.is_file()]  # outputs, LLM cache, distilabel cache
    assert len(written) > 5 and not [path for path in written if key in path.read_bytes()]


def test_budget_stop_keeps_finished_pairs_and_a_rerun_completes_them(
    anthropic_settings, fitness_api, tmp_path
):
    out = tmp_path / "gen"
    generate_prompts(anthropic_settings, 16, out)
    prompts = read_prompts(out)
    fitness_api.reset_counts()
    stopped = generate_pairs(anthropic_settings, prompts, out, max_cost_usd=0.015, batch_size=4)
    made = fitness_api.successful_calls
    assert 0 < made < 16 * 4
    assert 0 < len(stopped.pairs) < 16
    assert stopped.usage[-1].missing > 0
    kept = [PairRow.model_validate_json(line) for line in _lines(out / PAIRS_FILE)]
    assert kept == stopped.pairs

    fitness_api.reset_counts()
    done = generate_pairs(anthropic_settings, prompts, out, batch_size=4)
    assert len(done.pairs) == 16
    assert fitness_api.successful_calls == 16 * 4 - made  # only what the budget stopped
    assert {pair.pair_id for pair in stopped.pairs} <= {pair.pair_id for pair in done.pairs}


def test_unparseable_judge_verdicts_fall_back_to_the_heuristic_and_say_so(
    anthropic_settings, fitness_api, tmp_path
):
    from rlhf_argilla.generation.llm_judge import JUDGE_SYSTEM
    from tests.generation.fitness_responder import fitness_responder

    def chatty_judge(body, sample):
        system = body.get("system")
        text = system if isinstance(system, str) else "".join(block["text"] for block in system or [])
        return "Response 1 is clearly better." if text == JUDGE_SYSTEM else fitness_responder(body, sample)

    fitness_api.responder = chatty_judge
    out = tmp_path / "gen"
    generate_prompts(anthropic_settings, 5, out)
    result = generate_pairs(anthropic_settings, read_prompts(out), out)
    assert len(result.pairs) == 5
    assert all(
        response.judge.judge_model == "heuristic-v1 (fallback: unparseable claude-haiku-4-5 verdict)"
        for pair in result.pairs
        for response in (pair.response_1, pair.response_2)
    )


def test_injected_429_and_529_are_retried_inside_the_pipeline(anthropic_settings, fitness_api, tmp_path):
    fitness_api.inject(429, times=3, retry_after=0.05)
    fitness_api.inject(529, times=2, retry_after=0.05)
    result = generate_prompts(anthropic_settings, 6, tmp_path / "gen")
    assert fitness_api.message_calls == 6 + 5 and fitness_api.successful_calls == 6
    assert result.usage[-1].missing == 0
    assert all(row.generator.strategy == LLM_STRATEGY for row in result.rows)
