"""Dawid–Skene on a planted crowd (no server): it must beat or equal majority and rank competence."""

from __future__ import annotations

import numpy as np
import pytest

from rlhf_argilla.annotation.dawid_skene import chance_corrected, dawid_skene, majority_posteriors
from tests.annotation.planted_crowd import planted_crowd

CROWD = ("careful", "careful", "noisy", "spammer", "position-biased")


def _majority(labels: np.ndarray) -> np.ndarray:
    shares = majority_posteriors(labels, 3)
    single = (shares == shares.max(axis=1, keepdims=True)).sum(axis=1) == 1
    return np.where(single, shares.argmax(axis=1), -1)  # split votes count as wrong


@pytest.mark.parametrize("seed", range(5))
def test_beats_majority_and_ranks_careful_over_noisy_over_spammer(seed):
    labels, truth = planted_crowd(CROWD, seed)

    model = dawid_skene(labels, 3)
    ds_right = float((model.labels() == truth).mean())
    majority_right = float((_majority(labels) == truth).mean())
    print(
        f"seed {seed}: dawid-skene {ds_right:.3f} vs majority {majority_right:.3f}; competence {model.competence.round(2)}"
    )

    assert ds_right >= majority_right
    careful, noisy, spammer = min(model.competence[:2]), model.competence[2], model.competence[3]
    assert careful > noisy > spammer
    assert model.competence[4] < noisy  # A-biased in display space looks random in original space
    weights = chance_corrected(model.competence, model.priors)
    assert weights[3] < 0.2 < weights[0]


def test_a_label_switched_start_would_fail_but_the_majority_start_does_not():
    labels, truth = planted_crowd(("careful", "careful", "careful"), seed=11)
    model = dawid_skene(labels, 3)
    # label switching would map class k to another label: accuracy near 0 and low careful competence
    assert (model.labels() == truth).mean() > 0.8
    assert (model.competence > 0.7).all()


def test_items_without_labels_get_no_label():
    labels = np.array([[0, 0], [-1, -1], [1, 1], [0, 0]])
    model = dawid_skene(labels, 3)
    assert model.labels().tolist() == [0, -1, 1, 0]
    assert np.allclose(model.posteriors[1], 0)
