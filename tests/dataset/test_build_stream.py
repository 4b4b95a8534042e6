"""The streamed build writes exactly the rows of the in-memory ``make_configs`` into every split file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from rlhf_argilla.dataset import build_stream
from rlhf_argilla.dataset.build import build, make_configs
from rlhf_argilla.dataset.formats import features
from rlhf_argilla.dataset.pulled import read_pulled
from tests.dataset.factory import make_aggregated, write_pull_dir


def _in_memory(config: str, items: list[dict], path: Path) -> None:
    """The writer `build` used before it streamed: one ``datasets.Dataset`` per split."""
    from datasets import Dataset

    schema = features(config)
    Dataset.from_dict(
        {name: [item.get(name) for item in items] for name in schema}, features=schema
    ).to_parquet(str(path))


def _row_groups(path: Path) -> list:
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(index) for index in range(meta.num_row_groups)]


@pytest.mark.parametrize("order", ["sorted", "shuffled"])
@pytest.mark.parametrize("ties", ["exclude", "keep"])
def test_streamed_splits_equal_the_in_memory_configs(tmp_path, monkeypatch, order, ties):
    aggregated = make_aggregated(90, pairs_per_prompt=(1, 2, 3), tie_every=5, seed=3)
    aggregated["control"] = [1 if i % 17 == 0 else 0 for i in range(len(aggregated))]
    aggregated["control_expected"] = [1 if i % 17 == 0 else None for i in range(len(aggregated))]
    aggregated["control_source"] = ["gold" if i % 17 == 0 else None for i in range(len(aggregated))]
    aggregated = aggregated.sort_values("pair_id", ignore_index=True)
    if order == "shuffled":  # a hand-made file: build sorts it itself
        aggregated = aggregated.sample(frac=1.0, random_state=4).reset_index(drop=True)
    pull = write_pull_dir(tmp_path / "pull", aggregated)
    monkeypatch.setattr(build_stream, "BATCH_ROWS", 7)  # many batches, splits flushed often
    monkeypatch.setattr(build_stream, "ROW_GROUP_ROWS", 10)  # row groups across batches, a rest at the end

    result = build(pull, tmp_path / "out", ties=ties, seed=9)
    configs, warnings = make_configs(read_pulled(pull)[0], ties=ties, seed=9)

    assert result.warnings == warnings
    assert {
        name: {split: len(rows) for split, rows in splits.items()} for name, splits in configs.items()
    } == (result.counts)
    assert (ties == "keep") == ("ties" in configs)
    for name, splits in configs.items():
        for split, rows in splits.items():
            expected = tmp_path / f"{name}-{split}.parquet"
            _in_memory(name, rows, expected)
            got = tmp_path / "out" / name / f"{split}.parquet"
            pd.testing.assert_frame_equal(pd.read_parquet(got), pd.read_parquet(expected))
            sizes = [group.num_rows for group in _row_groups(got)]
            assert sizes[:-1] == [10] * (len(sizes) - 1) and 0 < sizes[-1] <= 10
            hf = json.loads(pq.read_schema(got).metadata[b"huggingface"])
            assert hf == json.loads(pq.read_schema(expected).metadata[b"huggingface"])
    card = (tmp_path / "out" / "README.md").read_text()
    assert f"{sum(result.counts['default'].values())}" in card
