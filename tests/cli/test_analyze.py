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


def test_evaluate_scores_held_out_turns_and_the_headline_stays_out_of_sample(tiny_sample, tmp_path):
    from rlhf_argilla.analysis.evaluate import load_recorded
    from rlhf_argilla.domain.classifier import LABELLED_SET

    trained = LABELLED_SET.read_text(encoding="utf-8").splitlines()[0]
    fresh = [
        {
            "source": "mine",
            "line": 1,
            "fitness": True,
            "subtopic": "running",
            "text": "How do I run my first 10k?",
        },
        {"source": "mine", "line": 2, "fitness": False, "subtopic": None, "text": "How do I bake rye bread?"},
    ]
    labelled = tmp_path / "mine.jsonl"
    labelled.write_text("\n".join([trained, *map(json.dumps, fresh)]) + "\n")
    out = tmp_path / "analysis"
    result = runner.invoke(
        app, ["analyze", "--data", str(tiny_sample.root), "--out", str(out), "--evaluate", str(labelled)]
    )

    assert result.exit_code == 0, result.output
    recorded = load_recorded()["out_of_sample"]
    classifier = json.loads((out / "gaps.json").read_text())["classifier"]
    assert (classifier["precision"], classifier["recall"]) == (recorded["precision"], recorded["recall"])
    assert classifier["measured"] == "out_of_sample"
    assert f"precision {recorded['precision']:.3f} (95 % CI" in result.output
    assert "on --evaluate's 2 turns not trained on" in result.output
    report = (out / "report.md").read_text()
    assert "1 of its 3 turns are in the training labels and were left out" in report
