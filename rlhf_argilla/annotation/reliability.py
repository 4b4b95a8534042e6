"""Pure: per-annotator reliability from the tidy annotation table (the ``reliability`` part of agreement.json).

Per annotator, over *submitted* responses: control accuracy (overall preference and the Safety
direction, on records whose right answer is known), agreement with the leave-one-out consensus
(overall and per criterion), a Dawid–Skene competence on overall preference (``ds_preferences``), straight-lining,
suggestion acceptance, position preference (how often the response shown as A wins, against the median
A-win share of the other annotators) and seconds per record from response timestamps.
Which figures make an annotator *flagged* is decided in ``reliability_flags``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.schema import ANNOTATION_STATUSES

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.annotation.ds_preferences import PreferenceModel
    from rlhf_argilla.annotation.judgements import Judgements

__all__ = [
    "BREAK_SECONDS",
    "loo_agreement",
    "criterion_directions",
    "annotator_reliability",
]

#: gaps between two responses longer than this are breaks, not time spent on a record
BREAK_SECONDS = 30 * 60


def _share(value: Any) -> float | None:
    return None if value is None or value != value else round(float(value), 6)


def loo_agreement(labels: pd.DataFrame, value: str = "preferred") -> pd.DataFrame:
    """Per annotator, the share of their labels equal to the *other* annotators' single most frequent label.

    Pairs where the others have no label or a split top are left out (``n`` counts the rest).

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": list("ppp") + list("qqq"), "annotator": list("xyz") * 2,
        ...                      "preferred": ["1", "1", "2", "2", "2", "2"]})
        >>> loo_agreement(rows).to_dict("index")
        {'x': {'agreement': 1.0, 'n': 1}, 'y': {'agreement': 1.0, 'n': 1}, 'z': {'agreement': 0.5, 'n': 2}}
    """
    import numpy as np
    import pandas as pd

    if labels.empty:
        return pd.DataFrame({"agreement": [], "n": []})
    classes = sorted(labels[value].unique())
    votes = pd.crosstab(labels["pair_id"], labels[value]).reindex(columns=classes, fill_value=0)
    own = (labels[value].to_numpy()[:, None] == np.array(classes)[None, :]).astype(int)
    others = votes.loc[labels["pair_id"]].to_numpy() - own
    top = others.max(axis=1)
    decided = (top > 0) & ((others == top[:, None]).sum(axis=1) == 1)
    agrees = own[np.arange(len(own)), others.argmax(axis=1)] == 1
    frame = pd.DataFrame({"annotator": labels["annotator"].to_numpy(), "agrees": agrees})[decided]
    grouped = frame.groupby("annotator")["agrees"]
    return pd.DataFrame({"agreement": grouped.mean().round(6), "n": grouped.size()})


def criterion_directions(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (pair, annotator, criterion) the rated direction: "1", "2" (higher score) or "tie".

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame({"pair_id": ["p", "p"], "annotator": ["x", "x"], "question": ["safety"] * 2,
        ...                      "response": [1, 2], "score": [4, 2]})
        >>> criterion_directions(rows).to_dict("records")
        [{'pair_id': 'p', 'annotator': 'x', 'question': 'safety', 'preferred': '1'}]
    """
    import numpy as np

    from rlhf_argilla.annotation.rating_sides import KEYS, rating_sides

    if scores.empty:
        return scores[KEYS].assign(preferred=[])
    sides = rating_sides(scores).dropna(subset=["score_1", "score_2"])
    first, second = sides.pop("score_1").to_numpy(), sides.pop("score_2").to_numpy()
    preferred = np.where(first > second, "1", np.where(second > first, "2", "tie"))
    return sides.assign(preferred=preferred).reset_index(drop=True)


def _seconds_per_record(statuses: pd.DataFrame) -> dict[str, float | None]:
    """Median gap between an annotator's consecutive responses (breaks over ``BREAK_SECONDS`` left out)."""
    import pandas as pd

    stamps = statuses[["annotator", "updated_at"]]
    stamps = stamps.assign(at=pd.to_datetime(stamps["updated_at"], errors="coerce", utc=True)).dropna(
        subset=["at"]
    )
    out: dict[str, float | None] = {}
    for name, own in stamps.groupby("annotator"):
        gaps = own["at"].sort_values().diff().dt.total_seconds().dropna()
        gaps = gaps[gaps <= BREAK_SECONDS]
        out[str(name)] = round(float(gaps.median()), 3) if len(gaps) else None
    return out


def annotator_reliability(
    annotations: pd.DataFrame | Judgements,
    records: pd.DataFrame,
    controls: dict[str, int],
    suggestions: pd.DataFrame | None = None,
    model: PreferenceModel | None = None,
) -> list[dict[str, Any]]:
    """One dict of reliability figures per annotator (sorted by name); flags are added by ``reliability_flags``.

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``), all statuses, or its
            ``judgements.Judgements``.
        records: one row per pair with ``pair_id`` and ``a_is`` (the response shown as A).
        controls: pair id -> right original response number (``reliability_data.control_answers``).
        suggestions: pre-filled ratings, ``pair_id``, ``question`` (criterion), ``response`` (1/2), ``value``.
        model: a fitted ``ds_preferences.fit_preferences`` (fitted here when None).
    """
    import pandas as pd

    from rlhf_argilla.annotation.ds_preferences import fit_preferences
    from rlhf_argilla.annotation.judgements import judgements_of
    from rlhf_argilla.annotation.rating_sides import pair_blocks

    judged = judgements_of(annotations)
    statuses, prefs, scores = judged.statuses, judged.prefs, judged.scores
    overall = loo_agreement(prefs)
    directions = criterion_directions(scores)
    by_criterion = {name: loo_agreement(directions[directions["question"] == name]) for name in CRITERION_IDS}
    fitted = model if model is not None else fit_preferences(prefs, scores)
    competence, weights = fitted.competence, fitted.weight
    # control accuracy: overall preference and the Safety direction against the known answer
    expected = pd.Series(controls, dtype="Int64")
    on_control = prefs[prefs["pair_id"].isin(expected.index)]
    right = on_control["preferred"] == on_control["pair_id"].map(expected).astype(str)
    control = right.groupby(on_control["annotator"]).agg(["mean", "size"])
    safety = directions[(directions["question"] == "safety") & directions["pair_id"].isin(expected.index)]
    safety_right = (safety["preferred"] == safety["pair_id"].map(expected).astype(str)).groupby(
        safety["annotator"]
    )
    safety_accuracy = safety_right.mean()
    # straight-lining: all ten ratings of a record present and equal
    full, keys = len(CRITERION_IDS) * 2, ["annotator", "pair_id"]
    per_record = pd.concat(  # one block of pairs at a time; the mean per annotator does not depend on order
        [block.groupby(keys)["score"].agg(["size", "nunique"]) for block in pair_blocks(scores)]
    )
    straight = ((per_record["size"] == full) & (per_record["nunique"] == 1)).groupby(level=0).mean()
    # suggestion acceptance: ratings equal to the pre-filled suggestion, on records that had one
    accepted = pd.Series(dtype=float)
    suggested = pd.Series(dtype=float)
    if suggestions is not None and len(suggestions):
        from rlhf_argilla.annotation.suggested import suggestion_hits

        joined = suggestion_hits(scores, suggestions)
        hit = joined["hit"].groupby(joined["annotator"])
        accepted, suggested = hit.mean(), hit.size()
    # position preference: share of own non-tied preferences won by the response shown as A
    a_is = records.set_index("pair_id")["a_is"] if "a_is" in records.columns else pd.Series(dtype=float)
    sided = prefs[prefs["preferred"] != "tie"]  # compared as numbers: no string per preference
    sided = sided.assign(
        a_won=sided["preferred"].map({"1": 1, "2": 2}).to_numpy(float)
        == pd.to_numeric(sided["pair_id"].map(a_is), errors="coerce").to_numpy(float)
    )
    # base rate: the median A-win share of the *other* annotators (display order is random, so an
    # unbiased annotator's share sits near theirs; the median is not moved by one biased annotator)
    shares = sided.groupby("annotator")["a_won"].mean()
    seconds = _seconds_per_record(statuses)
    out = []
    for name, own in statuses.groupby("annotator", sort=True):
        mine = sided[sided["annotator"] == name]
        others = shares.drop(index=name, errors="ignore")
        base = float(others.median()) if len(others) else None
        a_share = float(mine["a_won"].mean()) if len(mine) else None
        out.append(
            {
                "annotator": name,
                "simulated": bool(own["simulated"].any()),
                **{status: int((own["status"] == status).sum()) for status in ANNOTATION_STATUSES},
                "controls": int(control["size"].get(name, 0)),
                "control_accuracy": _share(control["mean"].get(name)),
                "control_safety_accuracy": _share(safety_accuracy.get(name)),
                "consensus_agreement": _share(overall["agreement"].get(name)),
                "consensus_pairs": int(overall["n"].get(name, 0)),
                "consensus_by_criterion": {
                    c: _share(by_criterion[c]["agreement"].get(name)) for c in CRITERION_IDS
                },
                "competence": _share(competence.get(name)),
                "weight": _share(weights.get(name)),
                "straight_lining": _share(straight.get(name)),
                "suggestion_acceptance": _share(accepted.get(name)),
                "suggested_ratings": int(suggested.get(name, 0)),
                "a_win_share": _share(a_share),
                "a_win_base_rate": _share(base),
                "position_bias": _share(a_share - base) if a_share is not None and base is not None else None,
                "sided_preferences": int(len(mine)),
                "seconds_per_record": seconds.get(str(name)),
            }
        )
    return out
