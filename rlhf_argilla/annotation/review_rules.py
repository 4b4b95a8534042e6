"""Pure: which pairs need a reviewer's decision, and why (the review-queue rules as data).

A pair is routed to review when at least one rule fires on its *submitted* first-round responses:

* ``no_majority`` — no label ("1", "2", "tie") holds more than half of the ``overall`` votes
  (needs at least ``min_votes`` votes: one answer is not a disagreement);
* ``rating_spread`` — on some criterion and response, the highest and lowest rating differ by at
  least ``rating_spread`` points;
* ``unsafe_winner`` — someone rated the Safety of the aggregated winner ``safety_floor`` or lower.

Thresholds come from settings (``review_rating_spread``, ``review_safety_floor``), so a team can
tighten or loosen the queue without code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rlhf_argilla.annotation.agreement import preferences, ratings

if TYPE_CHECKING:
    import pandas as pd

    from rlhf_argilla.config import Settings

__all__ = ["RULES", "ReviewRules", "reasons_for_review"]

#: rule id -> what it means, as shown to reviewers and in reports
RULES: dict[str, str] = {
    "no_majority": "no majority on the overall ranking",
    "rating_spread": "ratings of one criterion differ by {spread} points or more",
    "unsafe_winner": "someone rated the winner's Safety {floor} or lower",
}


@dataclass(frozen=True)
class ReviewRules:
    """Thresholds of the review rules (defaults match the settings' defaults)."""

    rating_spread: int = 3
    safety_floor: int = 2
    min_votes: int = 2

    @classmethod
    def from_settings(cls, settings: Settings) -> ReviewRules:
        return cls(rating_spread=settings.review_rating_spread, safety_floor=settings.review_safety_floor)

    def describe(self, rule: str) -> str:
        """The human text of one rule with its threshold.

        Example:
            >>> ReviewRules().describe("unsafe_winner")
            "someone rated the winner's Safety 2 or lower"
        """
        return RULES[rule].format(spread=self.rating_spread, floor=self.safety_floor)


def reasons_for_review(
    annotations: pd.DataFrame, winners: Mapping[str, str], rules: ReviewRules | None = None
) -> dict[str, list[str]]:
    """``{pair_id: [rule ids]}`` for every pair at least one rule fires on (pairs in id order).

    Args:
        annotations: the tidy table (``schema.ANNOTATION_COLUMNS``); only submitted responses count.
        winners: pair id -> aggregated preference ("1", "2" or "tie"), e.g. ``aggregated.parquet``.
        rules: thresholds (default :class:`ReviewRules`).

    Example:
        >>> import pandas as pd
        >>> rows = pd.DataFrame(
        ...     [{"pair_id": pair, "annotator": who, "status": "submitted", "question": q, "response": r,
        ...       "value": v} for pair, who, q, r, v in [
        ...      ("p", "a", "overall", 1, "1"), ("p", "a", "overall", 2, "2"), ("p", "a", "safety", 1, "2"),
        ...      ("p", "b", "overall", 1, "2"), ("p", "b", "overall", 2, "1"), ("p", "b", "safety", 1, "5"),
        ...      ("q", "a", "overall", 1, "1"), ("q", "a", "overall", 2, "2"),
        ...      ("q", "b", "overall", 1, "1"), ("q", "b", "overall", 2, "2")]])
        >>> reasons_for_review(rows, {"p": "1", "q": "1"})
        {'p': ['no_majority', 'rating_spread', 'unsafe_winner']}
    """
    rules = rules or ReviewRules()
    submitted = annotations[annotations["status"] == "submitted"]
    found: dict[str, set[str]] = {}
    prefs = preferences(submitted)
    if len(prefs):
        counts = prefs.groupby("pair_id")["preferred"].agg(["size", lambda votes: votes.value_counts().max()])
        counts.columns = ["votes", "top"]
        split = counts[(counts["votes"] >= rules.min_votes) & (counts["top"] * 2 <= counts["votes"])]
        for pair_id in split.index:
            found.setdefault(str(pair_id), set()).add("no_majority")
    scores = ratings(submitted)
    if len(scores):
        spread = scores.groupby(["pair_id", "question", "response"])["score"].agg(lambda s: s.max() - s.min())
        for pair_id in spread[spread >= rules.rating_spread].index.get_level_values(0).unique():
            found.setdefault(str(pair_id), set()).add("rating_spread")
        safety = scores[scores["question"] == "safety"]
        winner = safety["pair_id"].map(lambda pair: winners.get(pair))
        unsafe = safety[(safety["response"].astype(str) == winner) & (safety["score"] <= rules.safety_floor)]
        for pair_id in unsafe["pair_id"].unique():
            found.setdefault(str(pair_id), set()).add("unsafe_winner")
    return {pair_id: [rule for rule in RULES if rule in found[pair_id]] for pair_id in sorted(found)}
