"""The judge sees candidates in a seeded random order, undone before scores are stored; heuristic-v1 ignores order."""

from __future__ import annotations

import itertools
import json

import pytest

from rlhf_argilla.generation.heuristic_judge import heuristic_scores
from rlhf_argilla.generation.judge_order import in_order, judge_order, undo_order
from rlhf_argilla.generation.steps import HeuristicJudge


def test_orders_are_seeded_vary_by_prompt_and_are_undone():
    prompts = [f"question {i}" for i in range(600)]
    orders = [judge_order(p, 3, seed=4) for p in prompts]
    assert orders == [judge_order(p, 3, seed=4) for p in prompts]
    assert orders != [judge_order(p, 3, seed=5) for p in prompts]
    first = [order[0] for order in orders]
    assert all(abs(first.count(k) / len(first) - 1 / 3) < 0.06 for k in range(3))  # no favoured slot
    for order in orders[:50]:
        assert undo_order(in_order(["x", "y", "z"], order), order) == ["x", "y", "z"]


def test_heuristic_v1_is_order_independent():
    texts = [
        "Start with two short sessions a week, warm up for 5 minutes, and stop if a joint hurts.",
        "Push through the pain every day.",
        "Do 3 sets of 8 squats at an easy weight; add 2.5 kg a week if your form holds. See a physio for pain.",
    ]
    prompt = "How should I start squatting with a sore knee?"

    def judged(candidates):
        step = HeuristicJudge(name="judge")
        row = {"prompt": prompt, "subtopic": "strength_training", "candidates": json.dumps(candidates)}
        return json.loads(next(step.process([row]))[0]["judged"])

    candidates = [{"strategy": "certified_coach", "text": t} for t in texts]  # a schema.pairs.Candidate each
    forward = judged(candidates)
    for order in itertools.permutations(range(3)):  # every order: each answer keeps its scores
        assert judged([candidates[i] for i in order]) == [forward[i] for i in order]
    assert len({json.dumps(s) for s in forward}) == 3  # the candidates really differ
    assert forward[1] == heuristic_scores(prompt, texts[1], "strength_training").model_dump()


@pytest.mark.slow
def test_llm_judge_scores_land_on_the_right_candidate_despite_the_shuffle(
    anthropic_settings, fitness_api, tmp_path
):
    """The fake judge rates each shown text with heuristic-v1: stored scores must match their own text."""
    from rlhf_argilla.generation.pairs import generate_pairs
    from rlhf_argilla.generation.prompts import generate_prompts, read_prompts
    from rlhf_argilla.schema import PAIRS_FILE, PairRow

    out = tmp_path / "gen"
    generate_prompts(anthropic_settings, 8, out)
    generate_pairs(anthropic_settings, read_prompts(out), out)
    pairs = [PairRow.model_validate_json(line) for line in (out / PAIRS_FILE).read_text().splitlines()]
    assert len(pairs) == 8
    for pair in pairs:
        for response in (pair.response_1, pair.response_2):
            expected = heuristic_scores(pair.prompt, response.text, "strength_training")
            assert response.judge.model_dump(exclude={"judge_model", "rationale"}) == expected.model_dump(
                exclude={"judge_model", "rationale"}
            )
    assert any(judge_order(p.prompt, 3) != [0, 1, 2] for p in pairs)
