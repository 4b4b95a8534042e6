"""Exact k-nearest-neighbour search by cosine similarity, over vectors read page by page.

osmem (the local stack's search engine) stores ``knn_vector`` fields but answers no ``knn`` query. The
launcher's engine therefore reads the vectors of the records that pass the query's filters, one page
at a time, and keeps the best ``k`` with :class:`TopK`. Memory is one page plus ``k`` rows, whatever
the dataset size. Imported by the launcher in the *server's* venv: depends on numpy only.

Scores follow OpenSearch's ``cosinesimil`` space (lucene engine): ``(1 + cosine) / 2``, in [0, 1],
1 for the same direction; a zero vector scores 0.5 against anything.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["TopK", "cosine_scores"]


def cosine_scores(query: Sequence[float], vectors: np.ndarray) -> np.ndarray:
    """``(1 + cos) / 2`` of ``query`` against each row of ``vectors``.

    Example:
        >>> cosine_scores([1.0, 0.0], np.array([[2.0, 0.0], [0.0, 3.0], [-1.0, 0.0]])).round(3).tolist()
        [1.0, 0.5, 0.0]
    """
    q = np.asarray(query, dtype=np.float64)
    q_norm = np.linalg.norm(q)
    norms = np.linalg.norm(vectors, axis=1) * q_norm
    dots = vectors @ q
    cosine = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    return (1.0 + np.clip(cosine, -1.0, 1.0)) / 2.0


class TopK:
    """The ``k`` best-scoring ids seen so far, fed one page of vectors at a time.

    Ties keep the order in which the ids were fed (a stable, reproducible answer).

    Example:
        >>> best = TopK([1.0, 0.0], k=2)
        >>> best.add(["a", "b"], [[0.0, 1.0], [1.0, 0.1]])
        >>> best.add(["c"], [[1.0, 0.0]])
        >>> [(i, round(s, 3)) for i, s in best.result()]
        [('c', 1.0), ('b', 0.998)]
    """

    def __init__(self, query: Sequence[float], k: int):
        self.query = list(query)
        self.k = max(0, k)
        self._ids: list[str] = []
        self._scores = np.empty(0)

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        if not ids or not self.k:
            return
        matrix = np.asarray(vectors, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[1] != len(self.query):
            raise ValueError(f"vectors of dimension {matrix.shape[-1]} against a query of {len(self.query)}")
        ids_all = self._ids + list(ids)
        scores_all = np.concatenate([self._scores, cosine_scores(self.query, matrix)])
        keep = np.argsort(-scores_all, kind="stable")[: self.k]
        keep.sort()  # feeding order again, so later stable sorts keep ties in that order
        self._ids = [ids_all[i] for i in keep]
        self._scores = scores_all[keep]

    def result(self) -> list[tuple[str, float]]:
        """``(id, score)`` pairs, most similar first."""
        order = np.argsort(-self._scores, kind="stable")
        return [(self._ids[i], float(self._scores[i])) for i in order]
