"""Pure coverage computation: classified conversations -> per-subtopic counts, gaps and weights.

Nothing here reads files; :class:`CoverageTally` is fed one conversation at a time so memory stays
flat whatever the input size (it keeps counts and a few examples per subtopic only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS

__all__ = [
    "Example",
    "Coverage",
    "CoverageTally",
    "subtopic_weights",
    "under_covered",
    "gaps_document",
    "UNDER_COVERED_FACTOR",
]

#: a subtopic is under-covered when its share of fitness conversations is below this fraction
#: of the uniform share 1/K (K = number of subtopics)
UNDER_COVERED_FACTOR = 0.5


@dataclass(frozen=True)
class Example:
    source: str
    line: int
    text: str


@dataclass
class Coverage:
    """What the analysis found; every taxonomy subtopic is a key of ``counts`` (0 allowed)."""

    sources: list[str]
    conversations: int
    counts: dict[str, int]
    malformed: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[Example]] = field(default_factory=dict)

    @property
    def fitness(self) -> int:
        return sum(self.counts.values())

    @property
    def fitness_share(self) -> float:
        return self.fitness / self.conversations if self.conversations else 0.0

    @property
    def malformed_total(self) -> int:
        return sum(self.malformed.values())


class CoverageTally:
    """Accumulates coverage in one pass.

    Example:
        >>> tally = CoverageTally(["x.jsonl.gz"], subtopic_ids=("running", "yoga"))
        >>> tally.add("x.jsonl.gz", 1, "How do I start running?", "running")
        >>> tally.add("x.jsonl.gz", 2, "Best pizza?", None)
        >>> tally.add_malformed("invalid_json")
        >>> result = tally.result()
        >>> result.conversations, result.fitness, result.counts, result.malformed
        (2, 1, {'running': 1, 'yoga': 0}, {'invalid_json': 1})
    """

    def __init__(
        self,
        sources: Sequence[str],
        subtopic_ids: Sequence[str] = SUBTOPIC_IDS,
        examples_per_subtopic: int = 3,
    ) -> None:
        self._sources = list(sources)
        self._counts: Counter[str] = Counter({key: 0 for key in subtopic_ids})
        self._known = set(subtopic_ids)
        self._malformed: Counter[str] = Counter()
        self._examples: dict[str, list[Example]] = {key: [] for key in subtopic_ids}
        self._keep = examples_per_subtopic
        self.conversations = 0

    def add(self, source: str, line: int, text: str, subtopic_id: str | None) -> None:
        self.conversations += 1
        if subtopic_id is None:
            return
        if subtopic_id not in self._known:
            raise ValueError(f"unknown subtopic {subtopic_id!r}")
        self._counts[subtopic_id] += 1
        kept = self._examples[subtopic_id]
        if len(kept) < self._keep:
            kept.append(Example(source, line, text))

    def add_malformed(self, reason: str) -> None:
        self._malformed[reason] += 1

    def result(self) -> Coverage:
        return Coverage(
            sources=list(self._sources),
            conversations=self.conversations,
            counts=dict(self._counts),
            malformed=dict(sorted(self._malformed.items())),
            examples={key: list(value) for key, value in self._examples.items()},
        )


def subtopic_weights(counts: Mapping[str, int]) -> dict[str, float]:
    """Prompt-allocation weights: smoothed inverse coverage, positive, summing to 1.

    ``w_i ∝ 1 / (share_i + 1/K)`` with ``share_i`` the subtopic's share of fitness conversations
    and ``K`` the number of subtopics, so an absent subtopic gets at most ``K + 1`` times the
    weight of one that holds every conversation, and no counts at all give uniform weights.

    Args:
        counts: conversations per subtopic id (every subtopic that should get prompts).

    Returns:
        Weight per subtopic id, in the order of ``counts``.

    Example:
        >>> weights = subtopic_weights({"a": 0, "b": 0, "c": 10})
        >>> [round(weights[key], 3) for key in "abc"]
        [0.444, 0.444, 0.111]
    """
    if not counts:
        return {}
    total = sum(counts.values())
    floor = 1.0 / len(counts)
    raw = {key: 1.0 / ((count / total if total else 0.0) + floor) for key, count in counts.items()}
    norm = sum(raw.values())
    return {key: value / norm for key, value in raw.items()}


def under_covered(counts: Mapping[str, int], factor: float = UNDER_COVERED_FACTOR) -> list[str]:
    """Subtopics whose share of fitness conversations is below ``factor / K``, fewest first.

    Example:
        >>> under_covered({"a": 0, "b": 1, "c": 10, "d": 9})
        ['a', 'b']
    """
    total = sum(counts.values())
    threshold = factor * total / len(counts) if counts else 0.0
    thin = [key for key, count in counts.items() if total == 0 or count < threshold]
    order = list(counts)
    return sorted(thin, key=lambda key: (counts[key], order.index(key)))


def gaps_document(coverage: Coverage, classifier: Mapping[str, object]) -> dict:
    """The gaps.json payload read by ``generate prompts --gaps`` (see the gaps contract).

    Args:
        coverage: the analysis result.
        classifier: ``{"name": str, "precision": float | None, "recall": float | None}`` and
            optionally ``"measured"`` (how the figures were measured, e.g. ``"out_of_sample"``).

    Returns:
        A JSON-ready dict: sources, totals, every subtopic with count / share / weight,
        under-covered ids and the classifier's measured quality.
    """
    fitness = coverage.fitness
    weights = subtopic_weights(coverage.counts)
    return {
        "source": list(coverage.sources),
        "conversations": coverage.conversations,
        "fitness_conversations": fitness,
        "subtopics": {
            key: {
                "count": count,
                "share_of_fitness": round(count / fitness, 6) if fitness else 0.0,
                "weight": weights[key],
            }
            for key, count in coverage.counts.items()
        },
        "under_covered": under_covered(coverage.counts),
        "classifier": {
            "name": str(classifier.get("name")),
            "precision": classifier.get("precision"),
            "recall": classifier.get("recall"),
            **({"measured": classifier["measured"]} if "measured" in classifier else {}),
        },
    }
