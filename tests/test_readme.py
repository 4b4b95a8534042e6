"""The README stays true: its first command block is the two set-up commands, and it documents every
setting and every command the CLI has."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from rlhf_argilla.cli.app import app
from rlhf_argilla.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_first_block_holds_exactly_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.split("#")[0].strip()]

    assert commands == ["make demo", "make test"]
    assert README.index("```bash") < README.index("## ")  # they come before any section


def test_every_setting_is_in_the_configuration_table():
    missing = [name for name in Settings.model_fields if f"| `{name}` |" not in README]

    assert missing == []


def test_every_command_is_mentioned():
    command = typer.main.get_command(app)
    names = list(command.commands)

    assert [name for name in names if f"rlhf-argilla {name}" not in README] == []
