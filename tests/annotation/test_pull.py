"""Integration: push -> simulate 3 annotators -> pull, checked against the raw REST API."""

from __future__ import annotations

import json
import uuid

import httpx
import krippendorff
import numpy as np
import pandas as pd
import pytest

from rlhf_argilla.annotation.pull import pull, record_row, response_rows
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.annotation.simulate import simulate
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.schema import ANNOTATION_COLUMNS, AgreementSummary, aggregated_columns
from tests.annotation.pairs_factory import make_pairs, write_pairs
from tests.annotation.raw_rest import raw_records

N_PAIRS = 40
CROWD = SimulationConfig(annotators=3, seed=11, draft_rate=0.1, discard_rate=0.08, tie_rate=0.15)


def test_a_response_without_values_still_gets_a_row_and_rationale_has_no_side():
    record = {
        "id": "u",
        "external_id": "p",
        "metadata": {"a_is": 1},
        "responses": [
            {"user_id": "u1", "status": "discarded", "updated_at": "t", "values": {}},
            {
                "user_id": "u2",
                "status": "submitted",
                "updated_at": "t",
                "values": {
                    "rationale": {"value": "B is unsafe"},
                    "overall": {
                        "value": [{"value": "response_b", "rank": 1}, {"value": "response_a", "rank": 2}]
                    },
                },
            },
        ],
    }

    rows = response_rows(record, {"u2": "maria"})

    assert rows == [
        ("p", "u1", "discarded", None, None, None, "t", False),
        ("p", "maria", "submitted", "rationale", None, "B is unsafe", "t", False),
        ("p", "maria", "submitted", "overall", 2, "1", "t", False),
        ("p", "maria", "submitted", "overall", 1, "2", "t", False),
    ]


def test_a_record_without_the_ab_mapping_is_refused():
    with pytest.raises(ArgillaError, match="a_is"):
        record_row({"id": "u", "external_id": "p", "metadata": {}, "fields": {}})


@pytest.fixture(scope="module")
def annotated(argilla_client, argilla_settings, tmp_path_factory):
    """A pushed dataset answered by three simulated annotators, and the pull of it."""
    import argilla as rg

    name = f"t-pull-{uuid.uuid4().hex[:8]}"
    workspace = rg.Workspace(name=name, client=argilla_client).create()
    settings = argilla_settings.model_copy(update={"workspace": name})
    try:
        pairs_dir = write_pairs(tmp_path_factory.mktemp("pairs"), make_pairs(N_PAIRS, seed=5))
        push_file(argilla_client, pairs_dir, dataset=name, workspace=name, annotators_per_record=2)
        simulated = simulate(settings, name, CROWD)
        out = tmp_path_factory.mktemp("pull")
        result = pull(settings, name, out)
        yield {"name": name, "settings": settings, "simulated": simulated, "result": result, "out": out}
    finally:
        for dataset in list(workspace.datasets):
            dataset.delete()
        workspace.delete()


def _dataset_id(target, name):
    headers = {"X-Argilla-Api-Key": target.api_key}
    items = httpx.get(f"{target.url}/api/v1/me/datasets", headers=headers, timeout=60).json()["items"]
    return next(item["id"] for item in items if item["name"] == name)


@pytest.mark.integration
def test_alpha_tie_rate_and_counts_match_an_independent_reading_of_the_raw_api(annotated, argilla_target):
    records, users = raw_records(argilla_target, _dataset_id(argilla_target, annotated["name"]))
    # independent reading: per (pair, annotator) preference of ORIGINAL response 1 vs 2
    statuses, labels, safety = [], {}, {}
    for record in records:
        a_is = record["metadata"]["a_is"]
        for response in record["responses"]:
            who = users[response["user_id"]]
            statuses.append(response["status"])
            if response["status"] != "submitted":
                continue
            ranks = {item["value"]: item["rank"] for item in response["values"]["overall"]["value"]}
            rank_1, rank_2 = (ranks["response_a"], ranks["response_b"])[:: 1 if a_is == 1 else -1]
            labels[(record["external_id"], who)] = 0 if rank_1 < rank_2 else 1 if rank_2 < rank_1 else 2
            for side, original in (("a", a_is), ("b", 3 - a_is)):
                safety[((record["external_id"], original), who)] = response["values"][f"safety_{side}"][
                    "value"
                ]
    annotators = sorted({who for _, who in labels})
    pairs = sorted({pair for pair, _ in labels})
    nominal = np.array(
        [[labels.get((pair, who), np.nan) for pair in pairs] for who in annotators], dtype=float
    )
    units = sorted({unit for unit, _ in safety})
    ordinal = np.array(
        [[safety.get((unit, who), np.nan) for unit in units] for who in annotators], dtype=float
    )
    expected_tie_rate = sum(1 for value in labels.values() if value == 2) / len(labels)

    report = json.loads((annotated["out"] / "agreement.json").read_text())

    assert report["alpha"]["overall"] == pytest.approx(
        krippendorff.alpha(reliability_data=nominal, level_of_measurement="nominal"), abs=1e-6
    )
    assert report["alpha"]["safety"] == pytest.approx(
        krippendorff.alpha(
            reliability_data=ordinal, value_domain=[1, 2, 3, 4, 5], level_of_measurement="ordinal"
        ),
        abs=1e-6,
    )
    assert report["tie_rate"] == pytest.approx(expected_tie_rate, abs=1e-6)
    assert 0 < expected_tie_rate < 1  # ties survived the round trip
    assert report["counts"] == {
        status: statuses.count(status) for status in ("submitted", "draft", "discarded")
    }
    assert report["counts"]["draft"] > 0 and report["counts"]["discarded"] > 0
    assert sum(report["counts"].values()) == N_PAIRS * CROWD.annotators


@pytest.mark.integration
def test_tidy_table_keeps_every_response_and_undoes_the_ab_shuffle(annotated, argilla_target):
    records, users = raw_records(argilla_target, _dataset_id(argilla_target, annotated["name"]))
    table = pd.read_parquet(annotated["out"] / "annotations.parquet")

    assert tuple(table.columns) == ANNOTATION_COLUMNS
    assert len(table.drop_duplicates(["pair_id", "annotator"])) == N_PAIRS * CROWD.annotators
    assert table["simulated"].all() and set(table["annotator"]) == {f"sim-annotator-{i}" for i in (1, 2, 3)}
    swapped = next(
        r
        for r in records
        if r["metadata"]["a_is"] == 2 and any(x["status"] == "submitted" for x in r["responses"])
    )
    response = next(x for x in swapped["responses"] if x["status"] == "submitted")
    row = table[
        (table["pair_id"] == swapped["external_id"])
        & (table["annotator"] == users[response["user_id"]])
        & (table["question"] == "clarity")
    ].set_index("response")["value"]
    assert row[2] == str(response["values"]["clarity_a"]["value"])  # A showed response 2
    assert row[1] == str(response["values"]["clarity_b"]["value"])


@pytest.mark.integration
def test_aggregated_and_report_files(annotated):
    out = annotated["out"]
    aggregated = pd.read_parquet(out / "aggregated.parquet")
    table = pd.read_parquet(out / "annotations.parquet")

    assert tuple(aggregated.columns) == aggregated_columns()
    assert set(aggregated["pair_id"]) == set(table.loc[table["status"] == "submitted", "pair_id"])
    assert set(aggregated["preferred"]) <= {"1", "2", "tie"}
    assert (
        aggregated["subtopic"].notna().all() and aggregated["response_1"].str.startswith("Answer one").all()
    )
    report = (out / "report.md").read_text()
    assert "Krippendorff" in report and "Simulated annotators" in report
    assert (out / "agreement.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.integration
def test_pull_of_an_unknown_dataset_names_what_exists(annotated, tmp_path):
    with pytest.raises(ArgillaError, match=annotated["name"]):
        pull(annotated["settings"], "no-such-dataset", tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.integration
def test_pull_command_writes_the_five_files_and_fails_in_one_line(
    annotated, argilla_settings, monkeypatch, tmp_path
):
    from typer.testing import CliRunner

    from rlhf_argilla.cli.app import app
    from tests.annotation.cli_env import point_cli_at

    point_cli_at(monkeypatch, argilla_settings)
    runner = CliRunner()
    name = annotated["name"]

    ok = runner.invoke(
        app,
        ["pull", "--dataset", name, "--workspace", name, "--out", str(tmp_path / "o"), "--method", "mean"],
    )
    wrong = runner.invoke(
        app, ["pull", "--dataset", "nope", "--workspace", name, "--out", str(tmp_path / "x")]
    )

    assert ok.exit_code == 0, ok.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        ".rlhf-argilla-outputs.json",  # which files pull wrote: a rerun replaces only those
        "aggregated.parquet",
        "agreement.json",
        "agreement.png",
        "annotations.parquet",
        "reliability.png",  # per-annotator competence, flagged annotators highlighted
        "report.md",
    ]
    assert json.loads((tmp_path / "o" / "agreement.json").read_text())["aggregation"]["method"] == "mean"
    assert wrong.exit_code == 1 and "Error: no dataset 'nope'" in wrong.output
    assert "Traceback" not in wrong.output


@pytest.mark.integration
def test_pull_in_small_chunks_writes_the_same_tables_and_summary(annotated, tmp_path, monkeypatch):
    """Streaming: the tidy rows turned into frames a few at a time give what one chunk gives."""
    from rlhf_argilla.annotation import pull_read

    monkeypatch.setattr(pull_read, "CHUNK_ROWS", 7)  # many chunks, split inside pages
    result = pull(annotated["settings"], annotated["name"], tmp_path)
    first = annotated["out"]
    for name in ("annotations.parquet", "aggregated.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / name), pd.read_parquet(first / name))
    assert result.summary == annotated["result"].summary and result.records == annotated["result"].records


@pytest.mark.integration
def test_agreement_json_is_the_typed_summary_byte_for_byte(annotated):
    """pull writes ``schema.AgreementSummary``: reading the file back gives the same model, and writing
    that model gives the same text, which is also what the dict writer before the model produced."""
    path = annotated["out"] / "agreement.json"
    text = path.read_text(encoding="utf-8")

    summary = AgreementSummary.read(path)

    assert summary == annotated["result"].summary
    assert summary.to_json() == text
    assert json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n" == text
    assert list(json.loads(text)) == [
        "counts",
        "records",
        "annotators",
        "preferences",
        "tie_rate",
        "alpha",
        "kappa",
        "per_annotator",
        "reliability",
        "exclusion",
        "aggregation",
        "decided_by",
    ]
    assert summary.responses == sum(json.loads(text)["counts"].values()) > 0
    assert summary.reliability is not None and len(summary.reliability.per_annotator) == 3


@pytest.mark.integration
def test_an_agreement_json_from_before_reliability_and_review_still_loads(annotated):
    """A file written before ``preferences``, ``reliability``, ``exclusion``, ``aggregation`` and
    ``decided_by`` existed loads, keeps its figures and is written back without those sections."""
    old = json.loads((annotated["out"] / "agreement.json").read_text(encoding="utf-8"))
    for key in ("preferences", "reliability", "exclusion", "aggregation", "decided_by"):
        del old[key]
    text = json.dumps(old, indent=2, ensure_ascii=False) + "\n"

    summary = AgreementSummary.from_json(text)

    assert summary.reliability is None and summary.exclusion is None and summary.preferences is None
    assert summary.alpha == old["alpha"] and summary.counts == old["counts"]
    assert [row.annotator for row in summary.per_annotator] == [
        row["annotator"] for row in old["per_annotator"]
    ]
    assert summary.to_json() == text
    with pytest.raises(ValueError, match="surprise"):  # a key the model does not know is refused
        AgreementSummary.from_json(json.dumps({**old, "surprise": 1}))
