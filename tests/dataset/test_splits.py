"""Splits: grouped by prompt, stratified by subtopic, seeded, exact ratios, small datasets warned."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from rlhf_argilla.dataset.splits import SplitRatios, assign_splits
from rlhf_argilla.errors import BuildError

RATIOS = {"train": 0.8, "validation": 0.1, "test": 0.1}


@pytest.mark.parametrize("n", [20, 37, 100, 101, 259, 500])
def test_ratios_within_one_example(n):
    plan = assign_splits([f"p{i}" for i in range(n)], [f"s{i % 5}" for i in range(n)], seed=n)
    counts = Counter(plan.splits)
    for name, share in RATIOS.items():
        assert abs(counts[name] - share * n) <= 1, (name, counts[name], share * n)
    assert plan.warnings == () or n < 100


def test_groups_never_cross_splits():
    rng = random.Random(3)
    groups = [f"prompt-{rng.randrange(150)}" for _ in range(600)]
    strata = [f"s{int(key.split('-')[1]) % 7}" for key in groups]
    plan = assign_splits(groups, strata, seed=1)
    split_of: dict[str, set[str]] = {}
    for key, split in zip(groups, plan.splits):
        split_of.setdefault(key, set()).add(split)
    assert all(len(splits) == 1 for splits in split_of.values())
    assert set(plan.splits) == set(RATIOS)


def test_stratified_by_subtopic():
    rng = random.Random(7)
    strata = [rng.choice("abcdefghijklmno") for _ in range(1500)]
    plan = assign_splits([f"p{i}" for i in range(len(strata))], strata, seed=0)
    for stratum, size in Counter(strata).items():
        counts = Counter(split for split, s in zip(plan.splits, strata) if s == stratum)
        for name, share in RATIOS.items():
            assert abs(counts[name] - share * size) <= 2, (stratum, name, counts[name], share * size)


def test_seed_makes_plans_reproducible_and_different():
    groups, strata = [f"p{i}" for i in range(200)], [f"s{i % 4}" for i in range(200)]
    first = assign_splits(groups, strata, seed=5)
    assert assign_splits(groups, strata, seed=5) == first
    assert assign_splits(groups, strata, seed=6).splits != first.splits


def test_small_dataset_fills_every_split_and_warns():
    plan = assign_splits(["a", "b", "c", "d"], ["x"] * 4)
    assert set(plan.splits) == {"train", "validation", "test"}
    assert any("would have been empty" in warning for warning in plan.warnings)
    assert any("small dataset" in warning for warning in plan.warnings)


def test_too_few_prompts_is_a_clear_error():
    with pytest.raises(BuildError, match="only 2 distinct prompt"):
        assign_splits(["a", "a", "b"], ["x"] * 3)


def test_zero_share_drops_the_split():
    ratios = SplitRatios.parse("90,10,0")
    plan = assign_splits([f"p{i}" for i in range(50)], ["x"] * 50, ratios)
    assert Counter(plan.splits) == {"train": 45, "validation": 5}


@pytest.mark.parametrize("text", ["80,20", "a,b,c", "0,50,50", "-1,1,1"])
def test_bad_ratios_are_rejected(text):
    with pytest.raises(BuildError, match="split"):
        SplitRatios.parse(text)
