"""Behaviour profiles of *simulated* annotators, as data (``simulate --profiles``; demos and tests only).

Each profile plants one behaviour the reliability report must recover. The careful profile is
calibrated to published human agreement: on MT-Bench, expert human judges agree with each other on
about 81 % of pairwise votes once ties are left out (Zheng et al. 2023, "Judging LLM-as-a-Judge with
MT-Bench and Chatbot Arena", NeurIPS Datasets and Benchmarks, Table 2, setup S2: human-human 81 %).
Two independent annotators who each pick the better response with probability ``p`` agree with
probability ``p**2 + (1 - p)**2``; 0.81 gives ``p = (1 + sqrt(0.62)) / 2 ≈ 0.894``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from rlhf_argilla.domain._table import id_lookup

__all__ = [
    "AnnotatorProfile",
    "PROFILES",
    "PROFILE_IDS",
    "profile",
    "HUMAN_AGREEMENT_NON_TIED",
    "CAREFUL_ACCURACY",
]

#: MT-Bench expert human-human agreement on non-tied pairwise votes (Zheng et al. 2023, Table 2, S2)
HUMAN_AGREEMENT_NON_TIED = 0.81
#: the per-annotator accuracy that gives that pairwise agreement (see the module docstring)
CAREFUL_ACCURACY = round((1 + math.sqrt(2 * HUMAN_AGREEMENT_NON_TIED - 1)) / 2, 3)


@dataclass(frozen=True)
class AnnotatorProfile:
    """How one simulated annotator answers.

    ``accuracy``: probability the overall preference names the truly better response (the judge's
    suggestion direction, or a control item's known answer); ``noise``: standard deviation of rating
    noise around the true scores; ``tie_rate``: extra share of ties; ``spam``: "random" (uniform
    ranking and ratings) or "straight" (all ten ratings one value, ranked equal), else None;
    ``prefers_a``: share of records where response A (the displayed position) wins regardless;
    ``accept_rate``: share of records where every pre-filled suggestion is submitted unchanged.
    """

    id: str
    description: str
    accuracy: float = CAREFUL_ACCURACY
    noise: float = 0.5
    tie_rate: float = 0.04
    spam: Literal["random", "straight"] | None = None
    prefers_a: float = 0.0
    accept_rate: float = 0.0


PROFILES: tuple[AnnotatorProfile, ...] = (
    AnnotatorProfile("careful", "MT-Bench-calibrated expert: ~81 % pairwise agreement on non-tied pairs"),
    AnnotatorProfile(
        "noisy", "tries, but misjudges a quarter of the pairs and rates loosely", 0.75, 1.1, 0.08
    ),
    AnnotatorProfile(
        "spammer", "clicks at random: random ranking (ties too) and random ratings", spam="random"
    ),
    AnnotatorProfile(
        "straight-liner", "gives all ten ratings one value and ranks the pair equal", spam="straight"
    ),
    AnnotatorProfile(
        "position-biased", "picks response A on 80 % of the records, careful otherwise", prefers_a=0.8
    ),
    AnnotatorProfile(
        "suggestion-accepter",
        "submits the pre-filled suggestions unchanged 95 % of the time",
        accept_rate=0.95,
    ),
)
PROFILE_IDS: tuple[str, ...] = tuple(item.id for item in PROFILES)
profile = id_lookup("annotator profile", PROFILES)
