"""Stream HH-RLHF conversations from local ``*.jsonl.gz`` files / folders or the Hugging Face Hub.

Every record is a JSON object whose ``chosen`` (and ``rejected``) value is a transcript::

    "\\n\\nHuman: <turn>\\n\\nAssistant: <turn>\\n\\nHuman: ..."

Only the first human turn is needed for coverage, so the reader extracts it without splitting
the whole transcript. Bad input never stops the stream: each bad line becomes a
:class:`Malformed` item with a reason, and the caller counts them.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rlhf_argilla.errors import AnalysisError
from rlhf_argilla.schema.progress import Progress, Tally

__all__ = [
    "HUB_ID",
    "HUMAN",
    "ASSISTANT",
    "Conversation",
    "Malformed",
    "LocalFile",
    "HubDataset",
    "first_human_turn",
    "split_turns",
    "first_turn_of_record",
    "resolve_inputs",
    "iter_conversations",
]

HUB_ID = "Anthropic/hh-rlhf"
HUMAN = "\n\nHuman:"
ASSISTANT = "\n\nAssistant:"
_ROLE_MARK = re.compile(r"\n\n(Human|Assistant):")
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
_SUFFIXES = (".jsonl.gz", ".jsonl")


@dataclass(frozen=True, slots=True)
class Conversation:
    """One HH-RLHF record reduced to what the analysis needs."""

    source: str
    line: int
    first_turn: str


@dataclass(frozen=True, slots=True)
class Malformed:
    """A line that could not be read as an HH-RLHF record, and why."""

    source: str
    line: int
    reason: str


@dataclass(frozen=True)
class LocalFile:
    path: Path
    name: str  # path relative to the folder it was found in, or the path as given

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class HubDataset:
    repo_id: str
    split: str = "train"

    @property
    def name(self) -> str:
        return f"{self.repo_id}:{self.split}"


def first_human_turn(transcript: str) -> str | None:
    """The text of the first human turn, or ``None`` if the transcript does not start with one.

    Args:
        transcript: an HH-RLHF ``chosen`` or ``rejected`` string.

    Returns:
        The first turn without surrounding white space ("" if it is empty), or ``None``.

    Example:
        >>> first_human_turn("\\n\\nHuman: How do I squat?\\n\\nAssistant: Feet apart...")
        'How do I squat?'
        >>> first_human_turn("Assistant: hi") is None
        True
    """
    text = transcript.lstrip(" \n")
    if not text.startswith("Human:"):
        return None
    start = len("Human:")
    end = len(text)
    for marker in (ASSISTANT, HUMAN):
        found = text.find(marker, start)
        if found != -1 and found < end:
            end = found
    return text[start:end].strip()


def split_turns(transcript: str) -> list[tuple[str, str]]:
    """Every turn of a transcript as ``(role, text)`` pairs, role "Human" or "Assistant".

    Example:
        >>> split_turns("\\n\\nHuman: a\\n\\nAssistant: b\\n\\nHuman: c")
        [('Human', 'a'), ('Assistant', 'b'), ('Human', 'c')]
    """
    parts = _ROLE_MARK.split("\n\n" + transcript.lstrip(" \n"))
    return [(parts[index], parts[index + 1].strip()) for index in range(1, len(parts) - 1, 2)]


def first_turn_of_record(record: Any) -> str:
    """The first human turn of a decoded record, or raise ``ValueError`` with a short reason.

    ``chosen`` is used; ``rejected`` only when ``chosen`` is missing or not a string.

    Example:
        >>> first_turn_of_record({"chosen": "\\n\\nHuman: hi\\n\\nAssistant: hello"})
        'hi'
    """
    if not isinstance(record, dict):
        raise ValueError("not_an_object")
    transcript = record.get("chosen")
    if not isinstance(transcript, str):
        transcript = record.get("rejected")
    if not isinstance(transcript, str):
        raise ValueError("missing_transcript")
    turn = first_human_turn(transcript)
    if turn is None:
        raise ValueError("no_human_turn")
    if not turn:
        raise ValueError("empty_human_turn")
    return turn


def resolve_inputs(data: Sequence[str], split: str = "train") -> list[LocalFile | HubDataset]:
    """Turn ``--data`` values into readable inputs: files, folders (searched recursively) or Hub ids.

    Raises:
        AnalysisError: a path does not exist and is no Hub id, or a folder holds no ``*.jsonl(.gz)``.
    """
    inputs: list[LocalFile | HubDataset] = []
    for value in data or [HUB_ID]:
        path = Path(value).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(_SUFFIXES))
            if not found:
                raise AnalysisError(f"{value}: no *.jsonl.gz or *.jsonl files in this folder")
            inputs.extend(LocalFile(p, p.relative_to(path).as_posix()) for p in found)
        elif path.is_file():
            inputs.append(LocalFile(path, value))
        elif _HUB_ID.fullmatch(value) and not value.endswith(_SUFFIXES):
            inputs.append(HubDataset(value, split))
        else:
            raise AnalysisError(
                f"{value}: no such file or folder; pass *.jsonl.gz files, folders of them, "
                f"or a Hub dataset id such as {HUB_ID}"
            )
    return inputs


def _parse_line(raw: bytes) -> str:
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValueError("invalid_json") from None
    return first_turn_of_record(record)


def _iter_file(item: LocalFile, progress: Tally | None) -> Iterator[Conversation | Malformed]:
    line = 0
    with open(item.path, "rb") as raw_file:
        handle = gzip.GzipFile(fileobj=raw_file) if item.path.name.endswith(".gz") else raw_file
        reported = 0
        try:
            for line, raw in enumerate(handle, start=1):
                if progress is not None and line % 256 == 0:
                    position = raw_file.tell()
                    progress.add(position - reported)
                    reported = position
                if not raw.strip():
                    continue
                try:
                    yield Conversation(item.name, line, _parse_line(raw))
                except ValueError as reason:
                    yield Malformed(item.name, line, str(reason))
        except (EOFError, OSError, zlib.error):  # truncated or corrupt gzip: keep what was read
            yield Malformed(item.name, line + 1, "unreadable_rest_of_file")
        if progress is not None:
            progress.add(item.size - reported)


def _iter_hub(item: HubDataset) -> Iterator[Conversation | Malformed]:
    try:
        from datasets import load_dataset

        rows = iter(load_dataset(item.repo_id, split=item.split, streaming=True))
        for line, record in enumerate(rows, start=1):
            try:
                yield Conversation(item.name, line, first_turn_of_record(record))
            except ValueError as reason:
                yield Malformed(item.name, line, str(reason))
    except Exception as error:  # network, auth, unknown repo or split: one actionable line
        if isinstance(error, AnalysisError):
            raise
        raise AnalysisError(
            f"cannot stream {item.name} from the Hugging Face Hub ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:160] if str(error) else ''}); "
            "check the network and dataset id, or give local *.jsonl.gz files as the data inputs"
        ) from error


def iter_conversations(
    inputs: Sequence[LocalFile | HubDataset], progress: Progress | None = None
) -> Iterator[Conversation | Malformed]:
    """Stream every record of every input, in order, one item per non-blank line.

    Args:
        inputs: from :func:`resolve_inputs`.
        progress: input bytes read so far (compressed bytes for ``.gz`` files) and their total
            (None when a Hub dataset is among the inputs).

    Returns:
        An iterator of :class:`Conversation` and :class:`Malformed` items; memory use does not
        grow with the input size.
    """
    local = [item.size for item in inputs if isinstance(item, LocalFile)]
    tally = Tally(progress, sum(local) if len(local) == len(inputs) else None) if progress else None
    for item in inputs:
        if isinstance(item, HubDataset):
            yield from _iter_hub(item)
        else:
            yield from _iter_file(item, tally)
