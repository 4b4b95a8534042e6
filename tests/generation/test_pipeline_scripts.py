"""pipelines/: the DAG files the CLI builds from, each runnable on its own with its own options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from distilabel.distiset import Distiset

from rlhf_argilla.config import load_settings
from rlhf_argilla.generation.prompts import generate_prompts, read_prompts
from rlhf_argilla.llms.profiles import register_backend, unregister_backend
from rlhf_argilla.pipelines import fitness_prompts, response_pairs
from tests.llms.scripted_backend import SCRIPTED, SCRIPTED_MODEL

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("script", "options"),
    [
        ("fitness_prompts.py", ["--num", "--subtopics", "--seed"]),
        ("response_pairs.py", ["--prompts", "--candidates"]),
    ],
)
def test_each_script_shows_its_own_options_and_an_example(script, options):
    done = subprocess.run(
        [sys.executable, str(REPO / "pipelines" / script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert all(option in done.stdout for option in [*options, "--backend", "--max-cost", "--ray"])
    assert f"Example: python pipelines/{script}" in done.stdout and ">>" in done.stdout


@pytest.mark.slow
def test_tiny_runs_save_distisets_from_the_same_dags(tmp_path, monkeypatch):
    register_backend(SCRIPTED)
    try:
        monkeypatch.setenv("RLHF_ARGILLA_DATA_DIR", str(tmp_path / "data"))
        fitness_prompts.main(["-n", "2", "--backend", "scripted", "--out", str(tmp_path / "p")])
        rows = Distiset.load_from_disk(str(tmp_path / "p"))["default"]["train"]
        assert len(rows) == 2 and all(SCRIPTED_MODEL in row for row in rows["prompt_row"])

        generate_prompts(load_settings(backend="scripted"), 2, tmp_path / "g")
        assert len(read_prompts(tmp_path / "g")) == 2
        response_pairs.main(
            ["--prompts", str(tmp_path / "g"), "--backend", "scripted", "--out", str(tmp_path / "q")]
        )
        pairs = Distiset.load_from_disk(str(tmp_path / "q"))["default"]["train"]
        assert len(pairs) == 2 and all(row["selection"] for row in pairs)
    finally:
        unregister_backend(SCRIPTED.name)
