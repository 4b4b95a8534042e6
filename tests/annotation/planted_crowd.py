"""A planted synthetic crowd without a server: simulated profiles answer pairs whose better side is known."""

from __future__ import annotations

import random

from rlhf_argilla.annotation.simulate_plan import SimulationConfig, plan_response
from rlhf_argilla.domain.criteria import CRITERION_IDS

CLASS = {"1": 0, "2": 1, "tie": 2}


def planted_crowd(profiles: tuple[str, ...], seed: int, items: int = 200):
    """(labels items x annotators in original space as CLASS codes, truth codes, plans)."""
    import numpy as np

    config = SimulationConfig(
        annotators=len(profiles), seed=seed, profiles=profiles, discard_rate=0, draft_rate=0
    )
    rng = random.Random(seed)
    labels = np.full((items, len(profiles)), -1)
    truth = np.zeros(items, dtype=int)
    for item in range(items):
        better = rng.choice("ab")
        suggestions = {
            f"{name}_{side}": rng.choice((4, 5)) if side == better else rng.choice((2, 3))
            for name in CRITERION_IDS
            for side in "ab"
        }
        a_is = rng.choice((1, 2))
        truth[item] = (a_is if better == "a" else 3 - a_is) - 1
        for worker in range(len(profiles)):
            plan = plan_response(f"p{item}", worker + 1, suggestions, config)
            ranks = {entry["value"]: entry["rank"] for entry in plan["values"]["overall"]["value"]}
            if ranks["response_a"] == ranks["response_b"]:
                labels[item, worker] = CLASS["tie"]
            else:
                shown = "a" if ranks["response_a"] == 1 else "b"
                labels[item, worker] = (a_is if shown == "a" else 3 - a_is) - 1
    return labels, truth
