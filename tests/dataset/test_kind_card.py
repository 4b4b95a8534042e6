"""build: every config carries pair_kind; the card's per-kind table equals a recount of the built files."""

from __future__ import annotations

import random
import re
from pathlib import Path

import krippendorff
import pandas as pd
import pytest

from rlhf_argilla.dataset.build import build
from rlhf_argilla.schema import ANNOTATION_COLUMNS, ANNOTATIONS_FILE, CARD_FILE
from tests.dataset.factory import make_aggregated, write_pull_dir

ANNOTATORS = ("sim-ann-1", "sim-ann-2", "sim-ann-3")


def _planted(n: int = 120, seed: int = 5) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Aggregated pairs, a third close; close pairs often tie, are predicted near 0 and split the annotators."""
    rng = random.Random(seed)
    frame = make_aggregated(n, seed=seed)
    kinds = ["close" if i % 3 == 0 else "contrast" for i in range(n)]
    frame["pair_kind"] = kinds
    frame["predicted_margin"] = [
        round(rng.uniform(-0.6, 0.6) if kind == "close" else rng.choice((-1, 1)) * rng.uniform(1.0, 2.5), 4)
        for kind in kinds
    ]
    frame["preferred"] = [
        ("tie" if rng.random() < 0.4 else rng.choice("12")) if kind == "close" else rng.choice("12")
        for kind in kinds
    ]
    votes = {}  # pair -> one preference per annotator: contrast unanimous, close mixed
    for pair_id, kind, preferred in zip(frame["pair_id"], kinds, frame["preferred"]):
        base = "1" if preferred == "tie" else preferred
        votes[pair_id] = [base if kind == "contrast" else rng.choice(("1", "2", "tie")) for _ in ANNOTATORS]
    return frame, votes


def _write_votes(pull: Path, votes: dict[str, list[str]]) -> None:
    ranks = {"1": ("1", "2"), "2": ("2", "1"), "tie": ("1", "1")}
    rows = [
        (pair_id, name, "submitted", "overall", side, ranks[vote][side - 1], "2026-01-01T00:00:00", True)
        for pair_id, per in votes.items()
        for name, vote in zip(ANNOTATORS, per)
        for side in (1, 2)
    ]
    pd.DataFrame(rows, columns=list(ANNOTATION_COLUMNS)).to_parquet(pull / ANNOTATIONS_FILE, index=False)


def _card_rows(card: str) -> dict[str, list[str]]:
    section = card.split("## Pair kinds", 1)[1].split("\n## ", 1)[0]
    rows = [
        line.strip("|").split("|") for line in section.splitlines() if re.match(r"\| (close|contrast)", line)
    ]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows}


def _alpha(votes: dict[str, list[str]], pair_ids: set[str]) -> float:
    codes = {"1": 1, "2": 2, "tie": 3}
    data = [[codes[votes[p][i]] for p in sorted(pair_ids)] for i in range(len(ANNOTATORS))]
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=[1, 2, 3])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    frame, votes = _planted()
    pull = write_pull_dir(root / "pull", frame)
    _write_votes(pull, votes)
    build(pull, root / "out", ties="keep")
    return root / "out", votes, frame, pull


def test_card_per_kind_table_equals_a_recount_of_the_built_files(built):
    out, votes, _, _ = built
    default = pd.concat([pd.read_parquet(path) for path in sorted((out / "default").glob("*.parquet"))])
    ties = pd.concat([pd.read_parquet(path) for path in sorted((out / "ties").glob("*.parquet"))])
    table = _card_rows((out / CARD_FILE).read_text(encoding="utf-8"))
    assert set(table) == {"close", "contrast"}
    for kind in ("close", "contrast"):
        own, tied = default[default["pair_kind"] == kind], ties[ties["pair_kind"] == kind]
        pairs = len(own) + len(tied)
        both = pd.concat([own, tied])
        predicted = (both["predicted_margin"].abs() < 0.3).mean()
        agreement = both["agreement"].mean()
        alpha = _alpha(votes, set(both["pair_id"]))
        expected = [
            str(pairs),
            str(len(own)),
            f"{predicted * 100:.1f} %",
            f"{len(tied) / pairs * 100:.1f} %",
            f"{agreement:.3f}",
            f"{alpha:.3f}",
        ]
        assert table[kind] == expected, kind
    close, contrast = table["close"], table["contrast"]
    assert (
        float(close[3].rstrip(" %")) > float(contrast[3].rstrip(" %")) == 0.0
    )  # planted: only close pairs tie
    assert float(contrast[5]) == 1.0 and float(close[5]) < 0.3  # planted: contrasts unanimous


def test_every_config_has_the_kind_and_the_oriented_predicted_margin(built):
    out, _, aggregated, _ = built
    source = aggregated.set_index("pair_id")
    for config in ("default", "conversational", "hh", "kto", "ties"):
        frame = pd.read_parquet(out / config / "train.parquet")
        assert set(frame["pair_kind"]) == ({"close"} if config == "ties" else {"close", "contrast"}), config
        for row in frame.to_dict("records"):
            pair = source.loc[row["pair_id"]]
            assert row["pair_kind"] == pair["pair_kind"]
            flip = -1 if pair["preferred"] == "2" else 1  # chosen minus rejected, like margin
            assert row["predicted_margin"] == pytest.approx(flip * pair["predicted_margin"]), config


def test_build_prints_the_kind_line_of_the_card(built, tmp_path):
    from typer.testing import CliRunner

    from rlhf_argilla.cli.app import app

    out, _, _, pull = built
    result = CliRunner().invoke(app, ["build", str(pull), "--out", str(tmp_path / "again"), "--ties", "keep"])
    assert result.exit_code == 0, result.output
    table = _card_rows((out / CARD_FILE).read_text(encoding="utf-8"))
    for kind, cells in table.items():  # pairs, annotated and predicted ties as in the card
        assert f"{kind} {cells[0]} pairs (annotated ties {cells[3]}, predicted {cells[2]})" in " ".join(
            result.output.split()
        )


def test_kind_alpha_a_block_of_pairs_at_a_time_equals_the_whole_table(tmp_path, monkeypatch):
    from rlhf_argilla.annotation import rating_sides
    from rlhf_argilla.annotation.agreement import preferences
    from rlhf_argilla.dataset import kind_card

    frame, votes = _planted(60)
    _write_votes(tmp_path, votes)
    table = pd.read_parquet(tmp_path / ANNOTATIONS_FILE)
    table["pair_id"] = table["pair_id"].astype("category")
    kinds = dict(zip(frame["pair_id"], frame["pair_kind"]))
    whole, whole_prefs = kind_card.kind_alpha(table, kinds), preferences(table)  # 60 pairs: one block
    monkeypatch.setattr(rating_sides, "BLOCK_PAIRS", 7)  # 9 blocks
    blocks = preferences(table)

    pd.testing.assert_frame_equal(blocks, whole_prefs)  # same rows, same order
    assert len(blocks) > 100 and blocks["pair_id"].nunique() == 60
    assert kind_card.kind_alpha(table, kinds) == whole and None not in whole.values()
