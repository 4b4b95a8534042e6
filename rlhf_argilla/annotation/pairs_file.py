"""Reading a ``pairs.jsonl`` for a push: where it is, and every line checked before anything is written.

A line must be a valid pair with known subtopic/persona/difficulty and no empty prompt or response; a
``pair_id`` seen before with other content is an error naming both lines (an exact repeat is skipped).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rlhf_argilla.domain.askers import DIFFICULTIES, PERSONAS
from rlhf_argilla.domain.taxonomy import SUBTOPIC_IDS
from rlhf_argilla.errors import InputError, first_problem
from rlhf_argilla.schema import PAIRS_FILE, PairRow

__all__ = ["pairs_path", "check_name", "iter_pairs", "check_pairs"]

_ALLOWED = {
    "subtopic": set(SUBTOPIC_IDS),
    "persona": {p.id for p in PERSONAS},
    "difficulty": {d.id for d in DIFFICULTIES},
}


def pairs_path(path: Path) -> Path:
    """``path`` itself if it is a file, else ``path/pairs.jsonl``; a clear error if missing."""
    file = path if path.is_file() else path / PAIRS_FILE
    if not file.is_file():
        raise InputError(f"no {PAIRS_FILE} in {path}: give the folder `rlhf-argilla generate pairs` wrote")
    return file


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def check_name(kind: str, name: str) -> str:
    """``name`` if Argilla accepts it as a workspace or dataset name, else a one-line error."""
    if not _NAME.match(name):
        raise InputError(
            f"invalid {kind} name {name!r}: use letters, digits, '-', '_' or '.' (e.g. fitness-prefs)"
        )
    return name


def _blank_field(pair: PairRow) -> str | None:
    for name, text in (
        ("prompt", pair.prompt),
        ("response_1", pair.response_1.text),
        ("response_2", pair.response_2.text),
    ):
        if not text.strip():
            return name
    return None


def iter_pairs(file: Path) -> Iterator[PairRow]:
    """Stream validated pairs from a pairs.jsonl file (blank lines skipped).

    A pair with an empty prompt or response, or a ``pair_id`` seen before with other content, is an
    error naming the line(s); an exact repeat of an earlier line is skipped.
    """
    from pydantic import ValidationError

    seen: dict[str, tuple[int, int]] = {}  # pair_id -> (line, hash of the line's content)
    with open(file, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                pair = PairRow.model_validate_json(line)
            except ValidationError as error:
                raise InputError(
                    f"{file}:{number}: {first_problem(error, 'line')} (fix or regenerate the pairs)"
                ) from None
            for key, allowed in _ALLOWED.items():
                if getattr(pair, key) not in allowed:
                    raise InputError(
                        f"{file}:{number}: unknown {key} {getattr(pair, key)!r}; "
                        f"known: {', '.join(sorted(allowed))}"
                    )
            blank = _blank_field(pair)
            if blank is not None:
                raise InputError(f"{file}:{number}: {blank} is empty; fix or regenerate the pair")
            content = hash(pair.model_dump_json())
            if pair.pair_id in seen:
                first, first_content = seen[pair.pair_id]
                if first_content != content:
                    raise InputError(
                        f"{file}: lines {first} and {number} share pair_id {pair.pair_id} with different "
                        "content; keep one of them (or regenerate the pairs)"
                    )
                continue
            seen[pair.pair_id] = (number, content)
            yield pair


def check_pairs(file: Path) -> int:
    """Validate the whole file without keeping it in memory; return the number of pairs in it."""
    count = sum(1 for _ in iter_pairs(file))
    if not count:
        raise InputError(f"{file} holds no pairs: generate some first")
    return count
