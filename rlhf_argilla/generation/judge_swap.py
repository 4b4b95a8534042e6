"""Pure: the judge's swap probe, its position-bias check.

LLM judges favour a position. ``generate pairs --judge-swap-share F`` judges a seeded share ``F``
of prompts a second time with the candidates shown in the reversed order (the first order is the
seeded one of ``generation.judge_order``; both are undone before scores are compared). The verdict
of a judging is who wins the selected pair (response 1, response 2 or a tie, |margin| below
``TIE_MARGIN``), the pair being the one the first judging selects. A probed prompt is *consistent*
when both orders give the same verdict; swap consistency is the share of probed prompts (with two
parsed verdicts) that are consistent. A flipped verdict says the judge's preference there is an
artefact of the order: that pair keeps no predicted margin and is selected without the judge
(the most different pair above the text-distance floor), and its row says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from rlhf_argilla.domain.pair_kinds import PairKind
from rlhf_argilla.generation.selection import TIE_MARGIN, select_pair, select_pair_of_kind
from rlhf_argilla.schema import Preferred
from rlhf_argilla.schema.pairs import PairSelection, SwapOutcome

__all__ = [
    "JUDGE_SWAP_FILE",
    "CONSISTENT",
    "FLIPPED",
    "FLIPPED_METHOD",
    "is_probed",
    "swapped_order",
    "verdict",
    "swap_selection",
    "swap_report",
    "swap_summary",
]

JUDGE_SWAP_FILE = "judge_swap.json"
CONSISTENT: SwapOutcome = "consistent"
FLIPPED: SwapOutcome = "flipped"
#: ``Selection.method`` of a pair whose judge verdict flipped with the candidate order
FLIPPED_METHOD = "max-distance (judge verdict flipped when the candidate order was reversed: no judge margin)"


def is_probed(key: str, share: float, seed: int = 0) -> bool:
    """Whether the prompt ``key`` is judged in both orders: a draw fixed by ``(seed, key)``.

    Example:
        >>> sum(is_probed(f"q{i}", 0.25, seed=1) for i in range(1000))
        231
        >>> is_probed("q1", 0.0), is_probed("q1", 1.0)
        (False, True)
    """
    digest = hashlib.sha256(f"judge-swap:{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def swapped_order(order: Sequence[int]) -> list[int]:
    """The probe's order: the first order reversed (every candidate moves; the first shown goes last).

    Example:
        >>> swapped_order([2, 0, 1])
        [1, 0, 2]
    """
    return list(reversed(order))


def verdict(means: Sequence[float], first: int, second: int, tie_margin: float = TIE_MARGIN) -> Preferred:
    """Who wins the pair ``(first, second)``, as the one preference label: "1", "2" or "tie".

    Example:
        >>> verdict([4.0, 2.0, 3.9], 0, 2), verdict([4.0, 2.0, 3.9], 1, 2), verdict([4.0, 2.0], 0, 1)
        ('tie', '2', '1')
    """
    margin = means[first] - means[second]
    return "tie" if abs(margin) < tie_margin else "1" if margin > 0 else "2"


def swap_selection(
    texts: Sequence[str],
    means: Sequence[float],
    swapped_means: Sequence[float] | None,
    min_distance: float,
    kind: tuple[Sequence[str], PairKind | None] | None = None,
) -> PairSelection:
    """The selected pair of one prompt, checked against the probe when there is one.

    Args:
        texts: the answered candidates.
        means: mean judge score per candidate (first order, undone to candidate order).
        swapped_means: the same from the reversed order, or None (not probed, or unparseable).
        min_distance: text-distance floor of :func:`select_pair`.
        kind: (candidate strategies, requested pair kind): choose among the pairs of that kind
            (:func:`rlhf_argilla.generation.selection.select_pair_of_kind`), also when flipped.

    Returns:
        The selection; its ``swap`` is None (not probed), ``"consistent"`` or ``"flipped"``; a flipped
        pair has ``margin`` None and ``FLIPPED_METHOD``.

    Example:
        >>> texts = ["Squat twice a week, 3 sets of 5.", "Rest when the knee hurts.", "Go all out daily."]
        >>> swap_selection(texts, [4.0, 3.0, 1.0], [4.0, 3.2, 1.2], 0.5).swap
        'consistent'
        >>> flipped = swap_selection(texts, [4.0, 3.0, 1.0], [1.0, 3.0, 4.0], 0.5)
        >>> flipped.swap, flipped.margin, (flipped.first, flipped.second)
        ('flipped', None, (0, 1))
        >>> ids = ["certified_coach", "cautious_physio", "flaw_no_safety"]  # a contrast prompt keeps its flaw
        >>> mixed = swap_selection(texts, [4.0, 3.0, 1.0], [1.0, 3.0, 4.0], 0.5, kind=(ids, "contrast"))
        >>> mixed.swap, mixed.kind, 2 in (mixed.first, mixed.second)
        ('flipped', 'contrast', True)
    """

    def pick(scores: Sequence[float]) -> PairSelection:
        if kind is None:
            return select_pair(texts, scores, min_distance)
        return select_pair_of_kind(texts, kind[0], scores, kind[1], min_distance)

    choice = pick(means)
    if swapped_means is None:
        return choice
    first = verdict(means, choice.first, choice.second)
    again = verdict(swapped_means, choice.first, choice.second)
    if first == again:
        return choice.model_copy(update={"swap": CONSISTENT})
    fallback = pick([0.0] * len(texts))  # no judge: the most different pair (of the kind)
    return fallback.model_copy(update={"margin": None, "method": FLIPPED_METHOD, "swap": FLIPPED})


def swap_report(
    outcomes: Iterable[tuple[str, str | None, bool]], *, share: float, seed: int, judge_model: str
) -> dict[str, Any]:
    """judge_swap.json: swap consistency over the probed prompts (no timestamps: same run, same bytes).

    Args:
        outcomes: per prompt ``(prompt_id, swap outcome or None, probed)``; a probed prompt with no
            outcome had an unparseable verdict in one of the orders.
        share, seed: the probe's share and seed; judge_model: the judge that was probed.

    Example:
        >>> report = swap_report([("p1", "consistent", True), ("p2", "flipped", True), ("p3", None, False),
        ...                       ("p4", None, True)], share=1.0, seed=0, judge_model="m")
        >>> report["probed"], report["compared"], report["swap_consistency"], report["flipped_prompts"]
        (3, 2, 0.5, ['p2'])
    """
    rows = list(outcomes)
    compared = [(prompt_id, outcome) for prompt_id, outcome, probed in rows if probed and outcome]
    consistent = sum(outcome == CONSISTENT for _, outcome in compared)
    return {
        "judge_model": judge_model,
        "share": share,
        "seed": seed,
        "prompts": len(rows),
        "probed": sum(probed for *_, probed in rows),
        "compared": len(compared),
        "consistent": consistent,
        "swap_consistency": round(consistent / len(compared), 4) if compared else None,
        "tie_margin": TIE_MARGIN,
        "flipped_prompts": sorted(prompt_id for prompt_id, outcome in compared if outcome == FLIPPED),
    }


def swap_summary(report: dict[str, Any]) -> str:
    """One line for the terminal.

    Example:
        >>> swap_summary({"probed": 10, "compared": 10, "consistent": 7, "swap_consistency": 0.7,
        ...               "flipped_prompts": ["a", "b", "c"]})
        'judge swap probe: 7 of 10 prompts kept their verdict with the candidate order reversed (swap consistency 70.0%); 3 flipped pairs keep no judge margin'
    """
    consistency = report["swap_consistency"]
    shown = "–" if consistency is None else f"{consistency:.1%}"
    return (
        f"judge swap probe: {report['consistent']} of {report['compared']} prompts kept their verdict with the "
        f"candidate order reversed (swap consistency {shown}); {len(report['flipped_prompts'])} flipped pairs "
        "keep no judge margin"
    )
