"""Pure: Dawid–Skene crowd aggregation (EM over per-annotator confusion matrices), in numpy.

Why not ``crowd-kit``: it resolves with ``requirements.lock`` (``uv pip compile`` of the lock plus
``crowd-kit==1.4.2``), but declares hard dependencies that would add ``transformers``, ``tokenizers``,
``safetensors``, ``nltk``, ``regex`` and ``defusedxml`` to every install, for one ~60-line EM. So this
module is a small, tested numpy Dawid–Skene (Dawid & Skene 1979, "Maximum likelihood estimation of
observer error-rates using the EM algorithm").

The EM is initialised from the (soft) majority vote, not from random or uniform posteriors: a
random start can converge to a label-switched solution where careful annotators get *low*
competence; starting from the majority keeps class k meaning label k.

Input is a matrix ``labels[item, annotator]`` of class codes ``0..K-1`` with ``-1`` for "not
labelled". Output: posteriors per item, a confusion matrix per annotator, class priors, and a
competence per annotator (probability of giving the true label, under the fitted model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DawidSkene", "majority_posteriors", "dawid_skene", "chance_corrected"]


@dataclass(frozen=True)
class DawidSkene:
    """A fitted model: ``posteriors`` (items x K), ``confusion`` (annotators x K true x K given),
    ``priors`` (K), ``competence`` (annotators), ``iterations`` run."""

    posteriors: np.ndarray
    confusion: np.ndarray
    priors: np.ndarray
    competence: np.ndarray
    iterations: int

    def labels(self) -> np.ndarray:
        """The most probable class per item (lowest code on exact ties; -1 for unlabelled items)."""
        import numpy as np

        best = self.posteriors.argmax(axis=1)
        return np.where(self.posteriors.sum(axis=1) > 0, best, -1)


def majority_posteriors(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Vote shares per item (items x K): the soft majority vote EM starts from.

    Example:
        >>> import numpy as np
        >>> majority_posteriors(np.array([[0, 0, 1], [1, -1, -1]]), 2).round(2).tolist()
        [[0.67, 0.33], [0.0, 1.0]]
    """
    import numpy as np

    counts = np.zeros((labels.shape[0], n_classes))
    for k in range(n_classes):
        counts[:, k] = (labels == k).sum(axis=1)
    total = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)


def dawid_skene(
    labels: np.ndarray,
    n_classes: int,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
    smoothing: float = 0.01,
) -> DawidSkene:
    """Fit Dawid–Skene by EM from the majority vote.

    Args:
        labels: items x annotators int matrix of class codes, -1 where an annotator gave no label.
        n_classes: K, the number of classes.
        max_iterations: EM rounds at most.
        tolerance: stop when no posterior moves more than this.
        smoothing: pseudo-count added to every confusion cell (keeps log-likelihoods finite).

    Returns:
        The fitted :class:`DawidSkene`.

    Example:
        >>> import numpy as np
        >>> truth = np.array([0, 1, 0, 1, 1, 0, 0, 1])
        >>> careful = truth.copy()
        >>> also = truth.copy(); also[0] = 1
        >>> contrary = 1 - truth  # always wrong: DS learns to read it inverted
        >>> model = dawid_skene(np.stack([careful, also, contrary], axis=1), 2)
        >>> model.labels().tolist() == truth.tolist(), (model.competence.round(1)).tolist()
        (True, [1.0, 0.9, 0.0])
    """
    import numpy as np

    labels = np.asarray(labels, dtype=int)
    n_items, n_workers = labels.shape
    seen = labels >= 0
    onehot = np.zeros((n_items, n_workers, n_classes))
    rows, cols = np.nonzero(seen)
    onehot[rows, cols, labels[rows, cols]] = 1.0
    posteriors = majority_posteriors(labels, n_classes)
    labelled = seen.any(axis=1)
    iterations = 0
    confusion = np.full((n_workers, n_classes, n_classes), 1.0 / n_classes)
    priors = np.full(n_classes, 1.0 / n_classes)
    for step in range(1, max_iterations + 1):
        iterations = step
        # M-step: priors and confusion[w, true, given] from the current posteriors
        priors = (posteriors[labelled].sum(axis=0) + smoothing) / (labelled.sum() + smoothing * n_classes)
        counts = np.einsum("it,iwg->wtg", posteriors, onehot, optimize=True) + smoothing
        confusion = counts / counts.sum(axis=2, keepdims=True)
        # E-step: log posterior of each true class given every label of the item
        log_post = np.log(priors)[None, :] + np.einsum(
            "iwg,wtg->it", onehot, np.log(confusion), optimize=True
        )
        log_post -= log_post.max(axis=1, keepdims=True)
        updated = np.exp(log_post)
        updated /= updated.sum(axis=1, keepdims=True)
        updated[~labelled] = 0.0
        moved = float(np.abs(updated - posteriors).max()) if n_items else 0.0
        posteriors = updated
        if moved < tolerance:
            break
    competence = np.einsum("t,wtt->w", priors, confusion)
    return DawidSkene(posteriors, confusion, priors, competence, iterations)


def chance_corrected(competence: np.ndarray, priors: np.ndarray) -> np.ndarray:
    """Competence above what always giving the most common class earns, scaled to 0..1 (clipped).

    Used as the weight of an annotator's ratings: a spammer's weight is ~0, a perfect one's 1.

    Example:
        >>> import numpy as np
        >>> chance_corrected(np.array([1.0, 0.5, 0.3]), np.array([0.5, 0.5])).tolist()
        [1.0, 0.0, 0.0]
    """
    import numpy as np

    chance = float(priors.max()) if len(priors) else 0.0
    if chance >= 1.0:
        return np.ones_like(competence)
    return np.clip((competence - chance) / (1.0 - chance), 0.0, 1.0)
