"""The compact, chunked read of a pull gives the tables and figures of the plain in-memory one."""

from __future__ import annotations

import pandas as pd
import pytest

from rlhf_argilla.annotation import pull_read, text_spool
from rlhf_argilla.annotation.aggregate import aggregate
from rlhf_argilla.annotation.agreement import agreement_summary
from rlhf_argilla.annotation.judgements import Judgements
from rlhf_argilla.annotation.pull import annotations_frame, record_row, response_rows
from rlhf_argilla.annotation.reliability_data import control_answers
from rlhf_argilla.annotation.reliability_flags import Thresholds, reliability_summary
from rlhf_argilla.annotation.simulate_plan import SimulationConfig
from rlhf_argilla.annotation.suggested import suggestion_rows, suggestions_frame
from rlhf_argilla.annotation.text_spool import TextSpool, write_with_texts
from rlhf_argilla.annotation.tidy_codes import as_plain, shared_objects
from tests.annotation.api_records import api_records

USERS = {"u1": "sim-annotator-1", "u2": "sim-annotator-2", "u3": "alice"}
NAMES = {name: name for name in ("overall", *(f"{c}_{s}" for c in ("accuracy", "safety") for s in "ab"))}
N, PAGE = 240, 37


@pytest.fixture(scope="module")
def api():
    config = SimulationConfig(annotators=3, seed=4, accept_rate=0.2)
    return list(api_records(N, config, control_every=12))


def _pages(records):
    return [(records[i : i + PAGE], len(records)) for i in range(0, len(records), PAGE)]


def _plain(records):
    annotations = annotations_frame([row for record in records for row in response_rows(record, USERS)])
    table = pd.DataFrame([record_row(record) for record in records])
    suggestions = suggestions_frame(
        [row for record in records for row in suggestion_rows(record, NAMES, record["metadata"]["a_is"])]
    )
    return annotations, table, suggestions


@pytest.fixture(scope="module")
def compact(api, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spool")
    spool = TextSpool(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pull_read, "CHUNK_ROWS", 50)  # chunks end inside pages
        tables = pull_read.tidy_tables(_pages(api), USERS, question_names=NAMES, spool=spool)
    spool.close()
    return (*tables, spool)


def test_the_compact_tables_hold_the_plain_values(api, compact):
    annotations, records, suggestions, _ = compact
    plain_annotations, plain_records, plain_suggestions = _plain(api)

    assert isinstance(annotations["pair_id"].dtype, pd.CategoricalDtype)
    assert annotations["pair_id"].cat.codes.dtype.itemsize <= 4  # codes, not strings
    pd.testing.assert_frame_equal(as_plain(annotations), plain_annotations)
    pd.testing.assert_frame_equal(as_plain(suggestions), plain_suggestions)
    assert records["prompt"].isna().all()  # the texts went to the spool
    kept = [c for c in plain_records.columns if c not in ("prompt", "response_1", "response_2")]
    assert list(records.columns) == list(plain_records.columns)
    for column in kept:  # metadata coded as categoricals: the same values, missing ones included
        assert shared_objects(records[column]).tolist() == shared_objects(plain_records[column]).tolist()
    assert isinstance(records["subtopic"].dtype, pd.CategoricalDtype)
    statuses = set(plain_annotations["status"])
    assert statuses == {"submitted", "draft", "discarded"}  # every status is exercised


def test_agreement_and_reliability_equal_the_in_memory_ones(api, compact):
    annotations, records, suggestions, _ = compact
    plain_annotations, plain_records, plain_suggestions = _plain(api)
    controls = control_answers(records)
    assert controls == control_answers(plain_records) and len(controls) == N // 12

    summary = agreement_summary(annotations[~annotations["pair_id"].isin(list(controls))])
    expected = agreement_summary(plain_annotations[~plain_annotations["pair_id"].isin(list(controls))])
    assert summary == expected
    assert summary["alpha"]["overall"] is not None and summary["counts"]["draft"] > 0
    rel = reliability_summary(annotations, records, controls, suggestions, Thresholds())
    assert rel == reliability_summary(
        plain_annotations, plain_records, controls, plain_suggestions, Thresholds()
    )
    assert any(row["suggestion_acceptance"] for row in rel["per_annotator"])


@pytest.mark.parametrize("method", ["majority", "mean", "dawid-skene"])
def test_aggregated_file_with_spooled_texts_equals_the_in_memory_table(
    api, compact, tmp_path, method, monkeypatch
):
    annotations, records, _, spool = compact
    plain_annotations, plain_records, _ = _plain(api)
    monkeypatch.setattr(text_spool, "GROUP_ROWS", 7)  # several row groups per bucket

    write_with_texts(aggregate(annotations, records, method=method), spool, tmp_path / "a.parquet")
    expected = aggregate(plain_annotations, plain_records, method=method)
    expected.to_parquet(tmp_path / "b.parquet", index=False)

    got = pd.read_parquet(tmp_path / "a.parquet")
    pd.testing.assert_frame_equal(got, pd.read_parquet(tmp_path / "b.parquet"))
    assert got["response_1"].str.startswith("Answer one").all() and len(got) > 0.9 * N


@pytest.fixture(scope="module")
def judged(api, tmp_path_factory):
    folder = tmp_path_factory.mktemp("judged")
    spool = TextSpool(tmp_path_factory.mktemp("judged-spool"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pull_read, "CHUNK_ROWS", 50)  # many chunks, each of whole records
        tables = pull_read.judged_tables(
            _pages(api), USERS, folder / "annotations.parquet", question_names=NAMES, spool=spool
        )
    spool.close()
    return (*tables, folder / "annotations.parquet")


def test_judged_read_writes_the_plain_table_and_holds_its_judgements(api, compact, judged):
    views, records, suggestions, tidy_file = judged
    plain_annotations = _plain(api)[0]
    expected = Judgements.of(compact[0])  # the views of the whole coded table

    pd.testing.assert_frame_equal(pd.read_parquet(tidy_file), plain_annotations)
    for name in ("statuses", "prefs", "scores"):
        got, want = getattr(views, name), getattr(expected, name)
        pd.testing.assert_frame_equal(got, want)  # same categories: codes and dtypes equal too
        assert len(got) > N
    pd.testing.assert_frame_equal(records, compact[1])
    pd.testing.assert_frame_equal(suggestions, compact[2])
    assert agreement_summary(views) == agreement_summary(plain_annotations)


def test_review_decisions_on_the_compact_table_equal_the_in_memory_ones(api, compact):
    from rlhf_argilla.annotation.review_decisions import decisions

    got, expected = decisions(compact[0]), decisions(_plain(api)[0])  # latest submitted answer per pair

    pd.testing.assert_frame_equal(as_plain(got), expected, check_dtype=False)
    assert len(got) > 0.9 * N


@pytest.mark.parametrize("annotated", [0, 1])
def test_a_pull_before_anyone_answered_writes_empty_tables(tmp_path, annotated):
    from rlhf_argilla.annotation.pull_write import write_pull
    from rlhf_argilla.schema import aggregated_columns

    record = {"id": "u1", "external_id": "p1", "metadata": {"a_is": 1}, "responses": []}
    record["fields"] = {"prompt": "Q", "response_a": "a", "response_b": "b"}
    pages = [([record] * annotated, annotated)] if annotated else []
    spool, tidy_file = TextSpool(tmp_path / "spool"), tmp_path / "annotations.parquet"
    (tmp_path / "spool").mkdir()
    tables = pull_read.judged_tables(pages, USERS, tidy_file, question_names=NAMES, spool=spool)
    spool.close()

    summary, files, records = write_pull(
        tmp_path / "out", tables, tidy_file, spool, None, Thresholds(), dataset_name="d"
    )

    assert records == annotated and summary.counts == {"submitted": 0, "draft": 0, "discarded": 0}
    assert pd.read_parquet(files[0]).empty
    assert list(pd.read_parquet(files[1]).columns) == list(aggregated_columns())
