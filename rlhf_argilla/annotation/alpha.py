"""Pure: Krippendorff's alpha from per-unit value counts, in memory that does not grow with V² per unit.

``krippendorff.alpha`` (the reference the tests compare against) builds a units x values x values
array for the coincidence matrix: at 200k rated responses and a 1-5 scale that is ~40 MB per
temporary, several at once. Alpha only needs the values x values coincidence matrix ``o``; units
with the same number of judgements contribute ``(RᵀR - diag(ΣR)) / (m - 1)``, one small matrix
product per judgement count ``m``. Expected coincidences and distances follow Krippendorff's
definitions (nominal: 0 / 1; ordinal: the squared rank mass between two values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["unit_value_counts", "alpha_from_counts"]


def unit_value_counts(table: pd.DataFrame, units: list[str], codes: pd.Series, n_values: int) -> np.ndarray:
    """units x values counts of ``codes`` (0..n_values-1, NaN = out of domain, left out).

    One judgement per (unit, annotator) counts: the first with a value, as a pivot with
    ``aggfunc="first"`` would keep.

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p", "p", "q"], "annotator": ["a", "b", "a"]})
        >>> unit_value_counts(rows, ["pair_id"], pd.Series([0, 1, 1]), 3).tolist()
        [[1, 1, 0], [0, 1, 0]]
    """
    import numpy as np

    keep = codes.notna().to_numpy()
    keys = table.loc[keep, [*units, "annotator"]]
    first = ~keys.duplicated().to_numpy()
    unit = keys[units].groupby(units, observed=True, sort=True).ngroup().to_numpy()[first]
    value = codes[keep].to_numpy()[first].astype(np.int64)
    n_units = int(unit.max()) + 1 if len(unit) else 0
    flat = np.bincount(unit.astype(np.int64) * n_values + value, minlength=n_units * n_values)
    return flat.reshape(n_units, n_values)


def alpha_from_counts(counts: np.ndarray, level: Literal["nominal", "ordinal"]) -> float:
    """Krippendorff's alpha of a units x values count matrix (values in domain order).

    Example:
        >>> import numpy as np
        >>> round(alpha_from_counts(np.array([[2, 0, 0], [0, 2, 0], [1, 1, 0]]), "nominal"), 6)
        0.444444
    """
    import numpy as np

    sizes = counts.sum(axis=1)
    n_values = counts.shape[1]
    observed = np.zeros((n_values, n_values))
    for size in np.unique(sizes[sizes >= 2]):
        rows = counts[sizes == size].astype(float)
        observed += (rows.T @ rows - np.diag(rows.sum(axis=0))) / (size - 1)
    n_v = observed.sum(axis=0)
    expected = (np.outer(n_v, n_v) - np.diag(n_v)) / (n_v.sum() - 1)
    if level == "nominal":
        distance = 1.0 - np.eye(n_values)
    else:
        low = np.minimum.outer(np.arange(n_values), np.arange(n_values))
        high = np.maximum.outer(np.arange(n_values), np.arange(n_values))
        mass = np.concatenate([[0.0], np.cumsum(n_v)])
        distance = (mass[high + 1] - mass[low] - (n_v[low] + n_v[high]) / 2) ** 2
    return float(1.0 - (observed * distance).sum() / (expected * distance).sum())
