"""``rlhf-argilla analyze`` through the real typer app."""

import json

from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from tests.analysis.tiny_sample import tiny_sample  # noqa: F401  (fixture)

runner = CliRunner()


def test_analyze_writes_report_gaps_chart_and_labels(tiny_sample, tmp_path):
    out = tmp_path / "analysis"
    result = runner.invoke(
        app,
        ["analyze", "--data", str(tiny_sample.root), "--out", str(out), "--labels", str(out / "labels.csv")],
    )

    assert result.exit_code == 0, result.output
    assert f"{len(tiny_sample.expected)} conversations, {tiny_sample.fitness} about fitness" in result.output
    for name in ("report.md", "gaps.json", "coverage.png", "labels.csv"):
        assert (out / name).is_file()
    assert json.loads((out / "gaps.json").read_text())["fitness_conversations"] == tiny_sample.fitness


def test_missing_input_is_one_line_and_exit_1(tmp_path):
    result = runner.invoke(
        app, ["analyze", "--data", str(tmp_path / "nope.jsonl.gz"), "--out", str(tmp_path)]
    )

    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and "no such file or folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_help_has_an_example():
    result = runner.invoke(app, ["analyze", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_evaluate_puts_precision_and_recall_in_output_report_and_gaps(tiny_sample, tmp_path):
    from tests.analysis.test_evaluate import LABELLED

    out = tmp_path / "analysis"
    result = runner.invoke(
        app, ["analyze", "--data", str(tiny_sample.root), "--out", str(out), "--evaluate", str(LABELLED)]
    )

    assert result.exit_code == 0, result.output
    classifier = json.loads((out / "gaps.json").read_text())["classifier"]
    assert 0 < classifier["precision"] <= 1 and 0 < classifier["recall"] <= 1
    assert (
        f"classifier precision {classifier['precision']:.3f}, recall {classifier['recall']:.3f}"
        in result.output
    )
    assert f"| precision | {classifier['precision']:.3f} |" in (out / "report.md").read_text()
