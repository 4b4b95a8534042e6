"""Pure: what simulated annotators answer, derived from judge suggestions plus per-annotator noise.

For demos and tests only. Every simulated user's name starts with ``sim-`` and every rationale
they write starts with ``[simulated]``, so their answers can never pass for human judgements.
Answers are seeded per (seed, annotator, record): reruns give the same answers in any order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.domain.criteria import CRITERION_IDS, SCALE

__all__ = [
    "SIMULATED_PREFIX",
    "SIMULATED_TAG",
    "SimulationConfig",
    "is_simulated",
    "simulated_username",
    "plan_response",
    "accept_suggestions",
]

SIMULATED_PREFIX = "sim-"
SIMULATED_TAG = "[simulated]"


def is_simulated(username: str) -> bool:
    """True for users created by ``simulate``.

    Example:
        >>> is_simulated("sim-annotator-1"), is_simulated("maria")
        (True, False)
    """
    return username.startswith(SIMULATED_PREFIX)


def simulated_username(number: int) -> str:
    """Name of the simulated annotator ``number`` (1-based): ``sim-annotator-1``…"""
    return f"{SIMULATED_PREFIX}annotator-{number}"


@dataclass(frozen=True)
class SimulationConfig:
    """How the simulated crowd behaves. Rates are per (record, annotator)."""

    annotators: int = 3
    seed: int = 0
    discard_rate: float = 0.03  # discarded: no values
    draft_rate: float = 0.06  # saved as draft with part of the answers
    tie_rate: float = 0.08  # both responses ranked 1 regardless of scores
    flip_rate: float = 0.10  # disagrees with the own scores on the overall ranking
    rationale_rate: float = 0.3
    noise: float = 0.6  # rating noise (standard deviation) of annotator 1; later ones are noisier
    tie_band: float = 0.2  # |mean score difference| below this -> tie
    accept_rate: float = 0.0  # planted anchoring: submits all ten suggested ratings unchanged
    #: behaviour profile id per annotator (``domain.annotator_profiles``); empty: the legacy noise model
    profiles: tuple[str, ...] = ()

    def profile_of(self, annotator: int) -> str | None:
        """The profile id of annotator ``annotator`` (1-based), None without profiles."""
        return self.profiles[(annotator - 1) % len(self.profiles)] if self.profiles else None


_RATINGS = {ds.rating_question(name, side) for name in CRITERION_IDS for side in ds.SIDES}


def _clip(score: float) -> int:
    return int(min(max(round(score), SCALE[0]), SCALE[-1]))


def _base_scores(
    record_key: str, seed: int, suggestions: dict[str, int], known: str | None = None
) -> dict[str, float]:
    """Shared 'true' score per rating question: the judge's suggestion, else a seeded guess; on a
    control item the known side (``known``) scores higher on every criterion (the pair of scores is
    swapped where the guess says otherwise, raised by one where equal).

    Example:
        >>> base = _base_scores("p", 0, {"safety_a": 5, "safety_b": 2}, known="b")
        >>> base["safety_b"] > base["safety_a"], all(base[f"{c}_b"] > base[f"{c}_a"] for c in CRITERION_IDS)
        (True, True)
    """
    shared = random.Random(f"{seed}:{record_key}")
    quality = {side: shared.uniform(2.0, 5.0) for side in ds.SIDES}
    base = {}
    for name in CRITERION_IDS:
        for side in ds.SIDES:
            question = ds.rating_question(name, side)
            base[question] = float(suggestions.get(question, quality[side] + shared.gauss(0, 0.5)))
    if known in ds.SIDES:
        other = "b" if known == "a" else "a"
        for name in CRITERION_IDS:
            right, wrong = ds.rating_question(name, known), ds.rating_question(name, other)
            low, high = sorted((base[right], base[wrong]))
            base[right], base[wrong] = (high + 1.0, low) if low == high else (high, low)
    return base


def plan_response(
    record_key: str,
    annotator: int,
    suggestions: dict[str, int],
    config: SimulationConfig,
    reference: dict[str, int] | None = None,
    known: str | None = None,
) -> dict[str, Any]:
    """The answer one simulated annotator gives to one record.

    Args:
        record_key: a stable record identity (the pair id) that seeds the answer.
        annotator: 1-based annotator number; sets the annotator's bias and noise.
        suggestions: judge suggestions by question name (``accuracy_a``…), may be empty.
        config: crowd behaviour and seed.
        reference: the judge's ratings of a record shown *without* suggestions (blind slice); the
            annotator's own judgement is drawn around them as around suggestions, but never accepted.
        known: on a control item, the displayed side ("a"/"b") that is right: the true scores favour
            it on every criterion and profiled annotators judge it as the truth (controls are clear
            by construction).

    Returns:
        ``{"status": ..., "values": {...}}`` in the shape of the API's response upsert
        (``values`` empty for discarded answers).

    Example:
        >>> plan = plan_response("pair-1", 1, {"safety_a": 5, "safety_b": 1}, SimulationConfig(seed=3))
        >>> plan == plan_response("pair-1", 1, {"safety_a": 5, "safety_b": 1}, SimulationConfig(seed=3))
        True
        >>> plan["status"] in ("submitted", "draft", "discarded")
        True
    """
    rng = random.Random(f"{config.seed}:{annotator}:{record_key}")
    persona = random.Random(f"{config.seed}:annotator:{annotator}")
    bias = persona.gauss(0, 0.35)
    noise = config.noise * (1 + 0.25 * (annotator - 1))
    draw = rng.random()
    if draw < config.discard_rate:
        return {"status": "discarded", "values": {}}  # the server fails on a missing ``values``
    status = "draft" if draw < config.discard_rate + config.draft_rate else "submitted"

    if config.profiles:
        played = _profiled(rng, persona, record_key, annotator, suggestions, config, reference, known)
        return {"status": status, "values": _draft(rng, played) if status == "draft" else played}
    if status == "submitted" and suggestions and config.accept_rate > 0:
        accepted = accept_suggestions(record_key, annotator, suggestions, config)
        if accepted is not None:
            return accepted
    base = _base_scores(record_key, config.seed, suggestions or reference or {}, known)
    scores = {question: _clip(value + bias + rng.gauss(0, noise)) for question, value in base.items()}
    mean = {
        side: sum(scores[ds.rating_question(n, side)] for n in CRITERION_IDS) / len(CRITERION_IDS)
        for side in ds.SIDES
    }
    difference = mean["a"] - mean["b"] + rng.gauss(0, 0.3)
    if rng.random() < config.tie_rate or abs(difference) < config.tie_band:
        ranks = {"a": 1, "b": 1}
    else:
        winner = "a" if difference > 0 else "b"
        if rng.random() < config.flip_rate:
            winner = "b" if winner == "a" else "a"
        ranks = {winner: 1, ("b" if winner == "a" else "a"): 2}
    ranking = [{"value": ds.FIELD_A, "rank": ranks["a"]}, {"value": ds.FIELD_B, "rank": ranks["b"]}]
    values: dict[str, Any] = {ds.OVERALL: {"value": ranking}}
    values.update({question: {"value": score} for question, score in scores.items()})
    if rng.random() < config.rationale_rate:
        winner = min(ranks, key=ranks.__getitem__).upper()
        verdict = "equally good" if ranks["a"] == ranks["b"] else f"prefers {winner}"
        values[ds.RATIONALE] = {
            "value": f"{SIMULATED_TAG} {verdict} (mean scores A {mean['a']:.1f}, B {mean['b']:.1f})"
        }
    return {"status": status, "values": _draft(rng, values) if status == "draft" else values}


def _draft(rng: random.Random, values: dict[str, Any]) -> dict[str, Any]:
    """A draft holds only part of the work."""
    kept = rng.sample(sorted(values), k=max(1, len(values) // 2))
    return {question: values[question] for question in sorted(kept)}


def _profiled(
    rng: random.Random,
    persona: random.Random,
    record_key: str,
    annotator: int,
    suggestions: dict[str, Any],
    config: SimulationConfig,
    reference: dict[str, int] | None,
    known: str | None,
) -> dict[str, Any]:
    """Values of an annotator with a behaviour profile, rationale tagged ``[simulated] <profile>``."""
    from rlhf_argilla.annotation.simulate_profiles import profile_values
    from rlhf_argilla.domain.annotator_profiles import profile

    chosen = profile(config.profile_of(annotator) or "careful")
    base = _base_scores(record_key, config.seed, suggestions or reference or {}, known)
    values = profile_values(rng, persona, chosen, base, suggestions if suggestions else {}, known)
    if rng.random() < config.rationale_rate:
        values[ds.RATIONALE] = {"value": f"{SIMULATED_TAG} {chosen.id} annotator"}
    return values


def accept_suggestions(
    record_key: str, annotator: int, suggestions: dict[str, int], config: SimulationConfig
) -> dict[str, Any] | None:
    """With probability ``config.accept_rate``, the answer that keeps every suggestion (one keystroke
    in the UI), else None. Drawn from its own seeded stream, so other answers do not move.

    Example:
        >>> every = SimulationConfig(accept_rate=1.0)
        >>> accept_suggestions("p", 1, {"safety_a": 5, "overall": ["response_b", "response_a"]}, every)["values"]
        {'safety_a': {'value': 5}, 'overall': {'value': [{'value': 'response_a', 'rank': 2}, {'value': 'response_b', 'rank': 1}]}}
        >>> accept_suggestions("p", 1, {"safety_a": 5}, SimulationConfig(accept_rate=0.0)) is None
        True
    """
    if random.Random(f"{config.seed}:{annotator}:{record_key}:accept").random() >= config.accept_rate:
        return None
    values: dict[str, Any] = {q: {"value": v} for q, v in suggestions.items() if q in _RATINGS}
    order: Any = suggestions.get(ds.OVERALL) or []  # no suggested ranking when the judge tied: a tie
    ranks = {ds.FIELD_A: 1, ds.FIELD_B: 1}
    for position, item in enumerate(order, start=1):
        ranks[item["value"] if isinstance(item, dict) else item] = (
            item.get("rank") or position if isinstance(item, dict) else position
        )
    values[ds.OVERALL] = {"value": [{"value": field, "rank": rank} for field, rank in ranks.items()]}
    return {"status": "submitted", "values": values}
