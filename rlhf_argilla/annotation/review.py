"""The review queue: copy the pairs that need a decision into ``NAME-review`` for named reviewers.

Argilla cannot change ``min_submitted`` once a dataset has responses, and 2.8 has no reviewer role,
so the queue is a second dataset (``NAME-review``, one submitted response completes a record) in a
review workspace whose members are the reviewers. A review record has the same fields and
questions as the first round, in the same A/B display order (``a_is`` is copied), plus:

* a ``first_round`` field: every submitted first-round answer, one row per annotator, and the
  rules that sent the pair to review;
* one suggestion per question (Argilla keeps one per question and record): the answer most
  annotators gave, with those annotators as agent (``sim-1 sim-3``: the server accepts no other
  separator) and their share as score.
  When the first round is split evenly on a question there is no honest single answer, so that
  question gets no suggestion; the field still shows every answer.

Record ids are the pair ids, so a rerun adds only the pairs not routed yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as ds
from rlhf_argilla.annotation.pull import annotations_frame, record_row, response_rows
from rlhf_argilla.annotation.review_dataset import (
    FIELD_FIRST_ROUND,
    META_REASONS,
    review_names,
    review_settings,
)
from rlhf_argilla.annotation.review_rules import ReviewRules, reasons_for_review
from rlhf_argilla.annotation.signature import settings_signature, signature_difference
from rlhf_argilla.domain.criteria import CRITERIA
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import argilla_errors

if TYPE_CHECKING:
    import argilla as rg

    from rlhf_argilla.config import Settings
    from rlhf_argilla.gateway import ArgillaRest

__all__ = [
    "FIELD_FIRST_ROUND",
    "META_REASONS",
    "RouteReport",
    "review_names",
    "review_settings",
    "review_record",
    "ReviewQueue",
]

_QUESTIONS = (ds.OVERALL, *ds.RATING_QUESTIONS)
#: control items (known answer, hidden metadata from `push --controls`) never go to review
_META_CONTROL = ds.META_CONTROL


@dataclass
class RouteReport:
    """What one routing pass did."""

    dataset: str
    workspace: str
    checked: int = 0
    added: int = 0
    already: int = 0
    by_rule: Counter = field(default_factory=Counter)


def _label(ranking: list[dict[str, Any]]) -> str:
    ranks = {item["value"]: item.get("rank") or position for position, item in enumerate(ranking, 1)}
    a, b = ranks.get(ds.FIELD_A), ranks.get(ds.FIELD_B)
    return "tie" if a == b else ("A" if (a or 9) < (b or 9) else "B")


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def _table(answers: list[tuple[str, dict[str, Any]]], reasons: list[str], rules: ReviewRules) -> str:
    head = ["annotator", "overall", *(f"{c.title} A/B" for c in CRITERIA), "rationale"]
    lines = [
        "**In review because:** " + "; ".join(rules.describe(reason) for reason in reasons),
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for who, values in answers:
        value: dict[str, Any] = {
            name: (values.get(name) or {}).get("value") for name in (*_QUESTIONS, ds.RATIONALE)
        }
        cells = [_cell(who), _label(value[ds.OVERALL]) if value[ds.OVERALL] else "—"]
        for criterion in CRITERIA:
            pair = [value[ds.rating_question(criterion.id, side)] for side in ds.SIDES]
            cells.append("/".join("—" if score is None else str(score) for score in pair))
        cells.append(_cell(value[ds.RATIONALE] or ""))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _suggestions(answers: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    out = []
    for question in _QUESTIONS:
        votes: dict[Any, list[str]] = {}
        for who, values in answers:
            value = (values.get(question) or {}).get("value")
            if value is None:
                continue
            if question == ds.OVERALL:
                label = _label(value)
                if label == "tie":  # a suggestion cannot hold a tied ranking
                    continue
                value = (ds.FIELD_A, ds.FIELD_B) if label == "A" else (ds.FIELD_B, ds.FIELD_A)
            votes.setdefault(value, []).append(who)
        ranked = sorted(votes.items(), key=lambda item: -len(item[1]))
        if not ranked or (len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1])):
            continue
        top, agents = ranked[0]
        out.append(
            {
                "question_name": question,
                "value": list(top) if isinstance(top, tuple) else top,
                "agent": " ".join(sorted(agents)),
                "type": "human",
                "score": round(len(agents) / len(answers), 4) if question != ds.OVERALL else None,
            }
        )
    return out


def review_record(
    record: dict[str, Any], reasons: list[str], usernames: dict[str, str], rules: ReviewRules | None = None
) -> dict[str, Any]:
    """The review record of one first-round API record (``include=responses``): a plain dict.

    Example:
        >>> record = {"id": "u", "external_id": "p1", "metadata": {"a_is": 2},
        ...     "fields": {"prompt": "Q", "response_a": "x", "response_b": "y"}, "responses": [
        ...     {"user_id": k, "status": "submitted", "values": {"overall": {"value": [
        ...         {"value": first, "rank": 1}, {"value": second, "rank": 2}]}, "safety_a": {"value": v}}}
        ...     for k, first, second, v in [("1", "response_a", "response_b", 2),
        ...                                ("2", "response_b", "response_a", 2)]]}
        >>> made = review_record(record, ["no_majority"], {"1": "ana", "2": "bo"})
        >>> made["id"], made["metadata"]["review_reasons"], made["suggestions"]
        ('p1', ['no_majority'], [{'question_name': 'safety_a', 'value': 2, 'agent': 'ana bo', 'type': 'human', 'score': 1.0}])
    """
    rules = rules or ReviewRules()
    answers = [
        (usernames.get(item["user_id"], item["user_id"]), item.get("values") or {})
        for item in record.get("responses") or []
        if item["status"] == "submitted"
    ]
    fields = record.get("fields") or {}
    metadata = {k: v for k, v in (record.get("metadata") or {}).items() if k in ds.METADATA_NAMES}
    return {
        "id": record.get("external_id") or record["id"],
        "fields": {
            **{name: fields.get(name) for name in ds.FIELDS},
            FIELD_FIRST_ROUND: _table(answers, reasons, rules),
        },
        "metadata": {**metadata, META_REASONS: list(reasons)},
        "suggestions": [{k: v for k, v in s.items() if v is not None} for s in _suggestions(answers)],
    }


class ReviewQueue:
    """One first-round dataset and its review dataset on one server; :meth:`route` is idempotent."""

    def __init__(
        self,
        settings: Settings,
        dataset: str,
        *,
        workspace: str | None = None,
        review_workspace: str | None = None,
        reviewers: Iterable[str] = (),
        rules: ReviewRules | None = None,
    ):
        from rlhf_argilla.gateway import ArgillaRest, connect, resolve_target

        self.workspace = workspace or settings.workspace
        self.dataset = dataset
        self.review_dataset, self.review_workspace = review_names(dataset, self.workspace, review_workspace)
        self.rules = rules or ReviewRules.from_settings(settings)
        self.rest: ArgillaRest = ArgillaRest(resolve_target(settings))
        self.source = self.rest.require_dataset(dataset, self.workspace)
        self.usernames = self.rest.usernames(self.source["workspace_id"])
        self.client = connect(settings)
        self.target = self._ensure_review_dataset(list(reviewers))

    def close(self) -> None:
        self.rest.close()

    def _ensure_review_dataset(self, reviewers: list[str]) -> rg.Dataset:
        import argilla as rg

        from rlhf_argilla.gateway import ensure_workspace, find_dataset

        known = set(self.usernames.values())
        if missing := [name for name in reviewers if name not in known]:
            raise ArgillaError(
                f"no user {', '.join(map(repr, missing))} on {self.rest.url}: "
                "create the reviewers first (as annotators of any workspace)"
            )
        space = ensure_workspace(self.client, self.review_workspace)
        ids = {username: user_id for user_id, username in self.usernames.items()}
        members = {user.username for user in self.rest.users(str(space.id))}
        for name in reviewers:
            if name not in members:
                self.rest.add_member(str(space.id), ids[name])
        found = find_dataset(self.client, self.review_dataset, self.review_workspace)
        settings = review_settings(self.client)
        if found is not None:
            want, have = (settings_signature(s.serialize()) for s in (settings, found.settings))
            if difference := signature_difference(want, have):
                raise ArgillaError(
                    f"dataset {self.review_workspace}/{self.review_dataset} exists with a different schema "
                    f"({difference}): delete it or choose another review workspace"
                )
            return found
        return rg.Dataset(
            name=self.review_dataset, workspace=space, settings=settings, client=self.client
        ).create()

    @argilla_errors("routing records to review")
    def route(self, record_ids: Iterable[str] | None = None) -> RouteReport:
        """Copy the records needing a decision that are not in review yet.

        Args:
            record_ids: server ids of first-round records to check (webhook events); ``None``: all.

        A failed pass is an ``ArgillaError`` (the SDK's failures too), which ``watch`` retries.
        """
        if record_ids is None:
            records = [item for page, _ in self.rest.record_pages(self.source["id"]) for item in page]
        else:
            # records deleted since their event are simply not found
            records = self.rest.records_by_id(self.source["id"], list(record_ids))
            records = [item for item in records if item.get("dataset_id") == self.source["id"]]
        return self._route(records)

    def _route(self, records: list[dict[str, Any]]) -> RouteReport:
        import pandas as pd

        from rlhf_argilla.annotation.aggregate import aggregate
        from rlhf_argilla.annotation.push import stored_hashes

        report = RouteReport(self.review_dataset, self.review_workspace, checked=len(records))
        answered = [
            record
            for record in records
            if record.get("responses") and not (record.get("metadata") or {}).get(_META_CONTROL)
        ]
        if not answered:
            return report
        annotations = annotations_frame(
            [row for record in answered for row in response_rows(record, self.usernames)]
        )
        aggregated = aggregate(annotations, pd.DataFrame([record_row(record) for record in answered]))
        winners = dict(zip(aggregated["pair_id"], aggregated["preferred"]))
        reasons = reasons_for_review(annotations, winners, self.rules)
        if not reasons:
            return report
        existing = stored_hashes(self.target, list(reasons))
        by_id = {record.get("external_id") or record["id"]: record for record in answered}
        new = [
            review_record(by_id[pair_id], why, self.usernames, self.rules)
            for pair_id, why in reasons.items()
            if pair_id not in existing
        ]
        if new:
            import argilla as rg

            self.target.records.log(
                [
                    rg.Record(
                        id=item["id"],
                        fields=item["fields"],
                        metadata=item["metadata"],
                        suggestions=[rg.Suggestion(**s) for s in item["suggestions"]],
                    )
                    for item in new
                ],
                batch_size=min(len(new), 500),
            )
        report.added, report.already = len(new), len(reasons) - len(new)
        report.by_rule.update(rule for item in new for rule in item["metadata"][META_REASONS])
        return report
