"""InputError: local input problems are told apart from the server's by type, and name no CLI flag."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import ArgillaError, InputError, RlhfArgillaError
from rlhf_argilla.generation.pairs import generate_pairs
from rlhf_argilla.outputs import guard
from rlhf_argilla.schema import PromptRow
from tests.hardening.test_bad_inputs import PROMPT_ROW


def test_input_error_is_a_user_error_but_not_a_server_error():
    assert issubclass(InputError, RlhfArgillaError) and not issubclass(InputError, ArgillaError)


def test_a_foreign_file_in_the_output_folder_is_an_input_error(tmp_path):
    (tmp_path / "pairs.jsonl").write_text("mine\n")
    with pytest.raises(InputError, match="was not written by rlhf-argilla"):
        guard(tmp_path, ["pairs.jsonl"])
    with pytest.raises(InputError, match="is a file"):
        guard(tmp_path / "pairs.jsonl", ["x"])


def test_candidates_out_of_range_library_names_the_value_cli_names_the_flag(tmp_path):
    settings = load_settings(backend="embedded", data_dir=tmp_path)
    with pytest.raises(InputError, match="^candidates per prompt must be 2 or 3, got 7$") as caught:
        generate_pairs(settings, [PromptRow.model_validate(PROMPT_ROW)], tmp_path, candidates=7)
    assert "--" not in str(caught.value)
    result = CliRunner().invoke(app, ["generate", "pairs", "--prompts", str(tmp_path), "--candidates", "7"])
    assert result.exit_code == 1 and "--candidates must be 2 or 3" in result.output


def test_local_files_and_values_given_to_annotation_are_input_errors(tmp_path):
    from rlhf_argilla.annotation.pairs_file import pairs_path
    from rlhf_argilla.annotation.simulate import simulate
    from rlhf_argilla.annotation.simulate_plan import SimulationConfig
    from rlhf_argilla.annotation.users import read_password_file

    with pytest.raises(InputError, match="no pairs.jsonl in"):
        pairs_path(tmp_path)
    with pytest.raises(InputError, match="cannot read password file"):
        read_password_file(tmp_path / "missing.txt")
    settings = load_settings(data_dir=tmp_path)
    with pytest.raises(InputError, match="^annotators must be between 1 and") as caught:
        simulate(settings, "prefs", SimulationConfig(annotators=0))
    assert "--" not in str(caught.value)
