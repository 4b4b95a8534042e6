"""Integration: the local stack answers Argilla's vector (k-nearest-neighbour) queries.

osmem has no ``knn`` query; the launcher's engine searches exactly. The expected order is computed
here with numpy's cosine similarity, independently of the server.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.integration

DIM = 8
N = 60


@pytest.fixture(scope="module")
def vector_dataset(argilla_client, module_workspace):
    """60 records with random vectors and an ``odd``/``even`` metadata term; yields (dataset, vectors)."""
    import argilla as rg

    settings = rg.Settings(
        fields=[rg.TextField(name="text")],
        questions=[rg.LabelQuestion(name="label", labels=["x", "y"])],
        metadata=[rg.TermsMetadataProperty(name="parity")],
        vectors=[rg.VectorField(name="embedding", dimensions=DIM)],
    )
    dataset = rg.Dataset(name="vectors", workspace=module_workspace, settings=settings, client=argilla_client)
    dataset.create()
    vectors = np.random.default_rng(7).normal(size=(N, DIM))
    dataset.records.log(
        [
            rg.Record(
                id=f"r{i}",
                fields={"text": f"record {i}"},
                metadata={"parity": "odd" if i % 2 else "even"},
                vectors={"embedding": vectors[i].tolist()},
            )
            for i in range(N)
        ]
    )
    return dataset, vectors


def _expected(vectors: np.ndarray, query: np.ndarray, keep=lambda i: True) -> list[str]:
    cosine = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))
    return [f"r{i}" for i in np.argsort(-cosine) if keep(i)]


def _similar(dataset, query, limit: int, **extra) -> list[tuple[str, float]]:
    import argilla as rg

    found = dataset.records(
        query=rg.Query(similar=rg.Similar(name="embedding", value=query), **extra), limit=limit
    )
    return [(record.id, score) for record, score in found]


def test_nearest_neighbours_come_most_similar_first(vector_dataset):
    dataset, vectors = vector_dataset
    query = vectors[3] + np.random.default_rng(1).normal(scale=0.05, size=DIM)  # a near-duplicate of r3
    found = _similar(dataset, query.tolist(), limit=10)
    assert [record_id for record_id, _ in found] == _expected(vectors, query)[:10]
    assert found[0][0] == "r3"
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True) and 0.98 < scores[0] <= 1.0


def test_a_metadata_filter_applies_before_the_k_are_chosen(vector_dataset):
    import argilla as rg

    dataset, vectors = vector_dataset
    query = vectors[3]  # r3 is odd: with parity == even it must not come back, yet 10 results do
    found = _similar(dataset, query.tolist(), limit=10, filter=rg.Filter(("metadata.parity", "==", "even")))
    assert [record_id for record_id, _ in found] == _expected(vectors, query, keep=lambda i: i % 2 == 0)[:10]


def test_least_similar_and_search_by_record(vector_dataset):
    import argilla as rg

    dataset, vectors = vector_dataset
    found = dataset.records(
        query=rg.Query(similar=rg.Similar(name="embedding", value=vectors[5].tolist(), most_similar=False)),
        limit=3,
    )
    assert [record.id for record, _ in found] == _expected(vectors, vectors[5])[::-1][:3]
    # by record (what the UI's "find similar" sends): the record itself is left out
    record = next(iter(dataset.records(query=rg.Query(filter=rg.Filter(("id", "==", "r5"))))))
    by_record = dataset.records(query=rg.Query(similar=rg.Similar(name="embedding", value=record)), limit=5)
    assert [found.id for found, _ in by_record] == _expected(vectors, vectors[5])[1:6]
