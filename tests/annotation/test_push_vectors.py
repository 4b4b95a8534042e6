"""Push carries a prompt vector per record; the SDK's similarity search finds planted near-duplicates.

Against the real local stack (its engine answers kNN queries, see tests/server/test_vector_search.py).
The expected order is recomputed here with numpy from the vectors the server returns.
"""

from __future__ import annotations

import numpy as np
import pytest

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.push import ensure_dataset, push_pairs
from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.annotation.vectors import embed_prompts
from rlhf_argilla.schema import PairRow
from tests.annotation.pairs_factory import make_pairs

pytestmark = pytest.mark.integration


def _near_duplicate(pair: PairRow, prompt: str, subtopic: str) -> PairRow:
    texts = (prompt, pair.response_1.text, pair.response_2.text)
    return pair.model_copy(
        update={"prompt": prompt, "pair_id": PairRow.make_id(*texts), "subtopic": subtopic}
    )


def test_embed_prompts_ranks_an_edited_copy_above_template_siblings():
    pairs = make_pairs(40, seed=3)
    original = pairs[11].prompt
    edited = original.replace("how should I", "how do I").replace("approach", "aproach")  # edit + typo
    vectors = embed_prompts([pair.prompt for pair in pairs] + [edited])
    similarity = vectors[:-1] @ vectors[-1]
    assert int(np.argmax(similarity)) == 11
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(embed_prompts([original])[0], vectors[11]), "a vector depends on its prompt only"


@pytest.fixture(scope="module")
def pushed(argilla_client, module_workspace):
    """40 pairs + a near-duplicate of pair 11 in another subtopic; yields (dataset, pairs, duplicate)."""
    pairs = make_pairs(40, seed=5)
    source = pairs[11]
    other = next(pair.subtopic for pair in pairs if pair.subtopic != source.subtopic)
    duplicate = _near_duplicate(source, source.prompt.replace("how should I", "how do I") + " Thanks!", other)
    dataset = ensure_dataset(argilla_client, "vectors", module_workspace.name)
    assert push_pairs(dataset, [*pairs, duplicate], batch_size=16).created == 41
    return dataset, pairs, duplicate


def _stored_vectors(dataset) -> dict[str, np.ndarray]:
    return {
        record.id: np.asarray(record.vectors[names.VECTOR_PROMPT])
        for record in dataset.records(with_vectors=True, with_suggestions=False, with_responses=False)
    }


def test_similar_query_returns_the_planted_near_duplicate_first_in_cosine_order(pushed):
    import argilla as rg

    dataset, pairs, duplicate = pushed
    stored = _stored_vectors(dataset)
    assert len(stored) == 41 and all(v.shape == (names.VECTOR_DIMENSIONS,) for v in stored.values())
    query = stored[pairs[11].pair_id]
    found = dataset.records(
        query=rg.Query(similar=rg.Similar(name=names.VECTOR_PROMPT, value=query.tolist())), limit=6
    )
    ids = [record.id for record, _ in found]
    cosine = {
        key: float(vector @ query / np.linalg.norm(vector) / np.linalg.norm(query))
        for key, vector in stored.items()
    }
    assert ids == sorted(cosine, key=lambda key: -cosine[key])[:6]
    assert ids[:2] == [pairs[11].pair_id, duplicate.pair_id]  # itself (same vector), then the near-duplicate


def test_similar_by_record_respects_a_metadata_filter(pushed):
    import argilla as rg

    dataset, pairs, duplicate = pushed
    source = next(iter(dataset.records(query=rg.Query(filter=rg.Filter(("id", "==", pairs[11].pair_id))))))
    similar = rg.Similar(name=names.VECTOR_PROMPT, value=source)  # what the UI's "find similar" sends

    in_other = rg.Filter(("metadata.subtopic", "==", duplicate.subtopic))
    found = list(dataset.records(query=rg.Query(similar=similar, filter=in_other), limit=5))
    assert found[0][0].id == duplicate.pair_id
    assert {record.metadata["subtopic"] for record, _ in found} == {duplicate.subtopic}

    in_source = rg.Filter(("metadata.subtopic", "==", pairs[11].subtopic))
    found = list(dataset.records(query=rg.Query(similar=similar, filter=in_source), limit=40))
    assert found and duplicate.pair_id not in {record.id for record, _ in found}
    assert pairs[11].pair_id not in {record.id for record, _ in found}  # the record itself is left out


def test_a_dataset_pushed_before_vectors_gets_the_field_and_its_records_get_vectors(
    argilla_client, workspace
):
    import argilla as rg

    pairs = make_pairs(12, seed=6)
    old_settings = names.build_settings(argilla_client)
    old_settings.vectors = []
    old = rg.Dataset(name="old", workspace=workspace, settings=old_settings, client=argilla_client).create()
    records = [pair_to_record(pair) for pair in pairs]  # as an earlier version pushed them: no vectors
    old.records.log([rg.Record(id=r["id"], fields=r["fields"], metadata=r["metadata"]) for r in records])

    dataset = ensure_dataset(argilla_client, "old", workspace.name)
    assert [vector.name for vector in dataset.settings.vectors] == [names.VECTOR_PROMPT]
    report = push_pairs(dataset, pairs)
    assert (report.created, report.updated, report.unchanged) == (0, 12, 0)
    assert len(_stored_vectors(dataset)) == 12
    again = push_pairs(ensure_dataset(argilla_client, "old", workspace.name), pairs)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
