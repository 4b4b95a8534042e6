"""Pure: how far the AI judge can be trusted, measured on the blind slice (records shown without suggestions).

Inputs are the tidy annotation table of ``pull`` (A/B undone), the judge's scores from pairs.jsonl and
the set of blind pair ids. Only submitted answers count. Per criterion, the judge is compared with the
human consensus (median of the annotators, rounded half up) on blind records: quadratic-weighted
Cohen's kappa, Krippendorff's alpha (ordinal) with the judge as one more rater, exact and +-1 agreement
and mean absolute error. The overall preference is compared over blind records where humans did not
tie (Wilson interval), with a reliability curve over the judge's margin (mean score of response 1 minus
response 2) and the smallest margin from which the judge agrees with humans >= 90 % of the time.

Anchoring: the exact agreement of single answers with the judge on suggested vs blind records. If a
share ``p`` of answers keeps the suggestions and the rest agree by chance as often as on blind
records (``q``), suggested agreement is ``p + (1 - p) q``; so ``(A_s - A_b) / (1 - A_b)`` estimates
the acceptance rate. Intervals: percentile bootstrap over records, seeded (same input, same report).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.domain.criteria import CRITERION_IDS, SCALE

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.schema import PairRow

__all__ = [
    "TRUST_AGREEMENT",
    "judge_scores",
    "judge_suggestions",
    "wilson",
    "consensus_ratings",
    "judge_report",
]

TRUST_AGREEMENT = 0.9
BOOTSTRAP = 1000
MIN_CURVE_RECORDS = 5


def judge_scores(pairs: Iterable[PairRow]) -> dict[tuple[str, str, int], int]:
    """``{(pair_id, criterion, response 1|2): judge score}`` of the judged pairs."""
    out: dict[tuple[str, str, int], int] = {}
    for pair in pairs:
        for number, response in ((1, pair.response_1), (2, pair.response_2)):
            if response.judge is not None:
                for name in CRITERION_IDS:
                    out[(pair.pair_id, name, number)] = int(getattr(response.judge, name))
    return out


def judge_suggestions(pairs: Iterable[PairRow]) -> dict[str, dict[str, int]]:
    """``{pair_id: {question name: judge score}}`` as the record would suggest them (A/B shuffle applied)."""
    from rlhf_argilla.annotation.records import pair_to_record

    out = {}
    for pair in pairs:
        record = pair_to_record(pair)
        out[pair.pair_id] = {
            s["question_name"]: s["value"] for s in record["suggestions"] if s["question_name"] != ds.OVERALL
        }
    return out


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion.

    Example:
        >>> tuple(round(x, 3) for x in wilson(45, 50))
        (0.786, 0.957)
        >>> wilson(0, 0) is None
        True
    """
    if total == 0:
        return None
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _ratings(annotations: pd.DataFrame) -> pd.DataFrame:
    rows = annotations[(annotations["status"] == "submitted") & annotations["question"].isin(CRITERION_IDS)]
    rows = rows.assign(value=rows["value"].astype(int), response=rows["response"].astype(int))
    return rows[["pair_id", "annotator", "question", "response", "value"]]


def consensus_ratings(annotations: pd.DataFrame) -> dict[tuple[str, str, int], int]:
    """``{(pair_id, criterion, response): median of the submitted ratings, rounded half up}``."""
    rows = _ratings(annotations)
    medians = rows.groupby(["pair_id", "question", "response"])["value"].median()
    return {key: int(math.floor(value + 0.5)) for key, value in medians.items()}


def _human_preferences(annotations: pd.DataFrame) -> dict[str, int]:
    """``{pair_id: 1 | 2 | 0}``: the response most submitted answers rank first alone (0: tie)."""
    rows = annotations[(annotations["status"] == "submitted") & (annotations["question"] == ds.OVERALL)]
    votes: dict[str, int] = {}
    for (pair_id, _annotator), group in rows.groupby(["pair_id", "annotator"]):
        ranks = {int(r): int(v) for r, v in zip(group["response"], group["value"], strict=True)}
        if len(ranks) == 2 and ranks[1] != ranks[2]:
            votes[pair_id] = votes.get(pair_id, 0) + (1 if ranks[1] < ranks[2] else -1)
        else:
            votes.setdefault(pair_id, 0)
    return {key: (1 if v > 0 else 2 if v < 0 else 0) for key, v in votes.items()}


def _margins(judge: dict[tuple[str, str, int], int]) -> dict[str, float]:
    pair_ids = {key[0] for key in judge}
    out = {}
    for pair_id in pair_ids:
        try:
            sides = [sum(judge[(pair_id, n, r)] for n in CRITERION_IDS) / len(CRITERION_IDS) for r in (1, 2)]
        except KeyError:
            continue
        out[pair_id] = sides[0] - sides[1]
    return out


def _criterion(
    rows: pd.DataFrame, judge: dict, consensus: dict, name: str, blind: set[str]
) -> dict[str, Any]:
    import krippendorff
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    units = sorted(k for k in consensus if k[1] == name and k[0] in blind and k in judge)
    if not units:
        return {"units": 0}
    human = np.array([consensus[k] for k in units])
    machine = np.array([judge[k] for k in units])
    annotators = sorted(rows["annotator"].unique())
    index = {k: i for i, k in enumerate(units)}
    data = np.full((len(annotators) + 1, len(units)), np.nan)
    for a, who in enumerate(annotators):
        mine = rows[(rows["annotator"] == who) & (rows["question"] == name)]
        for pair_id, response, value in zip(mine["pair_id"], mine["response"], mine["value"], strict=True):
            column = index.get((pair_id, name, int(response)))
            if column is not None:
                data[a, column] = value
    data[-1] = machine
    alpha = krippendorff.alpha(
        reliability_data=data, level_of_measurement="ordinal", value_domain=list(SCALE)
    )
    kappa = cohen_kappa_score(machine, human, weights="quadratic", labels=list(SCALE))
    difference = np.abs(machine - human)
    return {
        "units": len(units),
        "kappa_quadratic": _finite(kappa),
        "krippendorff_alpha": _finite(alpha),
        "exact": round(float((difference == 0).mean()), 4),
        "within_one": round(float((difference <= 1).mean()), 4),
        "mae": round(float(difference.mean()), 4),
    }


def _finite(value: Any) -> float | None:
    """Rounded, or None where the statistic is undefined (NaN: no variance, e.g. one value on a few units).

    Example:
        >>> _finite(0.123456), _finite(float("nan"))
        (0.1235, None)
    """
    number = float(value)
    return round(number, 4) if math.isfinite(number) else None


def _preference(prefs: dict[str, int], margins: dict[str, float], blind: set[str]) -> dict[str, Any]:
    decided = sorted(p for p in blind if prefs.get(p) in (1, 2) and p in margins)
    agree = {p: (margins[p] > 0 and prefs[p] == 1) or (margins[p] < 0 and prefs[p] == 2) for p in decided}
    hits = sum(agree.values())
    interval = wilson(hits, len(decided))
    thresholds = sorted({round(abs(margins[p]), 4) for p in decided})
    curve = []
    for t in thresholds:
        above = [p for p in decided if abs(margins[p]) >= t]
        if len(above) < MIN_CURVE_RECORDS:
            break
        curve.append(
            {
                "margin": t,
                "records": len(above),
                "agreement": round(sum(agree[p] for p in above) / len(above), 4),
            }
        )
    trusted = next((point["margin"] for point in curve if point["agreement"] >= TRUST_AGREEMENT), None)
    return {
        "records": len(decided),
        "agreement": round(hits / len(decided), 4) if decided else None,
        "interval": [round(x, 4) for x in interval] if interval else None,
        "curve": curve,
        "trusted_margin": trusted,
    }


def _agreement_by_record(rows: pd.DataFrame, judge: dict) -> dict[str, tuple[int, int]]:
    """``{pair_id: (answers equal to the judge, answers)}`` over single submitted ratings."""
    out: dict[str, tuple[int, int]] = {}
    for pair_id, question, response, value in zip(
        rows["pair_id"], rows["question"], rows["response"], rows["value"], strict=True
    ):
        expected = judge.get((pair_id, question, int(response)))
        if expected is None:
            continue
        hits, total = out.get(pair_id, (0, 0))
        out[pair_id] = (hits + int(expected == value), total + 1)
    return out


def _anchoring(by_record: dict[str, tuple[int, int]], blind: set[str], seed: int) -> dict[str, Any]:
    import numpy as np

    slices = {
        "suggested": sorted(p for p in by_record if p not in blind),
        "blind": sorted(p for p in by_record if p in blind),
    }
    if not slices["suggested"] or not slices["blind"]:
        return {"records": {k: len(v) for k, v in slices.items()}, "effect": None}
    counts = {k: np.array([by_record[p] for p in v], dtype=float) for k, v in slices.items()}

    def figures(s: np.ndarray, b: np.ndarray) -> tuple[float, float, float, float]:
        a_s, a_b = s[:, 0].sum() / s[:, 1].sum(), b[:, 0].sum() / b[:, 1].sum()
        return a_s, a_b, a_s - a_b, (a_s - a_b) / (1 - a_b) if a_b < 1 else 0.0

    point = figures(counts["suggested"], counts["blind"])
    rng = np.random.default_rng(seed)
    draws = np.array(
        [
            figures(
                counts["suggested"][rng.integers(0, len(counts["suggested"]), len(counts["suggested"]))],
                counts["blind"][rng.integers(0, len(counts["blind"]), len(counts["blind"]))],
            )
            for _ in range(BOOTSTRAP)
        ]
    )
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    names = ("agreement_suggested", "agreement_blind", "effect", "acceptance")
    out: dict[str, Any] = {"records": {k: len(v) for k, v in slices.items()}}
    for i, name in enumerate(names):
        out[name] = round(float(point[i]), 4)
        out[f"{name}_interval"] = [round(float(low[i]), 4), round(float(high[i]), 4)]
    return out


def judge_report(
    annotations: pd.DataFrame,
    pairs: Iterable[PairRow],
    blind: set[str],
    *,
    simulated: bool | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """The judge-vs-human figures (see the module doc) as a JSON-ready dict.

    Args:
        annotations: ``pull``'s tidy table (``schema.ANNOTATION_COLUMNS``).
        pairs: the pushed pairs (judge scores).
        blind: pair ids pushed without suggestions (``metadata["blind"] == 1``).
        simulated: whether the answers come from simulated annotators (default: read from the table).
        seed: of the bootstrap intervals.
    """
    judge: dict[tuple[str, str, int], int] = {}
    unranked = set()  # verdict flipped with the candidate order (generation.judge_swap): no judge margin
    for pair in pairs:
        judge.update(judge_scores([pair]))
        if pair.selection.predicted_margin is None:
            unranked.add(pair.pair_id)
    margins = {pair_id: m for pair_id, m in _margins(judge).items() if pair_id not in unranked}
    rows = _ratings(annotations)
    consensus = consensus_ratings(annotations)
    answered = set(rows["pair_id"])
    blind_answered = sorted(answered & blind)
    if simulated is None:
        simulated = bool(len(annotations)) and bool(annotations["simulated"].all())
    return {
        "blind_records": len(blind_answered),
        "suggested_records": len(answered - blind),
        "simulated": simulated,
        "criteria": {
            name: _criterion(rows, judge, consensus, name, set(blind_answered)) for name in CRITERION_IDS
        },
        "preference": _preference(_human_preferences(annotations), margins, set(blind_answered)),
        "anchoring": _anchoring(_agreement_by_record(rows, judge), blind, seed),
        "trust_agreement": TRUST_AGREEMENT,
    }
