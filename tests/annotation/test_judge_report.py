"""Judge report on the real server: planted anchoring recovered; kappa / alpha equal an independent recount."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.blind import BlindPlan
from rlhf_argilla.annotation.judge_report import judge_report, judge_suggestions, wilson
from rlhf_argilla.annotation.judge_report_io import (
    read_blind_annotations,
    render_markdown,
    write_judge_report,
)
from rlhf_argilla.annotation.push import ensure_dataset, push_pairs
from rlhf_argilla.annotation.simulate import simulate
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs


def test_a_statistic_without_variance_is_null_not_nan_and_the_report_stays_valid_json():
    """Tiny blind slices (the small demo) can give one rating value on every unit: kappa is undefined."""
    import json

    from rlhf_argilla.annotation.pull import annotations_frame

    pairs = [
        pair.model_copy(
            update={
                side: getattr(pair, side).model_copy(
                    update={"judge": getattr(pair, side).judge.model_copy(update={"safety": 5})}
                )
                for side in ("response_1", "response_2")
            }
        )
        for pair in make_pairs(6, seed=1)
    ]
    rows = []
    for pair in pairs:
        head = (pair.pair_id, "sim-annotator-1", "submitted")
        for number, response in ((1, pair.response_1), (2, pair.response_2)):
            for name in CRITERION_IDS:
                rows.append((*head, name, number, str(getattr(response.judge, name)), "t", True))
        rows += [(*head, "overall", 1, "1", "t", True), (*head, "overall", 2, "2", "t", True)]
    report = judge_report(annotations_frame(rows), pairs, {p.pair_id for p in pairs})
    assert report["criteria"]["safety"]["kappa_quadratic"] is None
    assert report["criteria"]["safety"]["exact"] == 1.0
    json.loads(json.dumps(report, allow_nan=False))  # no NaN anywhere


def test_wilson_matches_the_closed_form_at_the_edges():
    low, high = wilson(10, 10)
    assert high == 1.0 and 0.69 < low < 0.73
    assert wilson(5, 10)[0] == pytest.approx(1 - wilson(5, 10)[1])


def _recount(rest: ArgillaRest, dataset_id: str, pairs) -> dict[str, tuple[float, float]]:
    """kappa / alpha per criterion straight from the raw REST records and the pairs (not the tool's code)."""
    judge = {}
    for pair in pairs:
        for number, response in ((1, pair.response_1), (2, pair.response_2)):
            for name in CRITERION_IDS:
                judge[(pair.pair_id, name, number)] = getattr(response.judge, name)
    answers: dict[tuple, dict[str, int]] = {}
    for page, _ in rest.record_pages(dataset_id):
        for record in page:
            if record["metadata"][names.META_BLIND] != 1:
                continue
            a_is = record["metadata"][names.META_A_IS]
            for response in record.get("responses") or []:
                if response["status"] != "submitted":
                    continue
                for question, answer in response["values"].items():
                    if question.rsplit("_", 1)[0] in CRITERION_IDS:
                        name, side = question.rsplit("_", 1)
                        original = a_is if side == "a" else 3 - a_is
                        unit = (record["external_id"], name, original)
                        answers.setdefault(unit, {})[response["user_id"]] = answer["value"]
    out = {}
    users = sorted({u for votes in answers.values() for u in votes})
    for name in CRITERION_IDS:
        units = sorted(u for u in answers if u[1] == name)
        human = [math.floor(float(np.median(list(answers[u].values()))) + 0.5) for u in units]
        machine = [judge[u] for u in units]
        data = [[answers[u].get(user, np.nan) for u in units] for user in users] + [machine]
        out[name] = (
            cohen_kappa_score(machine, human, weights="quadratic", labels=[1, 2, 3, 4, 5]),
            krippendorff.alpha(
                reliability_data=np.array(data, dtype=float),
                level_of_measurement="ordinal",
                value_domain=[1, 2, 3, 4, 5],
            ),
        )
    return out


@pytest.mark.integration
@pytest.mark.parametrize("seed,planted", [(1, 0.3), (2, 0.6), (3, 0.45)])
def test_planted_anchoring_is_recovered_and_kappa_alpha_match_a_recount(
    argilla_settings, argilla_client, argilla_target, workspace, tmp_path, seed, planted
):
    pairs = make_pairs(200, seed=seed)
    name = f"anchor-{seed}"
    dataset = ensure_dataset(argilla_client, name, workspace.name, annotators_per_record=3)
    push_pairs(dataset, pairs, blind=BlindPlan(share=0.4, seed=seed))
    config = SimulationConfig(annotators=3, seed=seed, accept_rate=planted)
    simulate(argilla_settings, name, config, workspace=workspace.name, reference=judge_suggestions(pairs))

    with ArgillaRest(argilla_target) as rest:
        found = rest.require_dataset(name, workspace.name)
        annotations, blind = read_blind_annotations(rest, found["id"], rest.usernames(found["workspace_id"]))
        recount = _recount(rest, found["id"], pairs)
    report = judge_report(annotations, pairs, blind, seed=seed)
    anchor = report["anchoring"]
    print(
        f"seed {seed}: planted {planted}, acceptance {anchor['acceptance']} {anchor['acceptance_interval']}, "
        f"effect {anchor['effect']}, blind records {report['blind_records']}"
    )
    assert abs(anchor["acceptance"] - planted) <= 0.05
    assert anchor["acceptance_interval"][0] <= planted <= anchor["acceptance_interval"][1]
    assert report["simulated"] is True and 60 <= report["blind_records"] <= 100
    for criterion, (kappa, alpha) in recount.items():
        assert report["criteria"][criterion]["kappa_quadratic"] == pytest.approx(kappa, abs=1e-4)
        assert report["criteria"][criterion]["krippendorff_alpha"] == pytest.approx(alpha, abs=1e-4)
    assert 0 < report["preference"]["records"] <= report["blind_records"]

    first = write_judge_report(tmp_path / "one", report)
    second = write_judge_report(tmp_path / "two", judge_report(annotations, pairs, blind, seed=seed))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert "blind records" in render_markdown(report) and "simulated" in render_markdown(report)


@pytest.mark.integration
def test_push_simulate_judge_report_commands_end_to_end(argilla_settings, workspace, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from rlhf_argilla.cli.app import app
    from tests.annotation.cli_env import point_cli_at
    from tests.annotation.pairs_factory import write_pairs

    point_cli_at(monkeypatch, argilla_settings)
    folder = write_pairs(tmp_path / "pairs", make_pairs(40, seed=8))
    runner = CliRunner()
    where = ["--dataset", "cli", "--workspace", workspace.name]
    steps = [
        ["push", str(folder), *where, "--blind-share", "0.5", "--seed", "4"],
        ["simulate", *where, "--annotators", "2", "--accept-suggestions", "0.5", "--pairs", str(folder)],
        ["judge-report", *where, "--pairs", str(folder), "--out", str(tmp_path / "a")],
        ["judge-report", *where, "--pairs", str(folder), "--out", str(tmp_path / "b")],
    ]
    for command in steps:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    assert "blind records" in result.output and "anchoring" in result.output
    for name in ("judge_report.json", "judge_report.md", "judge_report.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    bad = runner.invoke(app, ["push", str(folder), *where, "--suggestions", "maybe"])
    assert bad.exit_code != 0
