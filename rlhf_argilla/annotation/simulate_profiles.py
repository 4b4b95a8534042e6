"""Pure: the values one *simulated* annotator with a behaviour profile gives one record.

Works in display space (response A / B as shown): the truth is the side the shared true scores
favour (the judge's suggestions, or a seeded guess) or, on control items, the known answer.
Profiles are data (``domain.annotator_profiles``); this module only plays them.
"""

from __future__ import annotations

import random
from typing import Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.domain.annotator_profiles import AnnotatorProfile
from rlhf_argilla.domain.criteria import SCALE

__all__ = ["true_side", "profile_values"]


def true_side(base: dict[str, float], known: str | None = None) -> str:
    """ "a", "b" or "tie": the known answer if given, else the side with the higher mean true score.

    Example:
        >>> true_side({"safety_a": 4.0, "safety_b": 2.0}), true_side({"safety_a": 3.0, "safety_b": 3.0}, "b")
        ('a', 'b')
    """
    if known in ds.SIDES:
        return known
    mean = {side: sum(v for q, v in base.items() if q.endswith(f"_{side}")) for side in ds.SIDES}
    return "tie" if mean["a"] == mean["b"] else ("a" if mean["a"] > mean["b"] else "b")


def _ranking(winner: str) -> list[dict[str, Any]]:
    ranks = {"a": 1, "b": 1} if winner == "tie" else {winner: 1, ("b" if winner == "a" else "a"): 2}
    return [{"value": ds.FIELD_A, "rank": ranks["a"]}, {"value": ds.FIELD_B, "rank": ranks["b"]}]


def _clip(score: float) -> int:
    return int(min(max(round(score), SCALE[0]), SCALE[-1]))


def profile_values(
    rng: random.Random,
    persona: random.Random,
    profile: AnnotatorProfile,
    base: dict[str, float],
    suggestions: dict[str, Any],
    known: str | None = None,
) -> dict[str, Any]:
    """The response values (``overall`` ranking and the ten ratings) of one profiled annotator.

    Args:
        rng: the (seed, annotator, record) stream; persona: the (seed, annotator) stream (rating bias).
        profile: the behaviour to play.
        base: true score per rating question (``accuracy_a``…).
        suggestions: what was pre-filled (question -> value), for the suggestion-accepter.
        known: the control item's right side ("a"/"b"), if the record is a control.

    Example:
        >>> from rlhf_argilla.domain.annotator_profiles import profile
        >>> from rlhf_argilla.domain.criteria import CRITERION_IDS
        >>> base = {f"{c}_{s}": (5.0 if s == "a" else 2.0) for c in CRITERION_IDS for s in ds.SIDES}
        >>> values = profile_values(random.Random(1), random.Random(2), profile("straight-liner"), base, {})
        >>> len({values[q]["value"] for q in base}), [item["rank"] for item in values["overall"]["value"]]
        (1, [1, 1])
    """
    ratings = list(base)
    if profile.accept_rate and suggestions and rng.random() < profile.accept_rate:
        order = suggestions.get(ds.OVERALL) or []
        winner = "tie"
        if order:
            first = order[0]["value"] if isinstance(order[0], dict) else order[0]
            winner = "a" if first == ds.FIELD_A else "b"
        values = {q: {"value": v} for q, v in suggestions.items() if q in base}
        values.update({q: {"value": _clip(base[q])} for q in ratings if q not in values})
        values[ds.OVERALL] = {"value": _ranking(winner)}
        return values
    if profile.spam == "random":
        scores = {q: rng.choice(SCALE) for q in ratings}
        winner = rng.choice(("a", "b", "tie"))
    elif profile.spam == "straight":
        value = rng.choice(SCALE[2:])
        scores = {q: value for q in ratings}
        winner = "tie"
    else:
        bias = persona.gauss(0, 0.25)
        scores = {q: _clip(v + bias + rng.gauss(0, profile.noise)) for q, v in base.items()}
        truth = true_side(base, known)
        if rng.random() < profile.prefers_a:
            winner = "a"
        elif rng.random() < profile.tie_rate:
            winner = "tie"
        elif truth == "tie":
            winner = rng.choice(("a", "b"))
        elif rng.random() < profile.accuracy:
            winner = truth
        else:
            winner = "b" if truth == "a" else "a"
    values = {q: {"value": score} for q, score in scores.items()}
    values[ds.OVERALL] = {"value": _ranking(winner)}
    return values
