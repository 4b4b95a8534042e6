"""`rlhf-argilla build`: parses, delegates, prints counts and warnings; user errors are one line, exit 1."""

from __future__ import annotations

from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from tests.dataset.factory import make_aggregated, write_pull_dir

runner = CliRunner()


def test_build_writes_every_config_and_prints_counts(tmp_path):
    pull = write_pull_dir(tmp_path / "pull", make_aggregated(50, tie_every=5))
    result = runner.invoke(
        app,
        [
            "build",
            str(pull),
            "--out",
            str(tmp_path / "out"),
            "--ties",
            "keep",
            "--split",
            "80,10,10",
            "--seed",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "README.md").is_file() and (
        tmp_path / "out" / "ties" / "train.parquet"
    ).is_file()
    assert "│ default        │ 32    │ 4          │ 4    │" in result.output  # 40 non-tied pairs, 80/10/10
    assert "small dataset" in result.output


def test_user_errors_are_one_line_exit_1(tmp_path):
    pull = write_pull_dir(tmp_path / "pull", make_aggregated(20))
    for args, expected in (
        ([str(tmp_path / "missing"), "--out", str(tmp_path / "o")], "first (`rlhf-argilla pull`)"),
        ([str(pull), "--out", str(tmp_path / "o"), "--ties", "maybe"], "invalid --ties"),
        ([str(pull), "--out", str(tmp_path / "o"), "--split", "80,20"], "--split: invalid split"),
    ):
        result = runner.invoke(app, ["build", *args])
        assert result.exit_code == 1 and expected in result.output, result.output
        assert "Traceback" not in result.output
