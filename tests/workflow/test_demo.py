"""End to end: the demo's stages on a small size against the real server, embedded model, real pipelines."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from rlhf_argilla.gateway import ArgillaRest
from rlhf_argilla.workflow.demo import STAGES, DemoOptions, run_demo

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_run(argilla_settings, module_workspace, shared_data, tmp_path_factory):
    settings = argilla_settings.model_copy(update={"workspace": module_workspace.name, "backend": "embedded"})
    options = DemoOptions(
        out=tmp_path_factory.mktemp("demo"),
        hh_data=[str(shared_data)],
        prompts=16,
        annotators=3,
        dataset="demo-e2e",
        seed=7,
    )
    first = run_demo(settings, options)
    pairs_digest = hashlib.sha256((options.out / "generation" / "pairs.jsonl").read_bytes()).hexdigest()
    second = run_demo(settings, options)
    return settings, options, first, second, pairs_digest


def _records(target, settings, name) -> list[dict]:
    with ArgillaRest(target) as rest:
        dataset = rest.require_dataset(name, settings.workspace)
        return [item for page, _total in rest.record_pages(dataset["id"]) for item in page]


def _is_control(record: dict) -> bool:
    return (record.get("metadata") or {}).get("control") == 1


def test_every_stage_ran_and_argilla_holds_one_record_per_pair(demo_run, argilla_target):
    settings, options, first, _, _ = demo_run
    pairs = [
        json.loads(line) for line in (options.out / "generation" / "pairs.jsonl").read_text().splitlines()
    ]

    records = _records(argilla_target, settings, options.dataset)

    assert [stage.name for stage in first.stages] == list(STAGES)
    assert len(pairs) >= 10 and first.figures["pairs"] == len(pairs)
    ordinary = [record for record in records if not _is_control(record)]
    assert sorted(record["external_id"] for record in ordinary) == sorted(pair["pair_id"] for pair in pairs)
    assert len(records) - len(ordinary) >= 3  # push's default control items (5 %, at least 3)
    assert all(pair["response_1"]["model"] and pair["response_1"]["strategy"] for pair in pairs)


def test_pulled_responses_equal_what_the_server_holds(demo_run, argilla_target):
    settings, options, *_ = demo_run
    records = [
        record for record in _records(argilla_target, settings, options.dataset) if not _is_control(record)
    ]
    server_counts: dict[str, int] = {}
    for record in records:
        for response in record["responses"]:
            server_counts[response["status"]] = server_counts.get(response["status"], 0) + 1

    annotations = pd.read_parquet(options.out / "pull" / "annotations.parquet")
    annotations = annotations[annotations["pair_id"].isin({record["external_id"] for record in records})]
    pulled = annotations.drop_duplicates(["pair_id", "annotator"])["status"].value_counts().to_dict()
    agreement = json.loads((options.out / "pull" / "agreement.json").read_text())

    assert pulled == server_counts
    assert {status: n for status, n in agreement["counts"].items() if n} == server_counts
    assert annotations["simulated"].all()


def test_splits_and_card_carry_the_reported_figures(demo_run):
    _, options, *_ = demo_run
    agreement = json.loads((options.out / "pull" / "agreement.json").read_text())
    aggregated = pd.read_parquet(options.out / "pull" / "aggregated.parquet")
    card = (options.out / "dataset" / "README.md").read_text()

    split_rows = sum(
        len(pd.read_parquet(path)) for path in (options.out / "dataset" / "default").glob("*.parquet")
    )

    controls = aggregated[aggregated["control"] == 1]
    ordinary = aggregated[aggregated["control"] != 1]
    assert split_rows == int((ordinary["preferred"] != "tie").sum())
    assert len(controls) >= 3 and "## Control items" in card
    built = pd.concat(pd.read_parquet(path) for path in (options.out / "dataset").rglob("*.parquet"))
    assert not set(built.get("pair_id", pd.Series(dtype=str))) & set(controls["pair_id"])
    assert f"{agreement['tie_rate'] * 100:.1f} %" in card
    for name, alpha in agreement["alpha"].items():
        if alpha is not None:
            assert f"| {name} | {alpha:.3f} |" in card
    assert "## Label quality" in card and "**simulated**" in card
    for item in agreement["exclusion"]["excluded"]:  # flagged annotators are excluded, with the reason
        assert f"- `{item['annotator']}`: flagged" in card
    published = sorted(path.name for path in (options.out / "publish").rglob("*") if path.is_file())
    assert "README.md" in published and any(name.endswith(".parquet") for name in published)


def test_the_card_says_how_far_the_judge_can_be_trusted_on_the_blind_slice(demo_run, argilla_target):
    settings, options, first, *_ = demo_run
    report = json.loads((options.out / "pull" / "judge_report.json").read_text())
    card = (options.out / "dataset" / "README.md").read_text()
    with ArgillaRest(argilla_target) as rest:  # the blind slice the server holds
        dataset = rest.require_dataset(options.dataset, settings.workspace)
        blind = sum(
            (record.get("metadata") or {}).get("blind") == 1
            for page, _total in rest.record_pages(dataset["id"])
            for record in page
        )

    kappas = {name: figures["kappa_quadratic"] for name, figures in report["criteria"].items()}
    print(
        f"demo judge section: {report['blind_records']} blind records, kappa {kappas}, {report['anchoring']}"
    )
    assert 0 < report["blind_records"] <= blind < first.figures["pairs"]
    assert first.figures["judge vs annotators, blind records"] == report["blind_records"]
    assert "## How far the AI judge can be trusted" in card
    assert f"**{report['blind_records']} blind records**" in card and "**simulated annotators**" in card
    for name, figures in report["criteria"].items():
        kappa = figures["kappa_quadratic"]
        assert f"| {name} | {figures['units']} | {'–' if kappa is None else f'{kappa:.2f}'} |" in card
    assert any(figures["kappa_quadratic"] is not None for figures in report["criteria"].values())
    assert report["anchoring"]["effect"] is not None and "Anchoring effect:" in card


def test_a_rerun_changes_nothing_and_makes_no_new_records(demo_run, argilla_target):
    settings, options, first, second, pairs_digest = demo_run

    push = {stage.name: stage.summary for stage in second.stages}["push"]

    assert (
        hashlib.sha256((options.out / "generation" / "pairs.jsonl").read_bytes()).hexdigest() == pairs_digest
    )
    assert push.startswith("0 created, 0 updated")
    assert second.figures["Argilla records"] == first.figures["Argilla records"]
    records = _records(argilla_target, settings, options.dataset)
    assert len([record for record in records if not _is_control(record)]) == first.figures["pairs"]
    assert len(records) == first.figures["Argilla records"]  # the same controls, none added
