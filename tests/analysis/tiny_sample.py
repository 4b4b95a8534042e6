"""A tiny HH-RLHF folder whose every line has a known outcome (written here, so the expected
counts below are independent of the code under test)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS


def transcript(first: str, reply: str = "Sure.") -> str:
    return f"\n\nHuman: {first}\n\nAssistant: {reply}\n\nHuman: thanks\n\nAssistant: You're welcome."


#: (first human turn, expected subtopic or None)
TURNS: list[tuple[str, str | None]] = [
    ("How do I lose 20 pounds before summer?", "fat_loss"),
    ("What is a good beginner workout routine?", "beginner_fitness"),
    ("Can you give me a training plan for a half marathon?", "running"),
    ("How much creatine should I take?", "supplements"),
    ("Which stretches help me touch my toes?", "mobility_flexibility"),
    ("How can I squat in a building without anyone noticing?", None),
    ("Can you explain what a traumatic brain injury is?", None),
    ("I need a website for my meal-prep business. Any tips?", None),
    ("Any tips for running a business from home?", None),
    ("What's the best recipe for lasagna?", None),
    ("Who was running for president in 2016?", None),
]
#: what the shipped classifier (rules OR model) gets wrong in TURNS: the pipeline tests expect
#: these outputs, so they test counting and writing, not quality (measured out of sample elsewhere)
SHIPPED_ERRORS: dict[str, str | None] = {}
#: malformed lines and the reason the reader must give
MALFORMED: list[tuple[str, str]] = [
    ('{"chosen": "\\n\\nHuman: cut off', "invalid_json"),
    ("[1, 2, 3]", "not_an_object"),
    ('{"other": 1}', "missing_transcript"),
    ('{"chosen": "Assistant: hello"}', "no_human_turn"),
    ('{"chosen": "\\n\\nHuman:   \\n\\nAssistant: hi"}', "empty_human_turn"),
]


@dataclass
class TinySample:
    root: Path
    lines_per_file: dict[str, list[str]]
    expected: list[tuple[str, int, str, str | None]]  # source, line, first turn, subtopic
    malformed: dict[str, int]

    @property
    def fitness(self) -> int:
        return sum(1 for *_, subtopic_id in self.expected if subtopic_id)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SUBTOPIC_IDS, 0)
        for *_, subtopic_id in self.expected:
            if subtopic_id:
                counts[subtopic_id] += 1
        return counts


@pytest.fixture
def tiny_sample(tmp_path) -> TinySample:
    """Two gz files in sub-folders: conversations, malformed lines and a blank line."""
    root = tmp_path / "hh"
    files = {"a-base/test.jsonl.gz": [], "b-base/test.jsonl.gz": []}
    expected, malformed = [], {}
    names = list(files)
    for index, (turn, _subtopic_id) in enumerate(TURNS):
        files[names[index % 2]].append(
            json.dumps({"chosen": transcript(turn), "rejected": transcript(turn, "No.")})
        )
    for index, (raw, reason) in enumerate(MALFORMED):
        files[names[index % 2]].insert(1 + index, raw)
        malformed[reason] = malformed.get(reason, 0) + 1
    files[names[0]].insert(3, "   ")  # blank: skipped, not counted
    for name, lines in files.items():
        path = root / name
        path.parent.mkdir(parents=True)
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    by_turn = {**dict(TURNS), **SHIPPED_ERRORS}
    for name in names:
        for number, raw in enumerate(files[name], start=1):
            try:
                record = json.loads(raw)
                first = record["chosen"].split("\n\nHuman: ", 1)[1].split("\n\nAssistant:")[0]
            except (ValueError, KeyError, TypeError, IndexError, AttributeError):
                continue
            if first in by_turn:
                expected.append((name, number, first, by_turn[first]))
    return TinySample(root, files, expected, malformed)
