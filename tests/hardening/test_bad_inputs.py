"""Table of bad inputs and faults against the CLI (issue #11): every case asserts the exit code, one
message line without a traceback, that the user's files are unchanged, and that none of the dummy
secrets planted in the environment appears in the output or in any file the tool wrote."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rlhf_argilla.cli.app import app
from tests.annotation.pairs_factory import make_pairs, write_pairs
from tests.dataset.factory import make_aggregated, write_pull_dir

pytestmark = pytest.mark.integration

SECRETS = {
    "ANTHROPIC_API_KEY": "sk-ant-PLANTEDdummy0001",
    "HF_TOKEN": "hf_PLANTEDdummy0002xyz",
    "RLHF_ARGILLA_OWNER_PASSWORD": "PLANTEDdummy0003pw",
}
PLANTED_ARGILLA_KEY = "rlhf.PLANTEDdummy0004"
DEAD_URL = "http://127.0.0.1:6997"  # nothing listens there
READ_ONLY = "/sys/rlhf-harden-out"  # EPERM even for root
BINARY = bytes(range(256)) * 8


@dataclass
class Case:
    id: str
    args: Callable[[Path], list[str]]  # tmp -> argv; may create input files under tmp
    exit: int = 1
    says: str = ""  # substring of the message line
    env: dict[str, str] = field(default_factory=dict)
    server: bool = False  # needs the real Argilla server (env points at it)
    keep: tuple[str, ...] = ()  # files (relative to tmp) the user had: must be byte-identical after


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def _gz(path: Path, text: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as handle:
        handle.write(text)
    return path


def _pairs(tmp: Path, n: int = 2, *, edit=None) -> Path:
    rows = make_pairs(n, seed=11)
    folder = write_pairs(tmp / "pairs", rows)
    if edit:
        lines = [json.loads(line) for line in (folder / "pairs.jsonl").read_text().splitlines()]
        edit(lines)
        (folder / "pairs.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return folder


def _dup(lines):
    lines[1]["pair_id"] = lines[0]["pair_id"]


def _empty_prompt(lines):
    lines[0]["prompt"] = ""


def _blank_response(lines):
    lines[1]["response_2"]["text"] = "  \n\t "


def _pull_dir(tmp: Path, *, edit=None) -> Path:
    aggregated = make_aggregated(20)
    if edit:
        edit(aggregated)
    return write_pull_dir(tmp / "pull", aggregated)


def _null_response(frame):
    frame.loc[3, "response_1"] = None


def _prompts_file(tmp: Path, text: str | bytes) -> Path:
    return _write(tmp / "gen" / "prompts.jsonl", text)


PROMPT_ROW = {
    "prompt_id": "p1",
    "prompt": "How do I start running?",
    "subtopic": "strength_training",
    "persona": "complete_beginner",
    "difficulty": "basic",
    "generator": {"backend": "embedded", "model": "SmolLM2-135M-Instruct", "strategy": "template"},
}


def _built(tmp: Path) -> Path:
    pull = _pull_dir(tmp)
    CliRunner().invoke(app, ["build", str(pull), "--out", str(tmp / "built")])
    return tmp / "built"


def _ws(tmp: Path) -> str:
    return os.environ["HARDEN_WORKSPACE"]


DEAD = {"RLHF_ARGILLA_API_URL": DEAD_URL, "RLHF_ARGILLA_API_KEY": PLANTED_ARGILLA_KEY}
BAD_KEY = {"RLHF_ARGILLA_API_KEY": PLANTED_ARGILLA_KEY}  # with the real server's URL

CASES = [
    # --- analyze -----------------------------------------------------------------------------------
    Case(
        "analyze-missing-data", lambda t: ["analyze", "--data", str(t / "nope.jsonl.gz"), "-o", str(t / "a")]
    ),
    Case(
        "analyze-empty-file",
        lambda t: ["analyze", "--data", str(_write(t / "e.jsonl.gz", b"")), "-o", str(t / "a")],
    ),
    Case(
        "analyze-not-gzip",
        lambda t: ["analyze", "--data", str(_write(t / "x.jsonl.gz", "hello\n")), "-o", str(t / "a")],
    ),
    Case(
        "analyze-binary-data",
        lambda t: ["analyze", "--data", str(_write(t / "b.jsonl.gz", BINARY)), "-o", str(t / "a")],
    ),
    Case(
        "analyze-all-malformed",
        lambda t: ["analyze", "--data", str(_gz(t / "m.jsonl.gz", b"{nope\n[1,\n")), "-o", str(t / "a")],
    ),
    Case(
        "analyze-gz-of-binary",
        lambda t: ["analyze", "--data", str(_gz(t / "g.jsonl.gz", BINARY)), "-o", str(t / "a")],
    ),
    Case(
        "analyze-empty-folder",
        lambda t: ["analyze", "--data", str((t / "emptydir").mkdir() or t / "emptydir"), "-o", str(t / "a")],
    ),
    Case(
        "analyze-no-conversations",
        lambda t: [
            "analyze",
            "--data",
            str(_gz(t / "n.jsonl.gz", b'{"chosen": "", "rejected": ""}\n')),
            "-o",
            str(t / "a"),
        ],
    ),
    Case(
        "analyze-evaluate-missing",
        lambda t: [
            "analyze",
            "--data",
            str(_gz(t / "ok.jsonl.gz", b"")),
            "--evaluate",
            str(t / "none.jsonl"),
            "-o",
            str(t / "a"),
        ],
    ),
    Case(
        "analyze-read-only-out",
        lambda t: ["analyze", "--data", str(_gz(t / "n.jsonl.gz", b"{}\n")), "-o", READ_ONLY],
    ),
    Case(
        "analyze-out-is-a-file",
        lambda t: [
            "analyze",
            "--data",
            str(_gz(t / "n.jsonl.gz", b"{}\n")),
            "-o",
            str(_write(t / "file", "mine") / "sub"),
        ],
        keep=("file",),
    ),
    Case(
        "analyze-foreign-report",
        lambda t: [
            "analyze",
            "--data",
            str(_gz(t / "n.jsonl.gz", b"{}\n")),
            "-o",
            str(_write(t / "a" / "report.md", "my notes").parent),
        ],
        keep=("a/report.md",),
    ),
    # --- generate prompts --------------------------------------------------------------------------
    Case("prompts-n-zero", lambda t: ["generate", "prompts", "-n", "0", "-o", str(t / "g")]),
    Case("prompts-n-negative", lambda t: ["generate", "prompts", "-n", "-5", "-o", str(t / "g")]),
    Case(
        "prompts-gaps-missing",
        lambda t: ["generate", "prompts", "-n", "3", "--gaps", str(t / "none.json"), "-o", str(t / "g")],
    ),
    Case(
        "prompts-gaps-corrupt",
        lambda t: [
            "generate",
            "prompts",
            "-n",
            "3",
            "--gaps",
            str(_write(t / "gaps.json", "{oops")),
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "prompts-gaps-binary",
        lambda t: [
            "generate",
            "prompts",
            "-n",
            "3",
            "--gaps",
            str(_write(t / "gaps.json", BINARY)),
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "prompts-gaps-wrong-shape",
        lambda t: [
            "generate",
            "prompts",
            "-n",
            "3",
            "--gaps",
            str(_write(t / "gaps.json", "[1, 2]")),
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "prompts-unknown-subtopic",
        lambda t: ["generate", "prompts", "-n", "3", "--subtopics", "yoga_on_mars", "-o", str(t / "g")],
    ),
    Case(
        "prompts-bad-backend",
        lambda t: ["generate", "prompts", "-n", "3", "--backend", "gpt9", "-o", str(t / "g")],
    ),
    Case(
        "prompts-anthropic-no-key",
        lambda t: ["generate", "prompts", "-n", "3", "--backend", "anthropic", "-o", str(t / "g")],
        env={"ANTHROPIC_API_KEY": ""},
    ),
    Case(
        "prompts-negative-cost",
        lambda t: ["generate", "prompts", "-n", "3", "--max-cost", "-1", "-o", str(t / "g")],
    ),
    Case("prompts-read-only-out", lambda t: ["generate", "prompts", "-n", "2", "-o", READ_ONLY]),
    Case(
        "prompts-foreign-file",
        lambda t: [
            "generate",
            "prompts",
            "-n",
            "2",
            "-o",
            str(_write(t / "g" / "prompts.jsonl", "my own lines\n").parent),
        ],
        keep=("g/prompts.jsonl",),
    ),
    # --- generate pairs ----------------------------------------------------------------------------
    Case(
        "pairs-prompts-missing",
        lambda t: ["generate", "pairs", "--prompts", str(t / "none"), "-o", str(t / "g")],
    ),
    Case(
        "pairs-prompts-empty",
        lambda t: ["generate", "pairs", "--prompts", str(_prompts_file(t, "")), "-o", str(t / "g")],
    ),
    Case(
        "pairs-prompts-binary",
        lambda t: ["generate", "pairs", "--prompts", str(_prompts_file(t, BINARY)), "-o", str(t / "g")],
    ),
    Case(
        "pairs-prompts-malformed",
        lambda t: [
            "generate",
            "pairs",
            "--prompts",
            str(_prompts_file(t, "{not json\n")),
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "pairs-prompts-wrong-schema",
        lambda t: ["generate", "pairs", "--prompts", str(_prompts_file(t, '{"a": 1}\n')), "-o", str(t / "g")],
    ),
    Case(
        "pairs-prompts-blank-prompt",
        lambda t: [
            "generate",
            "pairs",
            "--prompts",
            str(_prompts_file(t, json.dumps({**PROMPT_ROW, "prompt": "   "}) + "\n")),
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "pairs-candidates-7",
        lambda t: [
            "generate",
            "pairs",
            "--prompts",
            str(_prompts_file(t, json.dumps(PROMPT_ROW) + "\n")),
            "--candidates",
            "7",
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "pairs-bad-backend",
        lambda t: [
            "generate",
            "pairs",
            "--prompts",
            str(_prompts_file(t, json.dumps(PROMPT_ROW) + "\n")),
            "--backend",
            "x",
            "-o",
            str(t / "g"),
        ],
    ),
    Case(
        "pairs-read-only-out",
        lambda t: [
            "generate",
            "pairs",
            "--prompts",
            str(_prompts_file(t, json.dumps(PROMPT_ROW) + "\n")),
            "-o",
            READ_ONLY,
        ],
    ),
    Case(
        "pairs-foreign-file",
        lambda t: [
            "generate",
            "pairs",
            "--prompts",
            str(_prompts_file(t, json.dumps(PROMPT_ROW) + "\n")),
            "-o",
            str(_write(t / "o" / "pairs.jsonl", "mine\n").parent),
        ],
        keep=("o/pairs.jsonl", "gen/prompts.jsonl"),
    ),
    # --- push --------------------------------------------------------------------------------------
    Case("push-missing-dir", lambda t: ["push", str(t / "nope"), "-d", "x", "-w", _ws(t)], server=True),
    Case(
        "push-binary-file",
        lambda t: ["push", str(_write(t / "p" / "pairs.jsonl", BINARY)), "-d", "x", "-w", _ws(t)],
        server=True,
        keep=("p/pairs.jsonl",),
    ),
    Case(
        "push-malformed-line",
        lambda t: ["push", str(_write(t / "p" / "pairs.jsonl", "{nope\n")), "-d", "x", "-w", _ws(t)],
        server=True,
    ),
    Case(
        "push-empty-file",
        lambda t: ["push", str(_write(t / "p" / "pairs.jsonl", "")), "-d", "x", "-w", _ws(t)],
        server=True,
    ),
    Case(
        "push-blank-lines-only",
        lambda t: ["push", str(_write(t / "p" / "pairs.jsonl", "\n\n  \n")), "-d", "x", "-w", _ws(t)],
        server=True,
    ),
    Case(
        "push-wrong-schema",
        lambda t: ["push", str(_write(t / "p" / "pairs.jsonl", '{"pair_id": 1}\n')), "-d", "x", "-w", _ws(t)],
        server=True,
    ),
    Case(
        "push-duplicate-pair-id",
        lambda t: ["push", str(_pairs(t, edit=_dup)), "-d", "dup", "-w", _ws(t)],
        says="lines 1 and 2",
        server=True,
        keep=("pairs/pairs.jsonl",),
    ),
    Case(
        "push-empty-prompt",
        lambda t: ["push", str(_pairs(t, edit=_empty_prompt)), "-d", "emp", "-w", _ws(t)],
        says="empty",
        server=True,
    ),
    Case(
        "push-blank-response",
        lambda t: ["push", str(_pairs(t, edit=_blank_response)), "-d", "blank", "-w", _ws(t)],
        says="empty",
        server=True,
    ),
    Case(
        "push-annotators-1000",
        lambda t: ["push", str(_pairs(t)), "-d", "many", "-w", _ws(t), "--annotators-per-record", "1000"],
        exit=2,
        server=True,
    ),
    Case(
        "push-annotators-0",
        lambda t: ["push", str(_pairs(t)), "-d", "x", "--annotators-per-record", "0"],
        exit=2,
    ),
    Case("push-batch-0", lambda t: ["push", str(_pairs(t)), "-d", "x", "--batch-size", "0"], exit=2),
    Case(
        "push-bad-workspace-name",
        lambda t: ["push", str(_pairs(t)), "-d", "x", "-w", "bad name!"],
        server=True,
    ),
    Case(
        "push-bad-dataset-name",
        lambda t: ["push", str(_pairs(t)), "-d", "bad/name?", "-w", _ws(t)],
        server=True,
    ),
    Case(
        "push-dead-url",
        lambda t: ["push", str(_pairs(t)), "-d", "x", "-w", "w"],
        says="cannot reach Argilla",
        env=DEAD,
    ),
    Case(
        "push-wrong-key",
        lambda t: ["push", str(_pairs(t)), "-d", "x", "-w", _ws(t)],
        says="refused",
        env=BAD_KEY,
        server=True,
    ),
    Case(
        "push-url-without-key",
        lambda t: ["push", str(_pairs(t)), "-d", "x"],
        says="RLHF_ARGILLA_API_KEY",
        env={"RLHF_ARGILLA_API_URL": DEAD_URL, "RLHF_ARGILLA_API_KEY": ""},
    ),
    Case("push-no-dataset-option", lambda t: ["push", str(_pairs(t))], exit=2),
    # --- progress / annotators / simulate ----------------------------------------------------------
    Case(
        "progress-dead-url",
        lambda t: ["progress", "-d", "x", "-w", "w"],
        says="cannot reach Argilla",
        env=DEAD,
    ),
    Case(
        "progress-wrong-key",
        lambda t: ["progress", "-d", "x", "-w", _ws(t)],
        says="refused",
        env=BAD_KEY,
        server=True,
    ),
    Case(
        "progress-unknown-dataset",
        lambda t: ["progress", "-d", "nope", "-w", _ws(t)],
        says="push pairs first",
        server=True,
    ),
    Case(
        "annotators-list-dead-url",
        lambda t: ["annotators", "list", "-w", "w"],
        says="cannot reach Argilla",
        env=DEAD,
    ),
    Case(
        "annotators-list-wrong-key",
        lambda t: ["annotators", "list", "-w", _ws(t)],
        says="refused",
        env=BAD_KEY,
        server=True,
    ),
    Case(
        "annotators-add-missing-password-file",
        lambda t: ["annotators", "add", "bob", "--password-file", str(t / "none.txt"), "-w", _ws(t)],
        server=True,
    ),
    Case(
        "annotators-add-binary-password-file",
        lambda t: [
            "annotators",
            "add",
            "bob",
            "--password-file",
            str(_write(t / "pw.txt", BINARY)),
            "-w",
            _ws(t),
        ],
        server=True,
    ),
    Case(
        "simulate-dead-url",
        lambda t: ["simulate", "-d", "x", "-w", "w"],
        says="cannot reach Argilla",
        env=DEAD,
    ),
    Case("simulate-unknown-dataset", lambda t: ["simulate", "-d", "nope", "-w", _ws(t)], server=True),
    Case("simulate-too-many-annotators", lambda t: ["simulate", "-d", "x", "-n", "99"], exit=2),
    # --- pull --------------------------------------------------------------------------------------
    Case(
        "pull-dead-url",
        lambda t: ["pull", "-d", "x", "-w", "w", "-o", str(t / "o")],
        says="cannot reach Argilla",
        env=DEAD,
    ),
    Case(
        "pull-wrong-key",
        lambda t: ["pull", "-d", "x", "-w", _ws(t), "-o", str(t / "o")],
        says="refused",
        env=BAD_KEY,
        server=True,
    ),
    Case(
        "pull-unknown-dataset",
        lambda t: ["pull", "-d", "nope", "-w", _ws(t), "-o", str(t / "o")],
        server=True,
    ),
    Case(
        "pull-bad-method",
        lambda t: ["pull", "-d", "base", "-w", _ws(t), "-o", str(t / "o"), "-m", "vote"],
        exit=2,
        server=True,
    ),
    Case(
        "pull-negative-margin",
        lambda t: ["pull", "-d", "base", "-o", str(t / "o"), "--tie-margin", "-1"],
        exit=2,
    ),
    Case("pull-read-only-out", lambda t: ["pull", "-d", "base", "-w", _ws(t), "-o", READ_ONLY], server=True),
    Case(
        "pull-foreign-report",
        lambda t: [
            "pull",
            "-d",
            "base",
            "-w",
            _ws(t),
            "-o",
            str(_write(t / "o" / "report.md", "mine").parent),
        ],
        server=True,
        keep=("o/report.md",),
    ),
    # --- build -------------------------------------------------------------------------------------
    Case("build-missing-pull-dir", lambda t: ["build", str(t / "nope"), "-o", str(t / "b")]),
    Case(
        "build-corrupt-agreement",
        lambda t: ["build", str(_write(_pull_dir(t) / "agreement.json", "{oops").parent), "-o", str(t / "b")],
    ),
    Case(
        "build-binary-agreement",
        lambda t: ["build", str(_write(_pull_dir(t) / "agreement.json", BINARY).parent), "-o", str(t / "b")],
    ),
    Case(
        "build-binary-aggregated",
        lambda t: [
            "build",
            str(_write(_pull_dir(t) / "aggregated.parquet", BINARY).parent),
            "-o",
            str(t / "b"),
        ],
    ),
    Case(
        "build-null-response", lambda t: ["build", str(_pull_dir(t, edit=_null_response)), "-o", str(t / "b")]
    ),
    Case("build-read-only-out", lambda t: ["build", str(_pull_dir(t)), "-o", READ_ONLY]),
    Case("build-bad-ties", lambda t: ["build", str(_pull_dir(t)), "-o", str(t / "b"), "--ties", "maybe"]),
    Case("build-bad-split", lambda t: ["build", str(_pull_dir(t)), "-o", str(t / "b"), "--split", "80,20"]),
    Case(
        "build-foreign-out",
        lambda t: ["build", str(_pull_dir(t)), "-o", str(_write(t / "b" / "notes.txt", "mine").parent)],
        keep=("b/notes.txt",),
    ),
    # --- publish -----------------------------------------------------------------------------------
    Case(
        "publish-missing-built",
        lambda t: ["publish", str(t / "nope"), "--repo-id", "me/x", "--dry-run", str(t / "d")],
    ),
    Case(
        "publish-bad-repo-id",
        lambda t: ["publish", str(_built(t)), "--repo-id", "not a repo", "--dry-run", str(t / "d")],
    ),
    Case(
        "publish-read-only-dry-run",
        lambda t: ["publish", str(_built(t)), "--repo-id", "me/x", "--dry-run", READ_ONLY],
    ),
    Case(
        "publish-dead-hub",
        lambda t: ["publish", str(_built(t)), "--repo-id", "me/x"],
        env={"HF_ENDPOINT": DEAD_URL},
    ),
    # --- config / server ---------------------------------------------------------------------------
    Case("config-bad-port-env", lambda t: ["config", "show"], env={"RLHF_ARGILLA_STACK_PORT": "abc"}),
    Case(
        "config-corrupt-toml", lambda t: ["config", "show"] if _write(t / "rlhf-argilla.toml", "[[[") else []
    ),
    Case(
        "config-binary-toml", lambda t: ["config", "show"] if _write(t / "rlhf-argilla.toml", BINARY) else []
    ),
    Case("config-show-hides-secrets", lambda t: ["config", "show"], exit=0, env=BAD_KEY),
    Case(
        "server-up-bad-port",
        lambda t: ["server", "up", "--port", "99999"],
        env={"RLHF_ARGILLA_DATA_DIR": "/tmp/harden-never"},
    ),
    Case("unknown-command", lambda t: ["frobnicate"], exit=2),
]


@pytest.fixture(scope="module")
def server_env(argilla_target, module_workspace, tmp_path_factory):
    """The real server's URL + key, a workspace, and a small dataset `base` in it (for pull cases)."""
    env = {"RLHF_ARGILLA_API_URL": argilla_target.url, "RLHF_ARGILLA_API_KEY": argilla_target.api_key}
    folder = write_pairs(tmp_path_factory.mktemp("base"), make_pairs(3, seed=12))
    pushed = CliRunner().invoke(
        app, ["push", str(folder), "-d", "base", "-w", module_workspace.name], env=env
    )
    assert pushed.exit_code == 0, pushed.output
    return {**env, "HARDEN_WORKSPACE": module_workspace.name}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, request, tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("RLHF_ARGILLA_", "ARGILLA_", "HF_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RLHF_ARGILLA_LOG_DIR", str(tmp_path / "logs"))
    env = dict(SECRETS)
    if case.server:
        server = request.getfixturevalue("server_env")
        env.update(server)
    env.update(case.env)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = case.args(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in case.keep}

    result = CliRunner().invoke(app, argv, env={k: v for k, v in env.items() if v} | {"COLUMNS": "200"})
    output = result.output

    assert result.exit_code == case.exit, output
    assert "Traceback" not in output and 'File "' not in output and "locals" not in output, output
    if case.exit == 1:
        messages = [line for line in output.splitlines() if line.startswith(("Error:", "Interrupted:"))]
        assert len(messages) == 1, output
        assert case.says in messages[0], output
        assert "pydantic" not in messages[0] and "errors.pydantic.dev" not in messages[0], output
    for name, data in before.items():
        assert (tmp_path / name).read_bytes() == data, f"{name} was changed"
    written = b"".join(_snapshot(tmp_path).values())
    for secret in [*SECRETS.values(), PLANTED_ARGILLA_KEY]:
        assert secret not in output, f"secret in output: {output}"
        assert secret.encode() not in written, "secret in a written file"
