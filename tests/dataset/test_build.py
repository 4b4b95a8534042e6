"""build: pull folder -> parquet configs + card; leak-free, exact, deterministic, loadable with `datasets`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from rlhf_argilla.dataset.build import build
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.errors import BuildError
from tests.dataset.factory import make_aggregated, write_pull_dir

SPLITS = ("train", "validation", "test")
PAIRED = ("default", "conversational", "hh", "kto")


def _load(out: Path, config: str, cache: Path):
    from datasets import load_dataset

    files = {
        split: str(out / config / f"{split}.parquet")
        for split in SPLITS
        if (out / config / f"{split}.parquet").exists()
    }
    return load_dataset("parquet", data_files=files, cache_dir=str(cache))


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def aggregated():
    # 130 prompts with 1-3 pairs each, every 6th pair a tie
    return make_aggregated(130, pairs_per_prompt=(1, 2, 3), tie_every=6, seed=11)


@pytest.fixture(scope="module")
def built(tmp_path_factory, aggregated):
    root = tmp_path_factory.mktemp("build")
    pull = write_pull_dir(root / "pull", aggregated)
    build(pull, root / "out", ties="keep")
    return root / "out"


def _prompt_text(config: str, row: dict) -> str:
    if config == "conversational":
        return row["prompt"][0]["content"]
    if config == "hh":
        return row["chosen"].split("\n\nAssistant:")[0].removeprefix("\n\nHuman: ")
    return row["prompt"]


def test_no_prompt_in_two_splits_in_any_config(built, tmp_path):
    split_of: dict[str, str] = {}
    for config in (*PAIRED, "ties"):
        for split, dataset in _load(built, config, tmp_path).items():
            for row in dataset:
                prompt = _prompt_text(config, row)
                assert split_of.setdefault(prompt, split) == split, (
                    f"{prompt!r} in {split} and {split_of[prompt]}"
                )
    assert len(split_of) == 130


def test_ratios_within_one_example_of_80_10_10(tmp_path):
    table = make_aggregated(257, seed=2)  # one pair per prompt
    out = build(write_pull_dir(tmp_path / "pull", table), tmp_path / "out").out
    counts = {split: len(ds) for split, ds in _load(out, "default", tmp_path / "cache").items()}
    for split, share in zip(SPLITS, (0.8, 0.1, 0.1)):
        assert abs(counts[split] - share * 257) <= 1, counts


def test_stratified_by_subtopic(tmp_path):
    table = make_aggregated(600, seed=4)  # 15 subtopics x 40 prompts
    out = build(write_pull_dir(tmp_path / "pull", table), tmp_path / "out").out
    data = _load(out, "default", tmp_path / "cache")
    for subtopic, size in table["subtopic"].value_counts().items():
        for split, share in zip(SPLITS, (0.8, 0.1, 0.1)):
            got = sum(1 for value in data[split]["subtopic"] if value == subtopic)
            assert abs(got - share * size) <= 2, (subtopic, split, got)


def test_same_input_and_seed_give_byte_identical_files(tmp_path, aggregated, built):
    shuffled = aggregated.sample(frac=1.0, random_state=9)  # row order must not matter
    again = build(write_pull_dir(tmp_path / "pull", shuffled), tmp_path / "out", ties="keep").out
    assert _hashes(again) == _hashes(built)
    other_seed = build(tmp_path / "pull", tmp_path / "other", ties="keep", seed=7).out
    assert _hashes(other_seed)["default/train.parquet"] != _hashes(built)["default/train.parquet"]


def test_ties_excluded_by_default(tmp_path, aggregated):
    out = build(write_pull_dir(tmp_path / "pull", aggregated), tmp_path / "out").out
    tie_ids = set(aggregated.loc[aggregated["preferred"] == "tie", "pair_id"])
    assert tie_ids and not (out / "ties").exists()
    for config in PAIRED:
        for dataset in _load(out, config, tmp_path / "cache").values():
            assert not tie_ids & set(dataset["pair_id"])
    kept = set().union(*(set(ds["pair_id"]) for ds in _load(out, "default", tmp_path / "cache").values()))
    assert kept == set(aggregated["pair_id"]) - tie_ids


def test_keep_puts_exactly_the_ties_in_their_own_config(built, aggregated, tmp_path):
    tie_ids = set(aggregated.loc[aggregated["preferred"] == "tie", "pair_id"])
    ties = _load(built, "ties", tmp_path)
    assert set().union(*(set(ds["pair_id"]) for ds in ties.values())) == tie_ids


def test_each_config_has_the_columns_trl_expects(built, tmp_path):
    default, conv, hh, kto = (_load(built, name, tmp_path)["train"] for name in PAIRED)
    for dataset in (default, conv, hh, kto):
        assert {"pair_id", "subtopic", "margin", "n_annotators", "agreement"} <= set(dataset.column_names)
    for column in ("prompt", "chosen", "rejected"):  # standard preference: strings
        assert default.features[column].dtype == "string"
        assert conv.features[column].feature["role"].dtype == "string"  # conversational: message lists
    first = conv[0]
    assert [m["role"] for m in first["prompt"]] == ["user"] and [m["role"] for m in first["chosen"]] == [
        "assistant"
    ]
    assert {f"{c}_chosen" for c in CRITERION_IDS} <= set(default.column_names)
    assert "prompt" not in hh.column_names  # implicit prompt: shared "\n\nHuman: ...\n\nAssistant:" prefix
    for row in hh.select(range(5)):
        assert row["chosen"].startswith("\n\nHuman: ") and row["chosen"] != row["rejected"]
        head = row["chosen"][: row["chosen"].rindex("\n\nAssistant: ")]
        assert row["rejected"].startswith(head)
    assert kto.features["label"].dtype == "bool" and kto.features["completion"].dtype == "string"
    assert len(kto) == 2 * len(default) and sum(kto["label"]) == len(default)


def test_card_header_and_figures_match_the_files(built, tmp_path):
    text = (built / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---")[1])
    assert (
        header["license"] == "mit" and header["language"] == ["en"] and header["size_categories"] == ["n<1K"]
    )
    assert {c["config_name"] for c in header["configs"]} == {*PAIRED, "ties"}
    for entry in header["configs"]:
        for item in entry["data_files"]:
            assert (built / item["path"]).is_file()
    default = _load(built, "default", tmp_path)
    row = next(line for line in text.splitlines() if line.startswith("| default |"))
    assert row.split("|")[2:5] == [f" {len(default[s])} " for s in SPLITS]
    agreement = json.loads((built.parent / "pull" / "agreement.json").read_text())
    assert f"| safety | {agreement['alpha']['safety']:.3f} |" in text
    assert "12.5 %" in text and "Simulated annotators" in text and "Demo model" in text
    assert (built / "subtopics.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_pull_table_is_one_clear_error(tmp_path):
    with pytest.raises(
        BuildError, match="no aggregated.parquet in .*: pull the annotated dataset into that folder first"
    ):
        build(tmp_path, tmp_path / "out")


def test_foreign_files_in_out_are_never_deleted(tmp_path):
    pull = write_pull_dir(tmp_path / "pull", make_aggregated(30))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="choose an empty or new folder"):
        build(pull, tmp_path / "out")
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_rerun_replaces_a_previous_build(tmp_path):
    pull = write_pull_dir(tmp_path / "pull", make_aggregated(40, tie_every=4))
    build(pull, tmp_path / "out", ties="keep")
    assert (tmp_path / "out" / "ties").is_dir()
    build(pull, tmp_path / "out")
    assert not (tmp_path / "out" / "ties").exists()


def test_a_fresh_process_writes_the_same_bytes(built, tmp_path):
    """Across runs: another interpreter (other hash seed) builds the same pull folder byte for byte."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    code = "import sys; from rlhf_argilla.cli.app import main; sys.argv[0] = 'rlhf-argilla'; main()"
    args = ["build", str(built.parent / "pull"), "--out", str(tmp_path / "again"), "--ties", "keep"]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _hashes(tmp_path / "again") == _hashes(built)
