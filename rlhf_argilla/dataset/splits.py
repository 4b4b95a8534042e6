"""Pure: assign examples to train / validation / test, grouped by prompt and stratified by subtopic.

Every example of a prompt lands in the same split (no prompt leaks across splits). Groups are
shuffled with the seed inside each subtopic and handed out in subtopic order by a largest-deficit
rule, so at every point of the walk each split holds its share of the examples seen so far (within
one example when prompts have one pair each) - overall and inside every subtopic.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rlhf_argilla.errors import BuildError

__all__ = ["SPLIT_NAMES", "MIN_SPLIT_EXAMPLES", "SplitRatios", "SplitPlan", "assign_splits"]

SPLIT_NAMES: tuple[str, ...] = ("train", "validation", "test")
#: below this many examples a split still gets written, with a warning that its figures are noisy
MIN_SPLIT_EXAMPLES = 10


@dataclass(frozen=True)
class SplitRatios:
    """Shares of train / validation / test; a zero share drops that split."""

    train: float = 0.8
    validation: float = 0.1
    test: float = 0.1

    def __post_init__(self) -> None:
        values = self.as_tuple()
        if any(value < 0 for value in values) or sum(values) <= 0 or self.train <= 0:
            raise BuildError(
                f"invalid split ratios {values}: give three non-negative shares with train > 0, e.g. 80,10,10"
            )

    @classmethod
    def parse(cls, text: str) -> SplitRatios:
        """Read ``"80,10,10"`` or ``"0.8,0.1,0.1"`` (normalised to sum 1).

        Example:
            >>> SplitRatios.parse("90,10,0")
            SplitRatios(train=0.9, validation=0.1, test=0.0)
        """
        try:
            values = [float(part) for part in text.split(",")]
        except ValueError:
            values = []
        if len(values) != 3:
            raise BuildError(f"invalid split {text!r}: give train,validation,test shares, e.g. 80,10,10")
        total = sum(values) or 1.0
        return cls(*(value / total for value in values))

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.train, self.validation, self.test)

    def active(self) -> tuple[str, ...]:
        """Names of the splits with a share above zero, in canonical order."""
        return tuple(name for name, share in zip(SPLIT_NAMES, self.as_tuple()) if share > 0)


@dataclass(frozen=True)
class SplitPlan:
    """The split of every example (same order as the input) and warnings for the user."""

    splits: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        found = Counter(self.splits)
        return {name: found[name] for name in SPLIT_NAMES if name in found}


def assign_splits(
    groups: Sequence[str], strata: Sequence[str], ratios: SplitRatios | None = None, seed: int = 42
) -> SplitPlan:
    """Assign each example to a split; examples sharing a group key always share a split.

    Args:
        groups: one group key per example (e.g. a hash of the prompt).
        strata: one stratum per example (the subtopic); a group takes its most common stratum.
        ratios: split shares (default 80/10/10).
        seed: shuffles groups inside each stratum; same input + seed -> same plan.

    Returns:
        A :class:`SplitPlan`; raises :class:`BuildError` when there are fewer prompts than splits.

    Example:
        >>> plan = assign_splits([f"p{i}" for i in range(10)], ["running"] * 10)
        >>> plan.counts()
        {'train': 8, 'validation': 1, 'test': 1}
    """
    ratios = ratios or SplitRatios()
    if len(groups) != len(strata):
        raise ValueError("groups and strata must have the same length")
    if not groups:
        raise BuildError("no examples to split: the pulled table has no usable pairs")
    sizes = Counter(groups)
    names = ratios.active()
    if len(sizes) < len(names):
        raise BuildError(
            f"only {len(sizes)} distinct prompt(s) for {len(names)} splits: annotate more pairs "
            "or drop splits with zero shares, e.g. 100,0,0"
        )
    order = _walk_order(groups, strata, seed)
    shares = dict(zip(SPLIT_NAMES, ratios.as_tuple()))
    taken = {name: 0 for name in names}
    chosen: dict[str, str] = {}
    seen = 0
    for key in order:
        seen += sizes[key]
        # largest deficit after adding this group; ties go to the bigger share, then canonical order
        best = max(
            names, key=lambda name: (shares[name] * seen - taken[name], shares[name], -names.index(name))
        )
        chosen[key] = best
        taken[best] += sizes[key]
    warnings = _fill_empty(chosen, taken, sizes, order)
    small = [
        f"{name} {count}" for name, count in taken.items() if name != "train" and count < MIN_SPLIT_EXAMPLES
    ]
    if small:
        warnings.append(
            f"small dataset: {', '.join(small)} example(s) (fewer than {MIN_SPLIT_EXAMPLES}); "
            "evaluation figures on them will be noisy - annotate more pairs"
        )
    return SplitPlan(tuple(chosen[key] for key in groups), tuple(warnings))


def _walk_order(groups: Sequence[str], strata: Sequence[str], seed: int) -> list[str]:
    """Group keys, stratum by stratum (sorted), shuffled with the seed inside each stratum."""
    votes: dict[str, Counter] = {}
    for key, stratum in zip(groups, strata):
        votes.setdefault(key, Counter())[stratum] += 1
    by_stratum: dict[str, list[str]] = {}
    for key, counter in votes.items():
        top = min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        by_stratum.setdefault(top, []).append(key)
    rng = random.Random(seed)
    order: list[str] = []
    for stratum in sorted(by_stratum):
        keys = sorted(by_stratum[stratum])
        rng.shuffle(keys)
        order.extend(keys)
    return order


def _fill_empty(chosen: dict[str, str], taken: dict[str, int], sizes: Counter, order: list[str]) -> list[str]:
    """Move the smallest group of the most crowded split into any split that came out empty; say so."""
    warnings = []
    for name in [name for name, count in taken.items() if count == 0]:
        members = Counter(chosen.values())
        donor_split = max(taken, key=lambda split: (members[split], taken[split]))
        donor = min((key for key in order if chosen[key] == donor_split), key=lambda key: sizes[key])
        chosen[donor] = name
        taken[donor_split] -= sizes[donor]
        taken[name] += sizes[donor]
        warnings.append(
            f"small dataset: {name} would have been empty; moved one prompt "
            f"({sizes[donor]} example(s)) there from {donor_split}"
        )
    return warnings
