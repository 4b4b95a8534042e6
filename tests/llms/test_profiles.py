"""Backend profiles: a third backend is one registration, and nothing outside llms/ names a backend."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import ConfigError
from rlhf_argilla.generation.pairs import generate_pairs
from rlhf_argilla.generation.prompts import generate_prompts, read_prompts
from rlhf_argilla.llms.factory import build_llm
from rlhf_argilla.llms.profiles import backend_names, profile_for, register_backend, unregister_backend
from tests.llms.scripted_backend import SCRIPTED, SCRIPTED_MODEL, ScriptedLLM

PACKAGE = Path(__file__).resolve().parents[2] / "rlhf_argilla"


@pytest.fixture
def scripted():
    register_backend(SCRIPTED)
    yield SCRIPTED
    unregister_backend(SCRIPTED.name)


def test_unregistered_backend_is_refused_by_settings_and_profiles():
    with pytest.raises(
        ConfigError, match="'scripted' is not a backend, expected one of: embedded, anthropic"
    ):
        load_settings(backend="scripted")
    with pytest.raises(ConfigError, match="unknown backend 'scripted'"):
        profile_for("scripted")


def test_registration_makes_settings_and_factory_use_the_profile(scripted, tmp_path):
    assert backend_names() == ("embedded", "anthropic", "scripted")
    settings = load_settings(backend="scripted", data_dir=tmp_path)
    judge = build_llm(settings, role="judge")
    assert isinstance(judge, ScriptedLLM) and judge.concurrency == 2
    assert judge.generation_kwargs == {"max_new_tokens": 120}
    assert build_llm(settings).generation_kwargs == {"max_new_tokens": 80}


@pytest.mark.slow
def test_both_pipelines_run_on_a_registered_third_backend(scripted, tmp_path):
    settings = load_settings(backend="scripted", data_dir=tmp_path / "data")
    out = tmp_path / "gen"
    prompts = generate_prompts(settings, 3, out, subtopics=["running", "mobility_flexibility"])
    assert len(prompts.rows) == 3
    assert {(row.generator.backend, row.generator.model) for row in prompts.rows} == {
        ("scripted", SCRIPTED_MODEL)
    }

    result = generate_pairs(settings, read_prompts(out), out)  # candidates: the profile's default (2)
    assert len(result.pairs) == 3
    for pair in result.pairs:
        for response in (pair.response_1, pair.response_2):
            assert response.model == SCRIPTED_MODEL and response.params["max_new_tokens"] == 90
            assert response.judge.judge_model == SCRIPTED_MODEL  # judges=True: the LLM judge ran
            assert "flaw_edit" not in response.params  # flaw_edits=False: the model writes its flaws
    assert [line.stage for line in result.usage if line.new_calls] == ["answers", "judge", "total"]


def test_cli_accepts_the_registered_backend(scripted, tmp_path):
    result = CliRunner().invoke(
        app, ["generate", "pairs", "--prompts", str(tmp_path / "none"), "--backend", "scripted"]
    )
    assert result.exit_code == 1 and "not found" in result.output  # past the backend check


def _backend_name_comparisons(path: Path) -> list[str]:
    """``x == "embedded"``-style comparisons and dicts keyed by backend names in one module.

    ``"embedded" in model_name`` (the dataset card spotting the demo model's label) is not a backend
    decision and is not counted.
    """
    names = {"embedded", "anthropic"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Constant) and o.value in names for o in operands):
                found.append(f"{path.name}:{node.lineno}")
        elif isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            if names & set(keys):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_module_outside_llms_decides_by_backend_name(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('x = backend == "embedded"\nY = {"anthropic": 3}\n')
    assert _backend_name_comparisons(planted) == ["planted.py:1", "planted.py:2"]
    outside = [p for p in PACKAGE.rglob("*.py") if "llms" not in p.relative_to(PACKAGE).parts]
    assert [hit for path in outside for hit in _backend_name_comparisons(path)] == []
