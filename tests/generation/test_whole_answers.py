"""Whole answers: SmolLM2 outputs cut at the 64-token cap (taken from a demo run's response cache)."""

from __future__ import annotations

import pytest

from rlhf_argilla.generation.flaws import FLAW_EDITS
from rlhf_argilla.generation.whole_answers import ends_mid_sentence, hit_cap, trim_capped, whole_answer

#: real capped generations of the embedded model (output tokens == max_new_tokens == 64)
CUT = [
    "For a half marathon, it's essential to prioritize mobility. I recommend a 20-30km running routine that "
    "incorporates both aerobic and anaerobic exercises. This routine should include a mix of high-intensity "
    "interval training (HIIT), compound exercises like running, and light weights (e.g., dumbb",
    "To meet your daily needs for rest days, you'll need to prioritize rest days that fit your workout routine "
    "and allow for recovery. Here's a plan to meet your rest days:\n\n1. Rest days:\n- 2-3 days: 2-4 times per "
    "week.\n- 4-5",
    "To lose weight safely, I recommend the following:\n\n1. **Be mindful of your diet and lifestyle**: A "
    "balanced diet with plenty of protein and fiber is essential for weight loss.\n\n2. **Lose 1-2 pounds per "
    "week**: This is the recommended daily calorie deficit.\n\n3. **A",
    "Sure thing! Just like any medical condition, it's all about a balanced approach and what's right for you. "
    "Let's focus on hydration during your training. You can definitely drink at least 2 liters of water during "
    "the main part of your training, but you should also drink half that amount if you're doing the",
    "Try these:\n- Squats\n- Lunges\n- C",
]


@pytest.mark.parametrize("text", CUT)
def test_a_cut_generation_is_flagged_and_its_trim_ends_whole(text):
    assert ends_mid_sentence(text)
    trim = whole_answer(text, capped=True)
    assert trim.text and not ends_mid_sentence(trim.text) and text.startswith(trim.text)
    assert trim.params() == {"trimmed": True, "trimmed_chars": len(text) - len(trim.text)}
    for edit in FLAW_EDITS.values():  # the embedded flaw edits keep the answer whole
        assert not ends_mid_sentence(edit(trim.text)), edit.__name__


def test_trims_keep_numbers_abbreviations_and_complete_list_items():
    assert trim_capped(CUT[0]).endswith("aerobic and anaerobic exercises.")
    assert trim_capped(CUT[1]).endswith("- 2-3 days: 2-4 times per week.")
    assert trim_capped(CUT[2]).endswith("This is the recommended daily calorie deficit.")
    assert (
        trim_capped("Add 2.5 kg, e.g. on squats. Rest 2 min. Then go for")
        == "Add 2.5 kg, e.g. on squats. Rest 2 min."
    )
    assert trim_capped("## Warm-up\n- Walk 5 min\n\n## Main\n") == "## Warm-up\n- Walk 5 min"
    assert trim_capped("Squat well.\n```\nsquat 3x5\n") == "Squat well."


def test_an_uncut_answer_is_never_changed_and_a_fragment_is_no_answer():
    assert whole_answer("Rest and", capped=False).text == "Rest and"
    assert whole_answer("Rest and hydrate well because the", capped=True).text is None
    assert hit_cap({"output_tokens": 600}, 600) and not hit_cap({"output_tokens": 599}, 600)


def test_the_check_accepts_whole_markdown_endings():
    whole = [
        "Rest 2 days.",
        "Plan:\n- Squats\n- Lunges",
        "Is it safe? Yes!",
        "Go slow (really).",
        "| a | 2 |",
    ]
    assert not any(ends_mid_sentence(text) for text in whole)
    cut = ["Rest, e.g.", "- Lift with your", "Here is a plan:", "## Tips", "**Day 1: Legs**", "Sets: 3,"]
    assert all(ends_mid_sentence(text) for text in cut)
