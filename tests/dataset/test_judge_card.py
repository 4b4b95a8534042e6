"""build: the card's judge section comes from judge_report.json in the pull folder (and is absent without it)."""

from __future__ import annotations

import random

from rlhf_argilla.annotation.judge_report import judge_report
from rlhf_argilla.annotation.judge_report_io import write_judge_report
from rlhf_argilla.annotation.pull import annotations_frame
from rlhf_argilla.dataset.build import build
from rlhf_argilla.domain.criteria import CRITERION_IDS
from tests.annotation.pairs_factory import make_pairs
from tests.dataset.factory import make_aggregated, write_pull_dir


def _annotations(pairs, seed=0):
    rng, rows = random.Random(seed), []
    for pair in pairs:
        for who in ("sim-annotator-1", "sim-annotator-2"):
            head = (pair.pair_id, who, "submitted")
            for number, response in ((1, pair.response_1), (2, pair.response_2)):
                for name in CRITERION_IDS:
                    value = min(5, max(1, getattr(response.judge, name) + rng.choice((-1, 0, 0, 1))))
                    rows.append((*head, name, number, str(value), "t", True))
            first = rng.random() < 0.8
            rows.append((*head, "overall", 1, "1" if first else "2", "t", True))
            rows.append((*head, "overall", 2, "2" if first else "1", "t", True))
    return annotations_frame(rows)


def test_card_has_the_judge_section_with_the_report_figures(tmp_path):
    pairs = make_pairs(60, seed=2)
    report = judge_report(_annotations(pairs), pairs, {p.pair_id for p in pairs[:30]})
    pull = write_pull_dir(tmp_path / "pull", make_aggregated(40, seed=3))
    write_judge_report(pull, report)
    build(pull, tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text()
    assert "## How far the AI judge can be trusted" in card
    assert f"**{report['blind_records']} blind records**" in card and report["blind_records"] == 30
    assert "simulated annotators" in card
    for name, figures in report["criteria"].items():
        assert f"| {name} | {figures['units']} | {figures['kappa_quadratic']:.2f} |" in card

    bare = write_pull_dir(tmp_path / "pull2", make_aggregated(40, seed=3))
    build(bare, tmp_path / "out2")
    assert "How far the AI judge" not in (tmp_path / "out2" / "README.md").read_text()


def test_the_swap_probe_of_the_pairs_reaches_the_card(tmp_path):
    import json

    from rlhf_argilla.annotation.judge_report_io import read_swap_summary
    from rlhf_argilla.generation.judge_swap import JUDGE_SWAP_FILE, swap_report

    pairs = make_pairs(40, seed=4)
    outcomes = [(p.prompt_id, "flipped" if i % 4 == 0 else "consistent", True) for i, p in enumerate(pairs)]
    gen = tmp_path / "gen"
    gen.mkdir()
    (gen / JUDGE_SWAP_FILE).write_text(json.dumps(swap_report(outcomes, share=1.0, seed=0, judge_model="m")))
    assert read_swap_summary(tmp_path) is None
    report = judge_report(_annotations(pairs), pairs, {p.pair_id for p in pairs[:20]})
    report["judge_swap"] = read_swap_summary(gen)
    pull = write_pull_dir(tmp_path / "pull", make_aggregated(40, seed=3))
    write_judge_report(pull, report)
    build(pull, tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text()
    assert "kept its verdict on 30 of 40 prompts (swap consistency 0.75); the 10 pairs" in card
