"""Pair kinds: ``generate pairs --close-share F`` draws the mix, every pair records its kind."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from rlhf_argilla.domain.strategies import strategy
from rlhf_argilla.generation.kinds import assign_kinds
from rlhf_argilla.generation.selection import tie_rate
from rlhf_argilla.schema import PAIRS_FILE, PAIRS_SUMMARY_FILE, PairRow
from tests.fakes.fixtures import FAKE_API_KEY

runner = CliRunner()


@pytest.fixture
def fake_env(monkeypatch, tmp_path, fitness_api):
    """The CLI on the anthropic backend (real SDK) against the loopback Messages API."""
    for key, value in {
        "RLHF_ARGILLA_DATA_DIR": str(tmp_path / "data"),
        "RLHF_ARGILLA_ANTHROPIC_API_KEY": FAKE_API_KEY,
        "RLHF_ARGILLA_ANTHROPIC_BASE_URL": fitness_api.url,
        "RLHF_ARGILLA_BACKEND": "anthropic",
    }.items():
        monkeypatch.setenv(key, value)


def _strategy_kinds(pair: PairRow) -> list[str]:
    return sorted(strategy(r.strategy).kind for r in (pair.response_1, pair.response_2))


def test_the_draw_is_exact_seeded_and_stable_when_prompts_are_added():
    ids = [f"{i:016x}" for i in range(40)]
    kinds = assign_kinds(ids, 0.5, seed=7)
    assert kinds.count("close") == 20 and kinds == assign_kinds(ids, 0.5, seed=7)
    assert kinds != assign_kinds(ids, 0.5, seed=8)
    assert assign_kinds(ids, 0.0).count("close") == 0 and assign_kinds(ids, 1.0).count("close") == 40
    more = assign_kinds([*ids, *(f"{i:016x}" for i in range(40, 80))], 0.5, seed=7)
    kept = sum(a == b for a, b in zip(kinds, more))
    assert kept >= 30  # most prompts keep their kind when the file grows


@pytest.mark.slow
def test_close_share_half_on_40_prompts_gives_20_close_pairs(fake_env, tmp_path):
    out = tmp_path / "gen"
    result = runner.invoke(app, ["generate", "prompts", "-n", "40", "--out", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["generate", "pairs", "--prompts", str(out), "--out", str(out), "--close-share", "0.5"]
    )
    assert result.exit_code == 0, result.output
    pairs = [PairRow.model_validate_json(line) for line in (out / PAIRS_FILE).read_text().splitlines()]
    assert len(pairs) == 40
    close = [pair for pair in pairs if pair.pair_kind == "close"]
    assert 18 <= len(close) <= 22, [pair.pair_kind for pair in pairs]
    for pair in pairs:  # the recorded kind is what the two strategies make it
        expected = ["persona", "persona"] if pair.pair_kind == "close" else ["flaw", "persona"]
        assert _strategy_kinds(pair) == expected
        assert pair.selection.requested_kind == pair.pair_kind  # every prompt got a pair of its kind
    summary = json.loads((out / PAIRS_SUMMARY_FILE).read_text())
    assert summary["close_share"] == 0.5 and summary["pair_kinds"]["close"]["requested"] == 20
    for kind in ("close", "contrast"):
        margins = [p.selection.predicted_margin for p in pairs if p.pair_kind == kind]
        assert summary["pair_kinds"][kind]["pairs"] == len(margins)
        assert summary["pair_kinds"][kind]["predicted_tie_rate"] == pytest.approx(tie_rate(margins))
    assert f"close {len(close)} (drawn 20" in result.output

    again = tmp_path / "none"
    result = runner.invoke(
        app, ["generate", "pairs", "--prompts", str(out), "--out", str(again), "--close-share", "0"]
    )
    assert result.exit_code == 0, result.output
    rerun = [PairRow.model_validate_json(line) for line in (again / PAIRS_FILE).read_text().splitlines()]
    assert {pair.pair_kind for pair in rerun} == {"contrast"}


def test_a_close_share_outside_0_1_is_one_error_line(tmp_path):
    result = runner.invoke(app, ["generate", "pairs", "--prompts", str(tmp_path), "--close-share", "1.5"])
    assert result.exit_code == 1 and "--close-share must be between 0 and 1, got 1.5" in result.output
