"""Formats: orientation, TRL column names per config, KTO unpairing, ties."""

from __future__ import annotations

import pytest

from rlhf_argilla.dataset.formats import (
    ROW_BUILDERS,
    features,
    to_conversational,
    to_hh,
    to_kto,
    to_preference,
)
from rlhf_argilla.domain.criteria import CRITERION_IDS
from tests.dataset.factory import make_aggregated


@pytest.fixture
def row():
    base = make_aggregated(1).iloc[0].to_dict()
    base.update(
        preferred="2", margin=-1.2, response_1="first", response_2="second", accuracy_1=2.0, accuracy_2=5.0
    )
    return base


def test_preferred_two_orients_chosen_rejected_and_margin(row):
    out = to_preference(row)
    assert (out["chosen"], out["rejected"], out["margin"]) == ("second", "first", pytest.approx(1.2))
    assert (out["accuracy_chosen"], out["accuracy_rejected"]) == (5.0, 2.0)
    assert out["score_chosen"] == pytest.approx(
        sum(row[f"{c}_2"] for c in CRITERION_IDS) / len(CRITERION_IDS)
    )
    assert (out["strategy_chosen"], out["model_rejected"]) == (row["strategy_2"], row["model_1"])


def test_conversational_and_hh_share_the_same_preference(row):
    conv, hh = to_conversational(row), to_hh(row)
    assert conv["prompt"] == [{"role": "user", "content": row["prompt"]}]
    assert conv["chosen"] == [{"role": "assistant", "content": "second"}]
    assert hh["chosen"] == f"\n\nHuman: {row['prompt']}\n\nAssistant: second"
    assert hh["rejected"].endswith("\n\nAssistant: first") and "prompt" not in hh


def test_kto_unpairs_into_one_desirable_and_one_undesirable(row):
    good, bad = to_kto(row)
    assert (good["completion"], good["label"], bad["completion"], bad["label"]) == (
        "second",
        True,
        "first",
        False,
    )
    assert (
        good["accuracy"] == 5.0
        and bad["accuracy"] == 2.0
        and good["prompt"] == bad["prompt"] == row["prompt"]
    )


def test_a_tie_has_no_preference(row):
    row["preferred"] = "tie"
    with pytest.raises(ValueError, match="tie"):
        to_preference(row)
    assert ROW_BUILDERS["ties"](row)["response_1"] == "first"


@pytest.mark.parametrize("config", sorted(ROW_BUILDERS))
def test_rows_have_exactly_the_declared_features(row, config):
    if config == "ties":
        row["preferred"] = "tie"
    made = ROW_BUILDERS[config](row)
    for item in made if isinstance(made, list) else [made]:
        assert set(item) == set(features(config))
