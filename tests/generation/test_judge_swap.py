"""The judge's swap probe: a planted position bias is measured, and flipped verdicts keep no judge margin.

The loopback Messages API plays the judge (``tests.fakes.biased_judge``): on a seeded share of questions
it prefers the first response it is shown, otherwise it rates each text on its merit (heuristic-v1, so
order-independent). The planted swap consistency is the share of probed prompts it did not bias.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.annotation.settings import OVERALL
from rlhf_argilla.generation.judge_swap import (
    CONSISTENT,
    FLIPPED,
    FLIPPED_METHOD,
    JUDGE_SWAP_FILE,
    is_probed,
    swap_report,
    swap_selection,
)
from rlhf_argilla.schema import PAIRS_FILE, PairRow
from tests.fakes.biased_judge import is_biased, position_biased
from tests.fakes.fixtures import FAKE_API_KEY
from tests.generation.fitness_responder import fitness_responder

TEXTS = [
    "Squat twice a week: 3 sets of 5 at a weight you can move with good form.",
    "Rest the knee for a week, then start with bodyweight box squats.",
    "Go all out every day and ignore the pain.",
]


def test_a_verdict_that_changes_with_the_order_loses_its_margin():
    kept = swap_selection(TEXTS, [4.0, 3.4, 1.0], [3.8, 3.6, 1.4], 0.5)
    assert (kept.first, kept.second, kept.swap) == (0, 2, CONSISTENT) and kept.margin == 3.0
    flipped = swap_selection(TEXTS, [4.0, 3.4, 1.0], [1.0, 3.4, 4.0], 0.5)
    assert flipped.swap == FLIPPED and flipped.margin is None and flipped.method == FLIPPED_METHOD
    # a win that becomes a tie is a flip too; an unprobed prompt is selected as before
    assert swap_selection(TEXTS, [4.0, 3.4, 1.0], [2.0, 3.4, 1.9], 0.5).swap == FLIPPED
    assert swap_selection(TEXTS, [4.0, 3.4, 1.0], None, 0.5) == kept.model_copy(update={"swap": None})


def test_probe_draw_is_seeded_and_the_report_counts_only_compared_prompts():
    keys = [f"question {i}" for i in range(2000)]
    drawn = [is_probed(key, 0.3, seed=2) for key in keys]
    assert drawn == [is_probed(key, 0.3, seed=2) for key in keys] != [is_probed(k, 0.3, seed=3) for k in keys]
    assert abs(sum(drawn) / len(keys) - 0.3) < 0.03
    report = swap_report(
        [("a", CONSISTENT, True), ("b", FLIPPED, True), ("c", None, True), ("d", None, False)],
        share=0.3,
        seed=2,
        judge_model="m",
    )
    assert (report["probed"], report["compared"], report["swap_consistency"]) == (3, 2, 0.5)


def _pairs(out) -> list[PairRow]:
    return [PairRow.model_validate_json(line) for line in (out / PAIRS_FILE).read_text().splitlines()]


def _run(settings, api, out, n, *, bias, share):
    from rlhf_argilla.generation.pairs import generate_pairs
    from rlhf_argilla.generation.prompts import generate_prompts, read_prompts

    api.responder = fitness_responder
    generate_prompts(settings, n, out)
    api.responder = position_biased(bias, fitness_responder)
    return generate_pairs(settings, read_prompts(out), out, judge_swap_share=share)


@pytest.mark.slow
def test_a_judge_that_always_prefers_the_first_candidate_has_swap_consistency_zero(
    anthropic_settings, messages_api, tmp_path
):
    out = tmp_path / "gen"
    result = _run(anthropic_settings, messages_api, out, 20, bias=1.0, share=1.0)
    report = json.loads((out / JUDGE_SWAP_FILE).read_text())
    pairs = _pairs(out)
    print(f"planted swap consistency 0.0, reported {report['swap_consistency']} over {report['compared']}")
    assert report == result.swap and report["probed"] == report["compared"] == 20
    assert abs(report["swap_consistency"] - 0.0) <= 0.05
    assert len(report["flipped_prompts"]) == 20 == len(pairs)
    for pair in pairs:
        assert pair.selection.judge_swap == FLIPPED and pair.selection.predicted_margin is None
        assert pair.selection.method == FLIPPED_METHOD
        suggested = {s["question_name"] for s in pair_to_record(pair)["suggestions"]}
        assert OVERALL not in suggested and len(suggested) == 10  # ratings stay, no predicted ranking
    assert any(line.stage == "judge-swap" and line.new_calls == 20 for line in result.usage)
    assert result.tie_rate == 0.0  # no margin, no predicted tie

    from rlhf_argilla.generation.pairs import generate_pairs
    from rlhf_argilla.generation.prompts import read_prompts

    unprobed = generate_pairs(anthropic_settings, read_prompts(out), out, judge_swap_share=0.0)
    assert unprobed.swap is None and not (out / JUDGE_SWAP_FILE).exists()  # no stale report
    assert all(
        p.selection.judge_swap is None and p.selection.predicted_margin is not None for p in _pairs(out)
    )


@pytest.mark.slow
def test_a_partial_position_bias_is_recovered_and_only_flipped_pairs_lose_the_margin(
    anthropic_settings, messages_api, tmp_path
):
    out = tmp_path / "gen"
    bias, share, n = 0.4, 0.8, 80
    result = _run(anthropic_settings, messages_api, out, n, bias=bias, share=share)
    report = result.swap
    pairs = {pair.prompt_id: pair for pair in _pairs(out)}
    probed = {pair.prompt_id for pair in pairs.values() if is_probed(pair.prompt, share)}
    planted = sum(not is_biased(pairs[p].prompt, bias) for p in probed) / len(probed)
    print(
        f"bias {bias} on a {share} probe of {n} prompts: planted swap consistency {planted:.3f} "
        f"(expected {1 - bias}), reported {report['swap_consistency']} over {report['compared']}"
    )
    assert report["compared"] == report["probed"] == len(probed)
    assert abs(report["swap_consistency"] - planted) <= 0.05
    assert abs(report["swap_consistency"] - (1 - bias)) <= 0.1  # within ~1 binomial sd of the planted rate
    for pair in pairs.values():
        outcome = pair.selection.judge_swap
        flipped = pair.prompt_id in report["flipped_prompts"]
        assert outcome == (None if pair.prompt_id not in probed else FLIPPED if flipped else CONSISTENT)
        assert (pair.selection.predicted_margin is None) == (outcome == FLIPPED)
        if outcome == FLIPPED:
            assert is_biased(pair.prompt, bias)


@pytest.mark.slow
def test_the_same_command_twice_gives_byte_identical_swap_reports(monkeypatch, messages_api, tmp_path):
    """Fresh data dirs (no response cache): both orders and the probed share are seeded, not sampled."""
    from rlhf_argilla.cli.app import app

    messages_api.responder = position_biased(0.5, fitness_responder)
    runner = CliRunner()
    monkeypatch.setenv("RLHF_ARGILLA_ANTHROPIC_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("RLHF_ARGILLA_ANTHROPIC_BASE_URL", messages_api.url)
    monkeypatch.setenv("RLHF_ARGILLA_BACKEND", "anthropic")
    outputs = []
    for run in ("one", "two"):
        monkeypatch.setenv("RLHF_ARGILLA_DATA_DIR", str(tmp_path / run / "data"))
        out = tmp_path / run / "gen"
        for command in (
            ["generate", "prompts", "-n", "12", "--out", str(out)],
            ["generate", "pairs", "--prompts", str(out), "--out", str(out), "--judge-swap-share", "0.5"],
        ):
            result = runner.invoke(app, command)
            assert result.exit_code == 0, result.output
        assert "judge swap probe:" in result.output and "swap consistency" in result.output
        selections = [(pair.pair_id, pair.selection) for pair in _pairs(out)]  # usage differs: a warm fake
        outputs.append(((out / JUDGE_SWAP_FILE).read_bytes(), selections))
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[0][0])
    assert 0 < report["probed"] < 12 and report["swap_consistency"] is not None
