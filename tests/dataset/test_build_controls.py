"""`build` keeps control items (push --controls) out of every split and reports them on the card."""

from __future__ import annotations

import pandas as pd

from rlhf_argilla.dataset.build import build, make_configs
from tests.dataset.factory import make_aggregated, write_pull_dir


def _with_controls(n_controls: int) -> pd.DataFrame:
    table = make_aggregated(60, pairs_per_prompt=(1, 2), tie_every=5, seed=3)
    controls = table.sample(n=n_controls, random_state=0).index
    table["control"], table["control_source"] = 0, None
    table.loc[controls, "control"] = 1
    table.loc[controls, "control_expected"] = [1 + i % 2 for i in range(n_controls)]
    table.loc[controls, "control_source"] = ["gold" if i % 3 == 0 else "flaw-edit" for i in range(n_controls)]
    table["control_expected"] = table["control_expected"].astype("Int64")
    # a control that names its known answer, so the card's "aggregate right" figure is planted
    table.loc[controls, "preferred"] = [str(1 + i % 2) if i < 5 else "tie" for i in range(n_controls)]
    return table


def test_no_control_pair_in_any_split_file_and_the_card_counts_them(tmp_path):
    table = _with_controls(8)
    control_ids = set(table.loc[table["control"] == 1, "pair_id"])
    out = build(write_pull_dir(tmp_path / "pull", table), tmp_path / "out", ties="keep").out

    seen: set[str] = set()
    files = sorted(out.rglob("*.parquet"))
    assert {path.parent.name for path in files} == {"default", "conversational", "hh", "kto", "ties"}
    for path in files:
        seen |= set(pd.read_parquet(path, columns=["pair_id"])["pair_id"])
    assert seen and not seen & control_ids
    ordinary = table[table["control"] == 0]
    assert seen == set(ordinary["pair_id"])  # every ordinary pair is somewhere, no control anywhere

    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Control items" in card
    assert "**8 control pairs** (5 flaw-edit, 3 gold)" in card
    assert "right answer on 5 of 8" in card
    assert f"{len(ordinary)} annotated pairs" in card  # the headline counts leave controls out


def test_make_configs_drops_controls_itself():
    rows = _with_controls(4).to_dict(orient="records")
    configs, _ = make_configs(rows, ties="keep")
    built = {row["pair_id"] for splits in configs.values() for items in splits.values() for row in items}
    assert not built & {row["pair_id"] for row in rows if row["control"] == 1}


def test_a_pull_without_controls_builds_without_the_section(tmp_path):
    table = make_aggregated(30, seed=4)
    out = build(write_pull_dir(tmp_path / "pull", table), tmp_path / "out").out
    assert "## Control items" not in (out / "README.md").read_text(encoding="utf-8")
