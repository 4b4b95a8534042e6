"""The prompt vector pushed with every record, for Argilla's similarity search ("find similar").

Made offline, with no downloaded model: character 3–5-grams of the normalised prompt, hashed into a
fixed sparse space (``HashingVectorizer``, sublinear counts), projected to :data:`DIMENSIONS`
dimensions by a fixed-seed random projection and L2-normalised (cosine = dot product). Nothing is
fitted on the data, so a prompt's vector depends on that prompt alone: vectors pushed at different
times live in one space, and an unchanged record keeps its content hash on a re-push.
``tests/benchmarks/bench_vectors.py`` measures this against TF-IDF + truncated SVD and the embedded
GGUF model's embeddings on planted near-duplicates of the demo's prompts.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.records import record_hash
from rlhf_argilla.schema import normalise_text

if TYPE_CHECKING:
    import argilla as rg
    import numpy as np

__all__ = ["DIMENSIONS", "embed_prompts", "with_vectors", "ensure_vector_field"]

VECTOR_PROMPT = names.VECTOR_PROMPT
DIMENSIONS = names.VECTOR_DIMENSIONS
_HASH_FEATURES = 2**18
_SEED = 15


@lru_cache(maxsize=1)
def _hasher() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        n_features=_HASH_FEATURES,
        alternate_sign=False,
        norm=None,
        preprocessor=normalise_text,
    )


@lru_cache(maxsize=1)
def _projection() -> Any:
    import numpy as np
    from sklearn.random_projection import SparseRandomProjection

    projection = SparseRandomProjection(n_components=DIMENSIONS, dense_output=True, random_state=_SEED)
    return projection.fit(np.zeros((1, _HASH_FEATURES)))  # fitting reads only the shape


def embed_prompts(prompts: Sequence[str]) -> np.ndarray:
    """One unit vector of :data:`DIMENSIONS` floats per prompt (zeros for an empty prompt).

    Example:
        >>> v = embed_prompts(["How many squats a week?", "How many squats per week?", "Best protein powder"])
        >>> v.shape, bool(v[0] @ v[1] > 0.7 > v[0] @ v[2])
        ((3, 256), True)
    """
    import numpy as np
    from sklearn.preprocessing import normalize

    counts = _hasher().transform(list(prompts))
    counts.data = 1.0 + np.log(counts.data)  # sublinear: a repeated n-gram counts less than a new one
    projected = _projection().transform(normalize(counts))
    return normalize(np.asarray(projected, dtype=np.float64))


def with_vectors(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` (from ``pair_to_record``) with ``vectors = {VECTOR_PROMPT: [...]}`` added in place.

    Their ``metadata["content_hash"]``, when present, is recomputed to cover the vector.

    Example:
        >>> out = with_vectors([{"fields": {"prompt": "Is running daily safe?"}}])
        >>> len(out[0]["vectors"][VECTOR_PROMPT])
        256
    """
    if not records:
        return records
    vectors = embed_prompts([record["fields"]["prompt"] for record in records])
    for record, vector in zip(records, vectors, strict=True):
        record["vectors"] = {VECTOR_PROMPT: [round(float(x), 6) for x in vector]}
        if names.META_CONTENT_HASH in record.get("metadata", {}):
            record["metadata"][names.META_CONTENT_HASH] = record_hash(record)
    return records


def ensure_vector_field(dataset: rg.Dataset) -> None:
    """Add the prompt vector field to a dataset created before vectors were pushed.

    Its records then get vectors on the next push: their content hash covers the vectors, so they
    count as changed and are updated in place (responses are kept). A field of the same name with
    other dimensions cannot be changed in place: :class:`ArgillaError`.
    """
    from rlhf_argilla.errors import ArgillaError

    existing = dataset.settings.vectors[VECTOR_PROMPT] if VECTOR_PROMPT in _names(dataset) else None
    if existing is None:
        dataset.settings.vectors.add(names.prompt_vector_field())
        dataset.update()
    elif existing.dimensions != DIMENSIONS:
        raise ArgillaError(
            f"dataset {dataset.workspace.name}/{dataset.name} has a vector field {VECTOR_PROMPT!r} of "
            f"{existing.dimensions} dimensions, this version pushes {DIMENSIONS}: push to a new dataset "
            "name, or delete the old dataset first"
        )


def _names(dataset: rg.Dataset) -> set[str]:
    return {vector.name for vector in dataset.settings.vectors}
