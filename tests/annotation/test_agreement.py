"""Agreement figures on hand-built tables whose values are worked out by hand in the comments."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from rlhf_argilla.annotation import agreement
from tests.annotation.annotation_rows import response_rows, table

# Two annotators, four pairs; preferences a: 1, 2, 1, 1 and b: 1, 2, 2, 1.
# Coincidences: o11 = 4, o22 = 2, o12 = o21 = 1 -> n1 = 5, n2 = 3, n = 8.
# alpha_nominal = 1 - (2/8) / (2*5*3 / (8*7)) = 1 - 0.25 / (30/56) = 8/15.
# kappa: po = 3/4, pe = 3/4*1/2 + 1/4*1/2 = 1/2 -> (0.75 - 0.5) / 0.5 = 0.5.
RANKS = {"a": [(1, 2), (2, 1), (1, 2), (1, 2)], "b": [(1, 2), (2, 1), (2, 1), (1, 2)]}


def _two_annotators(extra=()):
    responses = [
        response_rows(f"p{i}", who, ranks=ranks, scores={"clarity": (4, 2)})
        for who, all_ranks in RANKS.items()
        for i, ranks in enumerate(all_ranks)
    ]
    return table(*responses, *extra)


def test_alpha_and_kappa_on_overall_match_the_hand_computed_values():
    summary = agreement.agreement_summary(_two_annotators())

    assert summary["alpha"]["overall"] == pytest.approx(8 / 15, abs=1e-6)
    assert summary["kappa"] == [{"annotators": ["a", "b"], "n": 4, "kappa": pytest.approx(0.5)}]
    assert summary["tie_rate"] == 0.0


def test_drafts_and_discarded_are_counted_but_do_not_change_agreement():
    noise = [
        response_rows("p0", "c", status="draft", ranks=(2, 1)),
        response_rows("p1", "c", status="discarded"),
        response_rows("p2", "d", status="discarded", ranks=(1, 1)),
    ]

    summary = agreement.agreement_summary(_two_annotators(noise))

    assert summary["counts"] == {"submitted": 8, "draft": 1, "discarded": 2}
    assert summary["alpha"]["overall"] == pytest.approx(8 / 15, abs=1e-6)
    per = {row["annotator"]: row for row in summary["per_annotator"]}
    assert (per["c"]["draft"], per["c"]["discarded"], per["c"]["submitted"]) == (1, 1, 0)
    assert per["d"]["tie_rate"] is None


def test_ties_come_from_equal_ranks_and_incomplete_rankings_are_skipped():
    rows = table(
        response_rows("p", "a", ranks=(1, 1)),
        response_rows("p", "b", ranks=(2, 1)),
        response_rows("q", "a", ranks=(1, 2)),
    )
    rows = rows.drop(rows.index[-1])  # q/a lost its second rank: not a preference

    prefs = agreement.preferences(rows)

    assert sorted(map(tuple, prefs.to_numpy().tolist())) == [("p", "a", "tie"), ("p", "b", "2")]
    assert agreement.tie_rate(prefs) == 0.5


def test_ordinal_alpha_per_criterion_equals_the_package_on_the_reliability_matrix():
    scores = {"a": [(5, 2), (4, 4), (3, 1)], "b": [(4, 2), (4, 3), (1, 1)], "c": [(5, 1), (3, 4), (2, 2)]}
    rows = table(
        *(
            response_rows(f"p{i}", who, ranks=(1, 2), scores={"safety": s})
            for who, values in scores.items()
            for i, s in enumerate(values)
        )
    )
    # units in (pair, response) order p0/1, p0/2, p1/1, ... ; one row per annotator
    matrix = np.array(
        [[score for pair in values for score in pair] for values in scores.values()], dtype=float
    )
    expected = krippendorff.alpha(
        reliability_data=matrix, value_domain=[1, 2, 3, 4, 5], level_of_measurement="ordinal"
    )

    summary = agreement.agreement_summary(rows)

    assert summary["alpha"]["safety"] == pytest.approx(expected, abs=1e-6)
    assert 0 < summary["alpha"]["safety"] < 1
    assert summary["alpha"]["clarity"] is None  # nobody rated it


def test_alpha_is_none_when_everyone_chose_one_label():
    rows = table(*(response_rows(f"p{i}", who, ranks=(1, 2)) for who in "ab" for i in range(3)))

    summary = agreement.agreement_summary(rows)

    assert summary["alpha"]["overall"] is None
    assert summary["kappa"][0]["kappa"] is None


def test_per_annotator_agreement_with_the_majority_of_the_others():
    rows = table(
        *(
            response_rows("p", who, ranks=ranks)
            for who, ranks in [("a", (1, 2)), ("b", (1, 2)), ("c", (2, 1))]
        )
    )

    per = {row["annotator"]: row for row in agreement.agreement_summary(rows)["per_annotator"]}

    assert per["c"]["agrees_with_majority"] == 0.0  # a and b both chose 1
    assert per["a"]["agrees_with_majority"] is None  # others split 1 vs 2: no majority


def test_a_dataset_without_responses_gives_zero_counts_and_undefined_figures():
    summary = agreement.agreement_summary(table())

    assert summary["counts"] == {"submitted": 0, "draft": 0, "discarded": 0}
    assert summary["tie_rate"] is None and set(summary["alpha"].values()) == {None}
    assert summary["kappa"] == [] and summary["per_annotator"] == []
