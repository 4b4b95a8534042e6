"""Pure text parts: question extraction and composition, flaw edits, heuristic-v1, LLM-judge parsing."""

from __future__ import annotations

import json

import pytest

from rlhf_argilla.generation.allocation import Slot
from rlhf_argilla.generation.candidates import strategies_for
from rlhf_argilla.generation.finalise import finalise
from rlhf_argilla.generation.flaws import drop_safety, pad_rambling, strip_specifics
from rlhf_argilla.generation.heuristic_judge import HEURISTIC_JUDGE, count_cues, heuristic_scores
from rlhf_argilla.generation.llm_judge import JUDGE_SYSTEM, judge_messages, parse_verdict
from rlhf_argilla.generation.questions import (
    LLM_STRATEGY,
    TEMPLATE_STRATEGY,
    compose_prompt,
    extract_question,
)

SLOT = Slot(0, "running", "older_adult", "advanced", 1)
COACH = (
    "Start with 3 walk-run sessions a week: 1 minute of jogging, 2 minutes of walking, 20 minutes in total.\n"
    "- Add 1 minute of jogging per week.\n- Warm up first and stop if your knee hurts; see a "
    "physiotherapist if pain lasts more than a week."
)
FLAWED = "It depends. Just go all out and push through the pain, everyone is different."


def test_question_is_taken_from_chatty_output_and_scaffolded_with_the_asker():
    raw = 'Sure! Here is one: "How can I build up my running distance safely at my age?" Hope it helps.'
    prompt, strategy = compose_prompt(SLOT, raw)
    assert strategy == LLM_STRATEGY
    assert (
        prompt.startswith("I'm a person over 65")
        and "How can I build up my running distance safely" in prompt
    )
    assert prompt.endswith("what trade-offs should I make?")  # advanced difficulty follow-up


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "Running is good for you.",
        "What is the capital of France today?",
        "Here is an example question about running for you?",
        "Run?",
    ],
)
def test_unusable_output_falls_back_to_the_template(raw):
    assert extract_question(raw, SLOT) is None
    assert compose_prompt(SLOT, raw)[1] == TEMPLATE_STRATEGY


def test_finalise_replaces_a_duplicate_question_by_the_template_and_orders_by_slot():
    question = "Can I keep running three times a week with my stiff knees and still improve?"
    rows = [
        {
            "index": i,
            "subtopic": "running",
            "persona": "older_adult",
            "difficulty": "basic",
            "variant": i,
            "raw_question": question,
            "model_name": "m",
            "distilabel_metadata": {"statistics_w": {"input_tokens": [10], "output_tokens": [5]}},
        }
        for i in (1, 0)
    ]
    kept = [json.loads(row["prompt_row"]) for row in finalise(rows, "statistics_w", "embedded")]
    assert [row["generator"]["strategy"] for row in kept] == [LLM_STRATEGY, TEMPLATE_STRATEGY]
    assert kept[0]["usage"]["input_tokens"] == 10 and kept[0]["generator"]["backend"] == "embedded"
    assert len({row["prompt_id"] for row in kept}) == 2


def test_flaw_edits_make_the_flaw_happen():
    assert "physiotherapist" not in drop_safety(COACH) and "Start with 3" in drop_safety(COACH)
    vague = strip_specifics(COACH)
    assert not any(ch.isdigit() for ch in vague) and vague.count(".") <= 2
    rambling = pad_rambling("Rest more. Sleep well.")
    assert rambling.count("sleep well") + rambling.count("Sleep well") == 2


def test_heuristic_prefers_the_careful_specific_answer_and_explains_itself():
    good = heuristic_scores("How do I start running at 70?", COACH, "running")
    bad = heuristic_scores("How do I start running at 70?", FLAWED, "running")
    assert good.judge_model == bad.judge_model == HEURISTIC_JUDGE
    assert (
        good.safety > bad.safety and good.actionability > bad.actionability and good.mean() - bad.mean() >= 1
    )
    assert "risky pushes" in bad.rationale and "not a fact check" in bad.rationale
    cues = count_cues("How do I start running?", COACH)
    assert cues.list_items == 2 and cues.numbers_with_units >= 3 and cues.safety >= 3


def test_rambling_repetition_costs_clarity():
    plain = heuristic_scores("How do I start running at 70?", COACH, "running")
    padded = heuristic_scores("How do I start running at 70?", pad_rambling(COACH), "running")
    assert padded.clarity < plain.clarity and padded.completeness <= plain.completeness


def test_llm_judge_prompt_carries_the_rubric_and_parses_a_verdict():
    messages = judge_messages("Q?", ["A one", "A two"])
    assert messages[0]["content"] == JUDGE_SYSTEM and "Actionability" in JUDGE_SYSTEM
    assert "<response 2>\nA two\n</response 2>" in messages[1]["content"]
    verdict = [
        {
            "response": 2,
            "accuracy": 1,
            "safety": 1,
            "clarity": 2,
            "completeness": 1,
            "actionability": 1,
            "rationale": "unsafe",
        },
        {"response": 1, "accuracy": 5, "safety": 4, "clarity": 4, "completeness": 4, "actionability": 5},
    ]
    scores = parse_verdict("Here you go:\n" + json.dumps(verdict), 2, "claude-haiku-4-5")
    assert [score.accuracy for score in scores] == [5, 1] and scores[1].rationale == "unsafe"
    assert parse_verdict(json.dumps(verdict[:1]), 2, "m") is None  # wrong count
    assert parse_verdict(json.dumps([{**verdict[0], "safety": 9}] * 2), 2, "m") is None  # out of scale


def test_candidate_sets_are_stable_and_end_with_one_flaw():
    first = strategies_for("00000000000000ff", 3)
    assert first == strategies_for("00000000000000ff", 3) and first[-1].startswith("flaw_")
    assert sum(s.startswith("flaw_") for s in first) == 1


def test_a_copied_example_counts_as_the_template():
    copied = 'Question: "How do I pace a long run compared with an easy run?"'  # SLOT's seed, verbatim
    assert extract_question(copied, SLOT) is not None
    assert compose_prompt(SLOT, copied)[1] == TEMPLATE_STRATEGY


def test_flaw_edits_lower_the_heuristic_score_of_an_answer():
    question = "How do I start running at 70?"
    plain = heuristic_scores(question, COACH, "running").mean()
    for edit in (drop_safety, strip_specifics, pad_rambling):
        assert heuristic_scores(question, edit(COACH), "running").mean() < plain, edit.__name__
