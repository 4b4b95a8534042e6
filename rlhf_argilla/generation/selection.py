"""Pure pair selection: from judged candidates, the pair with the largest predicted quality gap."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from rlhf_argilla.domain.pair_kinds import PairKind, kind_of
from rlhf_argilla.generation.similarity import jaccard_distance
from rlhf_argilla.schema.pairs import PairSelection

__all__ = [
    "select_pair",
    "select_pair_of_kind",
    "is_tie",
    "tie_rate",
    "MIN_DISTANCE",
    "TIE_MARGIN",
]

#: Word-3-shingle Jaccard distance two responses must reach to be paired (near-identical
#: answers make uninformative comparisons).
MIN_DISTANCE = 0.5
#: |difference of mean criterion scores| below which the judge predicts a tie (on the 1-5 scale,
#: 0.2 is one point on one criterion).
TIE_MARGIN = 0.3


def select_pair(
    texts: Sequence[str],
    scores: Sequence[float],
    min_distance: float = MIN_DISTANCE,
    allowed: Sequence[tuple[int, int]] | None = None,
) -> PairSelection:
    """Choose the two candidates with the largest |score difference| whose texts differ enough.

    Ties in |margin| go to the more different texts, then to the earlier candidates. When no pair
    reaches ``min_distance``, the most different pair is taken and the method says so.

    Args:
        texts: candidate responses (at least two).
        scores: predicted quality per candidate (e.g. the mean judge score).
        min_distance: text-distance floor (Jaccard distance of word 3-shingles).
        allowed: the ``(first, second)`` positions that may be paired (default: every pair).

    Returns:
        The chosen pair (positions in candidate order, ``first < second``, and the predicted margin
        first - second); keep the candidate order in the output so the winner's position is not
        predictable from the file.

    Example:
        >>> choice = select_pair(["Do 3 sets of 8.", "Do 3 sets of 8!", "Just go all out, always."],
        ...                      [4.2, 4.0, 1.8])
        >>> choice.first, choice.second, round(choice.margin, 1)
        (0, 2, 2.4)
    """
    if len(texts) < 2 or len(texts) != len(scores):
        raise ValueError("select_pair needs at least two candidates and one score per candidate")
    options = []
    pairs = combinations(range(len(texts)), 2) if allowed is None else sorted(allowed)
    for first, second in pairs:
        distance = jaccard_distance(texts[first], texts[second])
        options.append((first, second, scores[first] - scores[second], distance))
    floor = [option for option in options if option[3] >= min_distance]
    if floor:
        first, second, margin, distance = min(floor, key=lambda o: (-abs(o[2]), -o[3], o[0], o[1]))
        method = f"max-judge-margin+distance>={min_distance}"
    else:
        first, second, margin, distance = min(options, key=lambda o: (-o[3], -abs(o[2]), o[0], o[1]))
        method = f"max-distance (no pair reached distance {min_distance})"
    return PairSelection(
        first=first, second=second, margin=round(margin, 4), distance=round(distance, 4), method=method
    )


def select_pair_of_kind(
    texts: Sequence[str],
    strategies: Sequence[str],
    scores: Sequence[float],
    requested: PairKind | None,
    min_distance: float = MIN_DISTANCE,
) -> PairSelection:
    """:func:`select_pair` among the pairs of the requested kind (``domain.pair_kinds.kind_of``).

    When no two candidates make a pair of that kind (e.g. a contrast prompt whose flaw answer was
    left unanswered), every pair competes and the method says so; ``kind`` records what was chosen.

    Example:
        >>> texts = ["Squat 3x8, rest 2 min.", "Squat 3x5 heavy, then lunges.", "Just go all out, always."]
        >>> ids = ["certified_coach", "sports_scientist", "flaw_no_safety"]
        >>> close = select_pair_of_kind(texts, ids, [4.2, 3.6, 1.8], "close")
        >>> (close.first, close.second, close.kind), select_pair_of_kind(texts, ids, [4.2, 3.6, 1.8], "contrast").second
        ((0, 1, 'close'), 2)
        >>> select_pair_of_kind(texts[:2], ids[:2], [4.2, 3.6], "contrast").method.endswith("(no contrast pair)")
        True
    """
    pairs = list(combinations(range(len(texts)), 2))
    allowed = [
        (a, b) for a, b in pairs if requested is None or kind_of([strategies[a], strategies[b]]) == requested
    ]
    choice = select_pair(texts, scores, min_distance, allowed or None)
    method = choice.method if allowed or requested is None else f"{choice.method} (no {requested} pair)"
    kind = kind_of([strategies[choice.first], strategies[choice.second]])
    return choice.model_copy(update={"method": method, "kind": kind, "requested_kind": requested})


def is_tie(margin: float, threshold: float = TIE_MARGIN) -> bool:
    """True when the judge predicts no clear winner (|margin| below ``threshold``)."""
    return abs(margin) < threshold


def tie_rate(margins: Sequence[float], threshold: float = TIE_MARGIN) -> float:
    """Share of pairs the judge predicts as ties (0.0 for no pairs).

    Example:
        >>> tie_rate([0.0, 0.2, 1.0, -0.8])
        0.5
    """
    return sum(is_tie(margin, threshold) for margin in margins) / len(margins) if margins else 0.0
