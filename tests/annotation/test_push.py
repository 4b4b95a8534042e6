"""Push against the real local Argilla server: schema, records, idempotency, updates, refusals."""

from __future__ import annotations

import json

import pytest

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.push import ensure_dataset, push_file, push_pairs
from rlhf_argilla.annotation.records import pair_to_record, undo_display
from rlhf_argilla.annotation.vectors import with_vectors
from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.errors import ArgillaError, InputError
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = pytest.mark.integration


def stored_records(target, dataset) -> list[dict]:
    """Every record of the dataset as the REST API returns it (with suggestions and updated_at)."""
    with ArgillaRest(target) as rest:
        return [
            item
            for items, _ in rest.record_pages(str(dataset.id), include=("suggestions",))
            for item in items
        ]


@pytest.fixture
def new_workspace(argilla_client, unique_name):
    """A workspace name that does not exist yet; whatever push creates there is deleted after."""
    yield unique_name
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        created = argilla_client.workspaces(name=unique_name)
    if created is not None:
        for dataset in list(created.datasets):
            dataset.delete()
        created.delete()


def test_push_creates_workspace_dataset_and_records_as_designed(
    argilla_client, argilla_target, new_workspace, tmp_path
):
    pairs = make_pairs(24, seed=1)
    pairs[3] = make_pairs(1, seed=1, start=3, judged=False)[0]
    report = push_file(
        argilla_client,
        write_pairs(tmp_path, pairs),
        dataset="prefs",
        workspace=new_workspace,
        annotators_per_record=3,
    )
    assert (report.created, report.updated, report.unchanged) == (24, 0, 0)

    dataset = argilla_client.datasets(name="prefs", workspace=new_workspace)
    settings = dataset.settings
    assert [f.name for f in settings.fields] == list(names.FIELDS)
    assert all(f.use_markdown for f in settings.fields)
    assert [q.name for q in settings.questions] == list(names.QUESTION_NAMES)
    overall = settings.questions[names.OVERALL]
    assert type(overall).__name__ == "RankingQuestion" and overall.values == [names.FIELD_A, names.FIELD_B]
    safety_b = settings.questions["safety_b"]
    assert safety_b.values == [1, 2, 3, 4, 5] and "**1**" in safety_b.description and safety_b.required
    assert settings.questions[names.RATIONALE].required is False
    assert {m.name for m in settings.metadata} == set(names.METADATA_NAMES)
    assert settings.distribution.min_submitted == 3
    assert "### Safety" in settings.guidelines and "tie" in settings.guidelines

    stored = {item["external_id"]: item for item in stored_records(argilla_target, dataset)}
    assert set(stored) == {pair.pair_id for pair in pairs}
    question_names = {str(q.id): q.name for q in settings.questions}
    for pair in pairs:
        item = stored[pair.pair_id]
        blind = bool(item["metadata"][names.META_BLIND])
        expected = with_vectors([pair_to_record(pair, blind=blind)])[0]  # as push_pairs builds it
        assert item["fields"] == expected["fields"]
        assert item["metadata"] == expected["metadata"]
        suggestions = {question_names[s["question_id"]]: s for s in item["suggestions"]}
        if pair.response_1.judge is None or blind:
            assert suggestions == {}
            continue
        shown_a = item["metadata"][names.META_A_IS]
        judges = {1: pair.response_1.judge, 2: pair.response_2.judge}
        for criterion_id in CRITERION_IDS:
            for side in names.SIDES:
                suggestion = suggestions[names.rating_question(criterion_id, side)]
                assert suggestion["value"] == getattr(judges[undo_display(side, shown_a)], criterion_id)
                assert suggestion["agent"] == judges[1].judge_model and suggestion["type"] == "model"


@pytest.fixture
def counted_client(argilla_settings):
    """A separate real SDK client that counts the record-writing requests it sends."""
    from rlhf_argilla.gateway import connect

    client = connect(argilla_settings)
    client.writes = []

    def count(request):
        if (
            request.method in {"POST", "PUT", "PATCH", "DELETE"}
            and "/records" in request.url.path
            and not request.url.path.endswith("/search")
        ):
            client.writes.append(f"{request.method} {request.url.path}")

    client.http_client.event_hooks["request"].append(count)
    return client


def test_repush_skips_unchanged_and_updates_only_changed_pairs(counted_client, argilla_target, new_workspace):
    pairs = make_pairs(30, seed=2)
    dataset = ensure_dataset(counted_client, "prefs", new_workspace)
    assert push_pairs(dataset, pairs, batch_size=8).created == 30
    assert len(counted_client.writes) == 4  # ceil(30 / 8) bulk upserts
    before = {item["external_id"]: item for item in stored_records(argilla_target, dataset)}

    again = push_pairs(dataset, pairs, batch_size=8)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)
    assert len(counted_client.writes) == 4, "an unchanged re-push must not write any record"
    after = {item["external_id"]: item for item in stored_records(argilla_target, dataset)}
    assert len(after) == 30
    assert {k: v["updated_at"] for k, v in after.items()} == {k: v["updated_at"] for k, v in before.items()}

    changed = pairs[4].model_copy(
        update={"difficulty": "advanced" if pairs[4].difficulty != "advanced" else "basic"}
    )
    third = push_pairs(dataset, [*pairs[:4], changed, *pairs[5:]], batch_size=8)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 29)
    assert len(counted_client.writes) == 5
    final = {item["external_id"]: item for item in stored_records(argilla_target, dataset)}
    assert len(final) == 30
    assert final[changed.pair_id]["metadata"]["difficulty"] == changed.difficulty
    assert final[changed.pair_id]["updated_at"] != before[changed.pair_id]["updated_at"]
    untouched = {k for k in final if final[k]["updated_at"] == before[k]["updated_at"]}
    assert untouched == set(final) - {changed.pair_id}


def test_schema_mismatch_fails_before_any_write(argilla_client, argilla_target, workspace, tmp_path):
    import argilla as rg

    other = rg.Settings(
        fields=[rg.TextField(name="prompt", client=argilla_client)],
        questions=[rg.LabelQuestion(name="overall", labels=["a", "b"], client=argilla_client)],
    )
    existing = rg.Dataset(name="prefs", workspace=workspace, settings=other, client=argilla_client).create()
    with pytest.raises(ArgillaError) as caught:
        push_file(
            argilla_client, write_pairs(tmp_path, make_pairs(5)), dataset="prefs", workspace=workspace.name
        )
    message = str(caught.value)
    assert "different schema" in message and "overall" in message and "\n" not in message
    assert stored_records(argilla_target, existing) == []
    assert [
        q.name for q in argilla_client.datasets(name="prefs", workspace=workspace.name).settings.questions
    ] == ["overall"]


def test_invalid_pairs_file_fails_before_the_dataset_is_created(argilla_client, new_workspace, tmp_path):
    directory = write_pairs(tmp_path, make_pairs(3))
    lines = (directory / "pairs.jsonl").read_text().splitlines()
    broken = json.loads(lines[2]) | {"subtopic": "underwater_basket_weaving"}
    (directory / "pairs.jsonl").write_text("\n".join([*lines[:2], json.dumps(broken)]) + "\n")
    with pytest.raises(InputError, match=r"pairs.jsonl:3: unknown subtopic"):
        push_file(argilla_client, directory, dataset="prefs", workspace=new_workspace)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert argilla_client.workspaces(name=new_workspace) is None


def test_annotators_per_record_updates_the_distribution_only_when_given(argilla_client, new_workspace):
    ensure_dataset(argilla_client, "prefs", new_workspace, annotators_per_record=3)
    assert ensure_dataset(argilla_client, "prefs", new_workspace).settings.distribution.min_submitted == 3
    updated = ensure_dataset(argilla_client, "prefs", new_workspace, annotators_per_record=1)
    assert (
        argilla_client.datasets(name="prefs", workspace=new_workspace).settings.distribution.min_submitted
        == 1
    )
    assert updated.name == "prefs"


def test_duplicate_pairs_in_one_push_make_one_record(argilla_client, argilla_target, new_workspace):
    first, second = make_pairs(2, seed=13)
    dataset = ensure_dataset(argilla_client, "prefs", new_workspace)
    report = push_pairs(dataset, [first, first, second, first], batch_size=2)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 1)  # in-batch duplicate dropped
    assert sorted(item["external_id"] for item in stored_records(argilla_target, dataset)) == sorted(
        [first.pair_id, second.pair_id]
    )
