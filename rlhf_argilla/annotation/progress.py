"""Annotation progress: per-record completion and per-annotator counts, read from the REST API.

Records are paged straight from the server's record list (the database, not the search index), with
every user's response, so drafts and discarded responses without any answer are counted too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rlhf_argilla.gateway import ArgillaRest, require_dataset
from rlhf_argilla.schema import ANNOTATION_STATUSES

if TYPE_CHECKING:
    import argilla as rg

    from rlhf_argilla.gateway import ArgillaTarget

__all__ = [
    "RecordProgress",
    "AnnotatorProgress",
    "DatasetProgress",
    "record_progress",
    "annotator_progress",
    "fetch_progress",
]


@dataclass(frozen=True)
class RecordProgress:
    """One record: its server status and its responses counted by status."""

    pair_id: str
    status: str  # "pending" | "completed" (the server's view, from the task distribution)
    submitted: int
    draft: int
    discarded: int
    responses: tuple[tuple[str, str], ...] = ()  # (user id, status) of every response


@dataclass(frozen=True)
class AnnotatorProgress:
    username: str
    submitted: int = 0
    draft: int = 0
    discarded: int = 0

    @property
    def touched(self) -> int:
        return self.submitted + self.draft + self.discarded


@dataclass
class DatasetProgress:
    dataset: str
    workspace: str
    min_submitted: int
    records: list[RecordProgress] = field(default_factory=list)
    annotators: list[AnnotatorProgress] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.records)

    @property
    def completed(self) -> int:
        return sum(1 for record in self.records if record.status == "completed")

    def submitted_histogram(self) -> dict[int, int]:
        """``{number of submitted responses: number of records}``, from 0 up."""
        counts = Counter(record.submitted for record in self.records)
        return {n: counts.get(n, 0) for n in range(0, max(counts, default=0) + 1)}


def record_progress(item: dict[str, Any]) -> RecordProgress:
    """Count the responses of one REST record by status.

    Example:
        >>> one = record_progress({"external_id": "p1", "status": "pending", "responses": [
        ...     {"user_id": "u1", "status": "submitted"}, {"user_id": "u2", "status": "draft"}]})
        >>> one.pair_id, one.submitted, one.draft, one.discarded, one.responses[1]
        ('p1', 1, 1, 0, ('u2', 'draft'))
    """
    responses = item.get("responses") or []
    counts = Counter(response["status"] for response in responses)
    return RecordProgress(
        pair_id=item.get("external_id") or str(item["id"]),
        status=item["status"],
        submitted=counts["submitted"],
        draft=counts["draft"],
        discarded=counts["discarded"],
        responses=tuple((str(response["user_id"]), response["status"]) for response in responses),
    )


def annotator_progress(
    records: Iterable[RecordProgress], usernames: dict[str, str], members: Iterable[str] = ()
) -> list[AnnotatorProgress]:
    """Per-annotator response counts by status; ``members`` without any response are listed with zeros.

    Args:
        records: from :func:`record_progress`.
        usernames: ``{user id: username}``.
        members: usernames of the workspace.

    Example:
        >>> one = RecordProgress("p1", "pending", 0, 0, 1, responses=(("u1", "discarded"),))
        >>> rows = annotator_progress([one], {"u1": "ann"}, ["bob"])
        >>> [(row.username, row.discarded, row.touched) for row in rows]
        [('ann', 1, 1), ('bob', 0, 0)]
    """
    counts: dict[str, Counter] = {name: Counter() for name in members}
    for record in records:
        for user_id, status in record.responses:
            counts.setdefault(usernames.get(user_id, user_id), Counter())[status] += 1
    return [
        AnnotatorProgress(name, **{status: counts[name][status] for status in ANNOTATION_STATUSES})
        for name in sorted(counts)
    ]


def fetch_progress(
    client: rg.Argilla, target: ArgillaTarget, dataset: str, workspace: str
) -> DatasetProgress:
    """Progress of ``workspace/dataset``: every record and every workspace member (SDK + REST)."""
    found = require_dataset(client, dataset, workspace)
    with ArgillaRest(target) as rest:
        space_id = str(found.workspace.id)
        usernames = rest.usernames(space_id)
        members = [user.username for user in rest.users(space_id)]
        pages = rest.record_pages(str(found.id), include=("responses",))
        records = [record_progress(item) for items, _total in pages for item in items]
    return DatasetProgress(
        dataset=dataset,
        workspace=workspace,
        min_submitted=found.settings.distribution.min_submitted,
        records=records,
        annotators=annotator_progress(records, usernames, members),
    )
