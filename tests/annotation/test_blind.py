"""The blind calibration slice: records pushed without suggestions, seeded, kept on re-push (real server)."""

from __future__ import annotations

import pytest

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.blind import BlindPlan, blind_draw
from rlhf_argilla.annotation.push import ensure_dataset, push_pairs
from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs


def test_blind_draw_is_seeded_and_near_the_share():
    ids = [f"pair-{i}" for i in range(4000)]
    plan = BlindPlan(share=0.2, seed=5)
    chosen = [pair_id for pair_id in ids if plan.is_blind(pair_id)]
    assert chosen == [pair_id for pair_id in ids if BlindPlan(share=0.2, seed=5).is_blind(pair_id)]
    assert abs(len(chosen) / len(ids) - 0.2) < 0.02
    assert chosen != [pair_id for pair_id in ids if BlindPlan(share=0.2, seed=6).is_blind(pair_id)]
    assert blind_draw("pair-1", 5) != blind_draw("pair-1", 6)
    with pytest.raises(ValueError):
        BlindPlan(share=1.5)


def test_blind_record_has_no_suggestions_and_says_so():
    pair = make_pairs(1)[0]
    assert pair_to_record(pair, blind=True)["suggestions"] == []
    assert pair_to_record(pair, blind=True)["metadata"][names.META_BLIND] == 1
    assert len(pair_to_record(pair)["suggestions"]) == 11  # ten ratings + the ranking
    assert (
        pair_to_record(pair, blind=True)["metadata"][names.META_CONTENT_HASH]
        != pair_to_record(pair)["metadata"][names.META_CONTENT_HASH]
    )


def _read_back(target, dataset) -> dict[str, dict]:
    with ArgillaRest(target) as rest:
        return {
            item["external_id"]: item
            for page, _ in rest.record_pages(str(dataset.id), include=("suggestions",))
            for item in page
        }


@pytest.mark.integration
def test_blind_records_carry_no_suggestions_on_the_server_and_keep_their_slice(
    argilla_client, argilla_target, workspace
):
    pairs = make_pairs(40, seed=3)
    dataset = ensure_dataset(argilla_client, "prefs", workspace.name)
    plan = BlindPlan(share=0.3, seed=11)
    assert push_pairs(dataset, pairs[:30], blind=plan, batch_size=7).created == 30

    stored = _read_back(argilla_target, dataset)
    blind = {key for key, item in stored.items() if item["metadata"][names.META_BLIND] == 1}
    assert blind == {pair.pair_id for pair in pairs[:30] if plan.is_blind(pair.pair_id)}
    assert 0 < len(blind) < 30
    for key, item in stored.items():
        if key in blind:
            assert item["suggestions"] == []
        else:
            assert len(item["suggestions"]) == 11

    # a re-push with another share and seed keeps every stored record in its slice; new ones are drawn
    other = BlindPlan(share=0.9, seed=99)
    again = push_pairs(dataset, pairs, blind=other, batch_size=7)
    assert (again.created, again.unchanged) == (10, 30)
    stored = _read_back(argilla_target, dataset)
    assert {key for key in stored if stored[key]["metadata"][names.META_BLIND] == 1} == blind | {
        pair.pair_id for pair in pairs[30:] if other.is_blind(pair.pair_id)
    }

    # --suggestions none: every record loses its suggestions
    push_pairs(dataset, pairs, blind=BlindPlan(suggestions="none"))
    stored = _read_back(argilla_target, dataset)
    assert all(item["suggestions"] == [] for item in stored.values())
    assert all(item["metadata"][names.META_BLIND] == 1 for item in stored.values())
