"""Prompt and pair pipelines end to end on the embedded SmolLM2 model (real llama.cpp, no network)."""

from __future__ import annotations

import pytest

from rlhf_argilla.config import load_settings
from rlhf_argilla.generation.heuristic_judge import HEURISTIC_JUDGE
from rlhf_argilla.generation.pairs import generate_pairs
from rlhf_argilla.generation.prompts import generate_prompts, read_prompts
from rlhf_argilla.generation.questions import LLM_STRATEGY, TEMPLATE_STRATEGY
from rlhf_argilla.generation.whole_answers import ends_mid_sentence
from rlhf_argilla.llms import EMBEDDED_MODEL_NAME

pytestmark = pytest.mark.slow


def test_small_embedded_run_labels_every_row_and_reruns_without_calls(tmp_path):
    settings = load_settings(backend="embedded", data_dir=tmp_path / "data")
    out = tmp_path / "gen"
    prompts = generate_prompts(settings, 3, out, subtopics=["running", "supplements", "injury_rehab"])
    assert len(prompts.rows) == 3 and {row.subtopic for row in prompts.rows} == {
        "running",
        "supplements",
        "injury_rehab",
    }
    for row in prompts.rows:
        assert row.generator.backend == "embedded" and row.generator.model == EMBEDDED_MODEL_NAME
        assert row.generator.strategy in (LLM_STRATEGY, TEMPLATE_STRATEGY)
        assert row.prompt.startswith("I'm ") and row.prompt.endswith(("?", "follow."))
        assert row.usage.output_tokens > 0  # the model was asked even when its output was unusable

    result = generate_pairs(settings, read_prompts(out), out, candidates=2)
    # a prompt whose answer was cut to a fragment is left unanswered (whole answers): with two candidates
    # and no flaw edit to stand in (a close prompt), it gets no pair; every other prompt gets one
    assert 2 <= len(result.pairs) <= 3
    for pair in result.pairs:
        for response in (pair.response_1, pair.response_2):
            assert response.model == EMBEDDED_MODEL_NAME and response.text.strip()
            assert not ends_mid_sentence(response.text), response.text  # whole answers reach Argilla
            assert response.judge.judge_model == HEURISTIC_JUDGE and response.params["max_new_tokens"] == 64
            assert "temperature" in response.params and response.usage.output_tokens > 0
        flawed = [r for r in (pair.response_1, pair.response_2) if r.strategy.startswith("flaw_")]
        assert len(flawed) == (1 if pair.pair_kind == "contrast" else 0)  # close: two honest personas
        assert all("flaw_edit" in response.params for response in flawed)
    assert result.kinds["close"]["requested"] == 2  # round(0.5 x 3): halves round up
    assert [pair.pair_kind for pair in result.pairs].count("close") == result.kinds["close"]["pairs"]
    assert result.kinds["contrast"]["pairs"] == result.kinds["contrast"]["requested"] == 1

    again = generate_pairs(settings, read_prompts(out), out, candidates=2)
    assert again.usage[-1].new_calls == 0 and again.pairs == result.pairs
