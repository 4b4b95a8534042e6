"""build's batched reads of annotations.parquet give what the whole-file reads gave."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from rlhf_argilla.annotation.pull_read import CODED_COLUMNS
from rlhf_argilla.dataset import annotations_read
from rlhf_argilla.dataset.annotations_read import read_simulated, read_where
from rlhf_argilla.schema import ANNOTATION_COLUMNS

COLUMNS = ["pair_id", "annotator", "status", "question", "response", "value"]
WHERE = {"status": "submitted", "question": "overall"}


def whole_read(path, columns, coded, where):
    """The reference: the whole file read at once with pyarrow's own filter, coded columns as
    dictionaries with sorted categories (what build did before it read in batches)."""
    import pyarrow.parquet as pq

    names = [name for name in coded if name in columns]
    filters = [(name, "=", value) for name, value in where.items()]
    frame = pq.read_table(path, columns=columns, read_dictionary=names, filters=filters).to_pandas()
    for name in names:
        frame[name] = frame[name].cat.reorder_categories(sorted(frame[name].cat.categories))
    return frame


@pytest.fixture
def annotations(tmp_path, monkeypatch):
    """A tidy table of mixed statuses, questions and missing values, read 7 rows at a time."""
    rng = random.Random(3)
    rows = [
        (
            f"p{rng.randrange(40):03d}",
            rng.choice(["ann-b", "ann-a", "ann-c", None]),
            rng.choice(["submitted", "draft", "discarded"]),
            rng.choice(["overall", "accuracy", "safety"]),
            rng.choice([1, 2, None]),
            rng.choice(["1", "2", "3", None]),
            "2026-01-01T00:00:00",
            rng.choice([True, False, None]),
        )
        for _ in range(500)
    ]
    frame = pd.DataFrame(rows, columns=list(ANNOTATION_COLUMNS))
    frame.loc[frame["annotator"] == "ann-c", "simulated"] = False  # one annotator never simulated
    first_a = frame.index[frame["annotator"] == "ann-a"][0]
    frame.loc[frame["annotator"] == "ann-a", "simulated"] = False
    frame.loc[first_a, "simulated"] = True  # simulated in its first batch only
    path = tmp_path / "annotations.parquet"
    frame.to_parquet(path, index=False)
    monkeypatch.setattr(annotations_read, "BATCH_ROWS", 7)
    return path, frame


def test_read_where_keeps_the_rows_and_values_of_the_whole_file_read(annotations):
    path, _ = annotations
    got, whole = (
        read_where(path, COLUMNS, CODED_COLUMNS, WHERE),
        whole_read(path, COLUMNS, CODED_COLUMNS, WHERE),
    )
    assert 0 < len(got) < 500
    # categories: only the values kept (the whole read keeps every value of the file's dictionary)
    pd.testing.assert_frame_equal(got, whole, check_categorical=False)
    for name in ("pair_id", "annotator"):
        assert list(got[name].cat.categories) == sorted(got[name].dropna().unique())


def test_read_where_without_a_match_is_empty_with_the_columns(annotations):
    path, _ = annotations
    got = read_where(path, COLUMNS, CODED_COLUMNS, {"status": "nothing"})
    assert got.empty and list(got.columns) == COLUMNS


def test_read_simulated_is_the_per_annotator_any(annotations):
    path, frame = annotations
    expected = {str(name): bool(flags.any()) for name, flags in frame.groupby("annotator")["simulated"]}
    assert read_simulated(path) == expected
    assert expected["ann-a"] is True and expected["ann-c"] is False
