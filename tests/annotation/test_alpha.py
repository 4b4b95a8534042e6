"""Krippendorff's alpha from value counts equals the ``krippendorff`` package's on the same judgements."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest

from rlhf_argilla.annotation.agreement import krippendorff_alpha


def _judgements(seed: int, values: int) -> tuple[pd.DataFrame, np.ndarray]:
    """A long table of (unit, annotator, value) with gaps, and the same as an annotator x unit matrix."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, values + 1, size=300)
    matrix = np.where(rng.random((4, 300)) < 0.7, truth, rng.integers(1, values + 1, size=(4, 300))).astype(
        float
    )
    matrix[rng.random((4, 300)) < 0.3] = np.nan  # not every annotator judged every unit
    rows = [
        {"pair_id": f"p{unit:03d}", "annotator": f"a{who}", "value": int(matrix[who, unit])}
        for who in range(4)
        for unit in range(300)
        if not np.isnan(matrix[who, unit])
    ]
    return pd.DataFrame(rows), matrix


@pytest.mark.parametrize(("level", "values"), [("nominal", 3), ("ordinal", 5)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_from_counts_equals_the_package_on_the_reliability_matrix(level, values, seed):
    table, matrix = _judgements(seed, values)
    domain = list(range(1, values + 1))

    got = krippendorff_alpha(table, ["pair_id"], "value", level, domain)
    expected = krippendorff.alpha(reliability_data=matrix, value_domain=domain, level_of_measurement=level)

    assert got == round(float(expected), 6)
    assert 0.2 < got < 0.9  # neither trivial agreement nor none


def test_units_of_several_columns_and_out_of_domain_values():
    table = pd.DataFrame(
        {
            "pair_id": ["p", "p", "p", "p", "q", "q"],
            "response": [1, 1, 2, 2, 1, 1],
            "annotator": ["a", "b", "a", "b", "a", "b"],
            "value": [5, 4, 1, 9, 3, 3],  # 9 is out of the domain: that judgement is left out
        }
    )
    matrix = np.array([[5, 1, 3], [4, np.nan, 3]])

    got = krippendorff_alpha(table, ["pair_id", "response"], "value", "ordinal", [1, 2, 3, 4, 5])

    expected = krippendorff.alpha(
        reliability_data=matrix, value_domain=[1, 2, 3, 4, 5], level_of_measurement="ordinal"
    )
    assert got == round(float(expected), 6)
