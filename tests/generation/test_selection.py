"""Pure pair selection: largest predicted margin above a text-distance floor, and the tie rate."""

from __future__ import annotations

import pytest

from rlhf_argilla.generation.selection import is_tie, select_pair, tie_rate

GOOD = "Do 3 sets of 8 squats twice a week and stop if your knee hurts."
NEAR_COPY = "Do 3 sets of 8 squats twice a week and stop if your knee hurts!"
BAD = "It depends, just go all out every day."
OTHER = "Walk 20 minutes daily, then add two short strength sessions with light dumbbells."


def test_picks_the_widest_margin_and_keeps_candidate_order():
    choice = select_pair([BAD, OTHER, GOOD], [1.6, 3.4, 4.4])
    assert (choice.first, choice.second) == (0, 2)
    assert choice.margin == pytest.approx(-2.8) and choice.method.startswith("max-judge-margin")


def test_distance_floor_rejects_near_identical_answers():
    # the near copy has the biggest score gap but says the same thing
    choice = select_pair([GOOD, NEAR_COPY, OTHER], [4.6, 1.2, 3.8], min_distance=0.5)
    assert (choice.first, choice.second) == (1, 2) and choice.distance >= 0.5


def test_no_pair_above_the_floor_falls_back_to_the_most_different_and_says_so():
    choice = select_pair([GOOD, NEAR_COPY], [4.0, 2.0], min_distance=0.99)
    assert (choice.first, choice.second) == (0, 1) and choice.method.startswith("max-distance")


def test_equal_margins_prefer_more_different_texts():
    choice = select_pair([GOOD, NEAR_COPY, BAD], [3.0, 4.0, 4.0], min_distance=0.0)
    assert (choice.first, choice.second) == (0, 2)


def test_tie_rate_uses_the_threshold():
    assert is_tie(0.2) and not is_tie(-0.4)
    assert tie_rate([0.0, 0.2, -0.2, 1.0, -1.4]) == pytest.approx(0.6)
    assert tie_rate([]) == 0.0


def test_needs_two_scored_candidates():
    with pytest.raises(ValueError):
        select_pair([GOOD], [3.0])
