"""Push pairs into an Argilla dataset: batched, streaming, idempotent, schema-checked.

``pairs.jsonl`` is read twice, line by line: a first pass validates every row (so a bad file fails
before anything is written) and counts them; the second pass pushes one batch at a time, so memory
stays proportional to a batch. For each batch the records already stored under the same ids are
looked up (ids = ``pair_id``) with their content hash: unchanged records are skipped without any
write, changed ones are updated in place, new ones created.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.blind import BlindPlan
from rlhf_argilla.annotation.kind_metadata import kind_properties
from rlhf_argilla.annotation.pairs_file import check_pairs, iter_pairs, pairs_path
from rlhf_argilla.annotation.records import pair_to_record
from rlhf_argilla.annotation.signature import settings_signature, signature_difference
from rlhf_argilla.annotation.vectors import ensure_vector_field, with_vectors
from rlhf_argilla.errors import ArgillaError
from rlhf_argilla.gateway import argilla_errors, ensure_workspace
from rlhf_argilla.schema import PairRow
from rlhf_argilla.schema.progress import Progress, Tally, with_total

if TYPE_CHECKING:
    import argilla as rg

    from rlhf_argilla.annotation.controls import ControlMark, ControlPlan

__all__ = [
    "PushReport",
    "pairs_path",
    "iter_pairs",
    "check_pairs",
    "ensure_dataset",
    "push_pairs",
    "push_file",
    "stored_hashes",
    "stored_metadata",
    "BATCH_SIZE",
    "LOOKUP_SIZE",
]

#: records per upsert request (the server accepts at most 500)
BATCH_SIZE = 500
#: ids per look-up query (the server accepts at most 250 terms per filter)
LOOKUP_SIZE = 250


@dataclass
class PushReport:
    """What a push did."""

    dataset: str
    workspace: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    controls: int = 0  # control items among them (hidden metadata, see annotation.controls)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


#: what a failed push adds to a server or network failure
RERUN = "rerun the same push: records already pushed are skipped"


def ensure_dataset(
    client: rg.Argilla, name: str, workspace: str, annotators_per_record: int | None = None
) -> rg.Dataset:
    """The dataset ``workspace/name``, created (with its workspace) when missing.

    An existing dataset must have the expected fields, questions and metadata, or an
    ``ArgillaError`` is raised before anything is written. ``annotators_per_record`` given and
    different from the stored distribution updates it; ``None`` keeps it (default 2 on creation).
    """
    import argilla as rg

    from rlhf_argilla.annotation.push_repair import create_or_join, settled_dataset

    with argilla_errors(f"preparing dataset {workspace}/{name}", retry=RERUN, wrap_all=True):
        dataset = settled_dataset(client, name, workspace)  # a draft left by a killed push is redone
        expected = names.build_settings(client, annotators_per_record or names.DEFAULT_ANNOTATORS_PER_RECORD)
        if dataset is None:
            dataset = create_or_join(client, name, ensure_workspace(client, workspace), expected)
        stored = {m.name for m in dataset.settings.metadata}
        late = [  # created before these existed
            names.blind_property(client),
            *kind_properties(client),
            *names.control_properties(client),
        ]
        if missing := [prop for prop in late if prop.name not in stored]:
            for prop in missing:
                dataset.settings.metadata.add(prop)
            dataset.update()
        _check_schema(dataset, expected)
        ensure_vector_field(dataset)  # created before vectors were pushed
        wanted = annotators_per_record
        if wanted is not None and dataset.settings.distribution.min_submitted != wanted:
            dataset.settings.distribution = rg.TaskDistribution(min_submitted=wanted)
            dataset.update()
        return dataset


def _check_schema(dataset: rg.Dataset, expected: rg.Settings) -> None:
    want = settings_signature(expected.serialize())
    have = settings_signature(dataset.settings.serialize())
    difference = signature_difference(want, have)
    missing_metadata = sorted(set(names.METADATA_NAMES) - {m.name for m in dataset.settings.metadata})
    if missing_metadata:
        difference = "; ".join(filter(None, [difference, f"metadata missing: {', '.join(missing_metadata)}"]))
    if difference:
        raise ArgillaError(
            f"dataset {dataset.workspace.name}/{dataset.name} exists with a different schema ({difference}): "
            "push to a new dataset name, or delete the old dataset first"
        )


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _stored(dataset: rg.Dataset, ids: list[str]) -> dict[str, tuple[Any, dict[str, Any]]]:
    """``{record id: (server id, stored metadata)}`` for those of ``ids`` stored in the dataset."""
    import argilla as rg

    found: dict[str, tuple[Any, dict[str, Any]]] = {}
    for chunk in _batches(ids, LOOKUP_SIZE):
        query = rg.Query(filter=rg.Filter([("id", "in", chunk)]))
        for record in dataset.records(
            query=query, batch_size=LOOKUP_SIZE, with_suggestions=False, with_responses=False
        ):
            found[str(record.id)] = (record._server_id, dict(record.metadata or {}))
    return found


def stored_metadata(dataset: rg.Dataset, ids: list[str]) -> dict[str, dict[str, Any]]:
    """``{record id: stored metadata}`` for those of ``ids`` that exist in the dataset."""
    return {key: metadata for key, (_, metadata) in _stored(dataset, ids).items()}


def _drop_suggestions(dataset: rg.Dataset, server_ids: list[Any]) -> None:
    """Delete every suggestion of these records (an upsert without suggestions keeps the old ones)."""
    http = dataset._client.http_client
    for server_id in server_ids:
        path = f"/api/v1/records/{server_id}/suggestions"
        items = http.get(path).raise_for_status().json()["items"]
        if items:
            http.delete(path, params={"ids": ",".join(item["id"] for item in items)}).raise_for_status()


def stored_hashes(dataset: rg.Dataset, ids: list[str]) -> dict[str, str | None]:
    """``{record id: stored content hash}`` for those of ``ids`` that exist in the dataset."""
    return {key: meta.get(names.META_CONTENT_HASH) for key, meta in stored_metadata(dataset, ids).items()}


def _stored_blind(metadata: dict[str, Any] | None) -> bool | None:
    """The stored slice; a record pushed before blind slices existed was shown with suggestions."""
    if metadata is None:
        return None
    return bool(metadata.get(names.META_BLIND, 0))


def _to_sdk(record: dict[str, Any]) -> rg.Record:
    import argilla as rg

    return rg.Record(
        id=record["id"],
        fields=record["fields"],
        metadata=record["metadata"],
        suggestions=[rg.Suggestion(**item) for item in record["suggestions"]],
        vectors=record.get("vectors") or {},
    )


def push_pairs(
    dataset: rg.Dataset,
    pairs: Iterable[PairRow],
    *,
    batch_size: int = BATCH_SIZE,
    on_progress: Progress | None = None,
    blind: BlindPlan | None = None,
    controls: Mapping[str, ControlMark] | None = None,
) -> PushReport:
    """Upsert the records of ``pairs`` into ``dataset``, skipping the unchanged ones.

    Args:
        dataset: from :func:`ensure_dataset`.
        pairs: any iterable (streamed; duplicates of one ``pair_id`` are pushed once).
        batch_size: records per upsert request (at most 500).
        on_progress: pairs handled so far, after each batch (the total is not known here: None).
        blind: which records go without suggestions (default ``BlindPlan()``: a seeded 20 %;
            records already stored keep their assignment).

    Returns:
        Counts of created, updated and unchanged records.
    """
    report = PushReport(dataset=dataset.name, workspace=dataset.workspace.name)
    batch_size = max(1, min(batch_size, BATCH_SIZE))
    plan, marks, handled = blind or BlindPlan(), controls or {}, Tally(on_progress)
    for batch in _batches(pairs, batch_size):
        unique = list({pair.pair_id: pair for pair in batch}.values())
        with argilla_errors(
            f"pushing to {report.workspace}/{report.dataset} after {report.total} records",
            retry=RERUN,
            wrap_all=True,
        ):
            found = _stored(dataset, [pair.pair_id for pair in unique])
            stored = {key: meta.get(names.META_CONTENT_HASH) for key, (_, meta) in found.items()}
            records = [
                pair_to_record(
                    pair,
                    blind=plan.is_blind(pair.pair_id, _stored_blind(found.get(pair.pair_id, (0, None))[1])),
                    control=marks.get(pair.pair_id),
                )
                for pair in unique
            ]
            with_vectors(records)  # the prompt vector; the content hash covers it
            todo = [r for r in records if stored.get(r["id"], "") != r["metadata"][names.META_CONTENT_HASH]]
            if todo:
                dataset.records.log([_to_sdk(record) for record in todo], batch_size=len(todo))
            turned_blind = [  # an upsert without suggestions keeps the stored ones: delete them
                found[r["id"]][0]
                for r in todo
                if r["id"] in found
                and r["metadata"][names.META_BLIND]
                and not found[r["id"]][1].get(names.META_BLIND)
            ]
            _drop_suggestions(dataset, turned_blind)
        report.updated += sum(1 for record in todo if record["id"] in stored)
        report.created += sum(1 for record in todo if record["id"] not in stored)
        report.unchanged += len(records) - len(todo)
        report.controls += sum(1 for pair in unique if pair.pair_id in marks)
        handled.add(len(batch))
    return report


def push_file(
    client: rg.Argilla,
    path: Path,
    *,
    dataset: str,
    workspace: str,
    annotators_per_record: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Progress | None = None,
    blind: BlindPlan | None = None,
    controls: ControlPlan | None = None,
) -> PushReport:
    """Validate ``path`` (a pairs.jsonl or its folder), prepare the dataset, then push it.

    Args:
        client: SDK client (``gateway.connect``).
        path: folder holding pairs.jsonl, or the file.
        dataset: dataset name; workspace: its workspace (both created if missing).
        annotators_per_record: ``TaskDistribution(min_submitted=...)``; ``None`` keeps the stored one.
        on_progress: records pushed of all (pairs and controls); first called with 0 after validation.
        blind: see :func:`push_pairs`.
        controls: how many control items to add (``annotation.controls``; None: none).

    Returns:
        The :class:`PushReport`.
    """
    file = pairs_path(path)
    total = check_pairs(file)
    from rlhf_argilla.annotation.controls import interleave, select_controls

    made = select_controls(iter_pairs(file), total, controls) if controls is not None else []
    progress = with_total(on_progress, total + len(made))
    progress(0, None)
    target = ensure_dataset(client, dataset, workspace, annotators_per_record)
    marks = {control.pair.pair_id: control.mark for control in made}
    pairs = interleave(iter_pairs(file), made)
    return push_pairs(target, pairs, batch_size=batch_size, on_progress=progress, blind=blind, controls=marks)
