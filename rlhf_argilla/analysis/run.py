"""``analyze`` end to end: inputs -> stream -> classify -> tally -> outputs (+ optional labels file)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from rlhf_argilla.analysis.coverage import Coverage, CoverageTally
from rlhf_argilla.analysis.evaluate import Evaluation, LabelledTurn, evaluate, load_labelled, load_recorded
from rlhf_argilla.analysis.hh_rlhf import HUB_ID, Conversation, LocalFile, iter_conversations, resolve_inputs
from rlhf_argilla.analysis.model import load_all_labelled, normalised, shipped_classifier
from rlhf_argilla.analysis.report import write_outputs
from rlhf_argilla.errors import AnalysisError
from rlhf_argilla.schema import CONVERSATION_LABEL_COLUMNS
from rlhf_argilla.schema.progress import Progress

__all__ = ["AnalysisOutcome", "run_analysis", "total_input_bytes"]

_LABEL_FORMATS = (".csv", ".jsonl")
_BATCH = 1024  # turns classified together (the model is cheap per turn in batches)


@dataclass
class AnalysisOutcome:
    coverage: Coverage
    evaluation: Evaluation | None
    files: dict[str, Path]
    held_out_of: int = 0  # turns in the --evaluate file (the evaluation scores those not trained on)


def held_out(items: list[LabelledTurn]) -> list[LabelledTurn]:
    """The turns of a labelled set the shipped model was not fitted on (matched by normalised text)."""
    trained = {normalised(item.text) for item in load_all_labelled()}
    return [item for item in items if normalised(item.text) not in trained]


class _LabelWriter:
    """Streams one row per conversation to CSV or JSON Lines (chosen by the file suffix)."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        if path.suffix not in _LABEL_FORMATS:
            raise AnalysisError(f"labels file {path}: use a .csv or .jsonl file name")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.final, self.temporary = path, path.with_name(f".{path.name}.tmp")
        handle = stack.enter_context(open(self.temporary, "w", encoding="utf-8", newline=""))
        self._json = path.suffix == ".jsonl"
        self._handle = handle
        self._csv = None if self._json else csv.writer(handle)
        if self._csv is not None:
            self._csv.writerow(CONVERSATION_LABEL_COLUMNS)

    def write(self, item: Conversation, subtopic_id: str | None) -> None:
        if self._json:
            row = dict(
                zip(CONVERSATION_LABEL_COLUMNS, (item.source, item.line, item.first_turn, subtopic_id))
            )
            self._handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif self._csv is not None:
            self._csv.writerow((item.source, item.line, item.first_turn, subtopic_id or ""))


def total_input_bytes(data: Sequence[str]) -> int | None:
    """Size of the local inputs (progress total), ``None`` when a Hub dataset is among them."""
    inputs = resolve_inputs(data)
    local = [item for item in inputs if isinstance(item, LocalFile)]
    if len(local) != len(inputs):
        return None
    return sum(item.size for item in local)


def run_analysis(
    data: Sequence[str],
    out_dir: Path,
    labels: Path | None = None,
    labelled_set: Path | None = None,
    split: str = "train",
    progress: Progress | None = None,
) -> AnalysisOutcome:
    """Analyse HH-RLHF coverage of the fitness taxonomy and write the report files.

    Args:
        data: files, folders or a Hub id (empty: ``Anthropic/hh-rlhf``).
        out_dir: receives report.md, gaps.json, coverage.png.
        labels: optional per-conversation labels file (.csv or .jsonl).
        labelled_set: optional hand-labelled set, scored on its turns the model was not fitted on
            (a section of the report; the headline is the recorded out-of-sample evaluation).
        split: Hub split when reading from the Hub.
        progress: bytes of local files read so far, and their total (``hh_rlhf.iter_conversations``).

    Returns:
        The coverage, the evaluation (or ``None``) and the written files.
    """
    inputs = resolve_inputs(data, split)
    evaluation_set = load_labelled(labelled_set) if labelled_set is not None else None  # fail early
    classifier = shipped_classifier()
    recorded = load_recorded()
    tally = CoverageTally(list(data) or [HUB_ID])  # gaps.json "source": the inputs as given
    pending: list[Conversation] = []

    def flush() -> None:
        for item, subtopic_id in zip(pending, classifier.classify_many([c.first_turn for c in pending])):
            tally.add(item.source, item.line, item.first_turn, subtopic_id)
            if writer is not None:
                writer.write(item, subtopic_id)
        pending.clear()

    with ExitStack() as stack:
        writer = _LabelWriter(labels, stack) if labels is not None else None
        try:
            for item in iter_conversations(inputs, progress):
                if isinstance(item, Conversation):
                    pending.append(item)
                    if len(pending) >= _BATCH:
                        flush()
                else:
                    tally.add_malformed(item.reason)
            flush()
        except BaseException:  # interrupted or failed: leave no half-written labels file behind
            if writer is not None:
                stack.close()
                writer.temporary.unlink(missing_ok=True)
            raise
    coverage = tally.result()
    if coverage.conversations == 0:  # nothing usable: an error, not a uniform gaps.json
        if writer is not None:
            writer.temporary.unlink(missing_ok=True)
        skipped = f" ({coverage.malformed_total} malformed lines skipped)" if coverage.malformed_total else ""
        raise AnalysisError(
            f"no HH-RLHF conversation in {', '.join(map(str, data)) or HUB_ID}{skipped}: pass *.jsonl.gz "
            "files of {chosen, rejected} transcripts (gzip-compressed JSON Lines)"
        )
    if writer is not None:
        os.replace(writer.temporary, writer.final)
    evaluation = None
    if evaluation_set is not None:
        unseen = held_out(evaluation_set)
        predicted = dict(
            zip([item.text for item in unseen], classifier.classify_many([i.text for i in unseen]))
        )
        evaluation = evaluate(predicted.__getitem__, unseen)
    files = write_outputs(
        out_dir,
        coverage,
        evaluation,
        classifier.name,
        str(labelled_set) if labelled_set is not None else None,
        recorded=recorded,
        evaluated_of=len(evaluation_set or ()),
    )
    if writer is not None:
        files["labels"] = writer.final
    return AnalysisOutcome(coverage, evaluation, files, len(evaluation_set or ()))
