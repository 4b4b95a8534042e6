"""Pure: one pair (pairs.jsonl row) -> one Argilla record, as a plain dict.

Response 1 / 2 are shown as A / B in an order drawn per record from its ``pair_id`` (stable across
reruns, about half of the records swapped), and the mapping is kept in ``metadata["a_is"]``. Judge
scores become suggestions with the judge model as agent. ``metadata["content_hash"]`` covers
everything pushed, so a re-push can skip records whose hash is already stored.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from rlhf_argilla.annotation import settings as names
from rlhf_argilla.annotation.kind_metadata import kind_metadata
from rlhf_argilla.annotation.safe_text import escape_html
from rlhf_argilla.domain.criteria import CRITERION_IDS, SCALE
from rlhf_argilla.schema import PairRow, Response

if TYPE_CHECKING:
    from rlhf_argilla.annotation.controls import ControlMark

__all__ = ["RECORD_FORMAT_VERSION", "a_is", "displayed", "undo_display", "pair_to_record", "record_hash"]

#: bump when the record layout changes, so every record is rewritten by the next push
RECORD_FORMAT_VERSION = 1


def a_is(pair_id: str) -> int:
    """Which response (1 or 2) is shown as A for this pair: a stable coin flip on the id.

    Example:
        >>> a_is("0b9c2f1e5a7d3c44") in (1, 2)
        True
        >>> a_is("0b9c2f1e5a7d3c44") == a_is("0b9c2f1e5a7d3c44")
        True
    """
    return 1 + hashlib.sha256(f"ab-order:{pair_id}".encode()).digest()[0] % 2


def displayed(pair: PairRow) -> tuple[Response, Response]:
    """The responses in display order (A, B)."""
    return (
        (pair.response_1, pair.response_2) if a_is(pair.pair_id) == 1 else (pair.response_2, pair.response_1)
    )


def undo_display(side: str, shown_as_a: int) -> int:
    """The original response number (1 / 2) behind a display side ("a" / "b").

    Example:
        >>> undo_display("a", 2), undo_display("b", 2), undo_display("b", 1)
        (2, 1, 2)
    """
    if side not in names.SIDES or shown_as_a not in (1, 2):
        raise ValueError(f"side must be 'a' or 'b' and a_is 1 or 2, got {side!r}, {shown_as_a!r}")
    return shown_as_a if side == "a" else 3 - shown_as_a


def _suggestions(shown: tuple[Response, Response], rank: bool = True) -> list[dict[str, Any]]:
    """Per-criterion judge scores, and the ranking they imply unless ``rank`` is False (a judge verdict
    that flipped with the candidate order, ``generation.judge_swap``: no predicted preference)."""
    suggestions: list[dict[str, Any]] = []
    for side, response in zip(names.SIDES, shown):
        if response.judge is None:
            continue
        for criterion_id in CRITERION_IDS:
            suggestions.append(
                {
                    "question_name": names.rating_question(criterion_id, side),
                    "value": getattr(response.judge, criterion_id),
                    "agent": response.judge.judge_model,
                    "type": "model",
                }
            )
    judge_a, judge_b = shown[0].judge, shown[1].judge
    if rank and judge_a is not None and judge_b is not None and judge_a.mean() != judge_b.mean():
        order = (
            [names.FIELD_A, names.FIELD_B]
            if judge_a.mean() > judge_b.mean()
            else [names.FIELD_B, names.FIELD_A]
        )
        means = sorted((judge_a.mean(), judge_b.mean()), reverse=True)
        agents = sorted({judge_a.judge_model, judge_b.judge_model})
        suggestions.append(
            {
                "question_name": names.OVERALL,
                "value": order,
                "agent": "+".join(agents),
                "type": "model",
                # one score per ranked item: its mean judge score mapped from the 1-5 scale to 0-1
                "score": [round((mean - min(SCALE)) / (max(SCALE) - min(SCALE)), 4) for mean in means],
            }
        )
    return suggestions


def record_hash(record: dict[str, Any]) -> str:
    """16 hex digits of sha256 over the record (id, fields, metadata, suggestions, vectors), hash excluded.

    Example:
        >>> record = {"id": "p1", "fields": {"prompt": "hi"}, "metadata": {}, "suggestions": []}
        >>> record_hash(record) == record_hash({**record, "metadata": {"content_hash": "x"}})
        True
    """
    metadata = {k: v for k, v in record.get("metadata", {}).items() if k != names.META_CONTENT_HASH}
    payload = {
        "v": RECORD_FORMAT_VERSION,
        "id": record["id"],
        "fields": record["fields"],
        "metadata": metadata,
        "suggestions": record.get("suggestions", []),
        **({"vectors": record["vectors"]} if record.get("vectors") else {}),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def pair_to_record(pair: PairRow, blind: bool = False, control: ControlMark | None = None) -> dict[str, Any]:
    """The Argilla record for one pair: ``{"id", "fields", "metadata", "suggestions"}``.

    Args:
        pair: a validated pairs.jsonl row.
        blind: push it without the judge's suggestions (``metadata["blind"]`` = 1, see ``annotation.blind``).
        control: a control item's mark (``annotation.controls``): hidden ``control`` metadata, no suggestions.

    Returns:
        A plain dict; ``id`` is the ``pair_id``, ``metadata["a_is"]`` says which response is A and
        ``metadata["content_hash"]`` is :func:`record_hash` of the rest.

    Example:
        >>> from rlhf_argilla.schema import Selection
        >>> pair = PairRow(pair_id="p1", prompt_id="q1", prompt="How often should I train?",
        ...     subtopic="program_design", persona="gym_regular", difficulty="basic",
        ...     response_1=Response(text="Three times a week.", strategy="expert", model="m1"),
        ...     response_2=Response(text="Every day.", strategy="terse", model="m2"),
        ...     selection=Selection(method="max_margin", predicted_margin=0.5))
        >>> record = pair_to_record(pair)
        >>> shown_a = record["fields"]["response_a"]
        >>> shown_a == (pair.response_1 if record["metadata"]["a_is"] == 1 else pair.response_2).text
        True
        >>> record["metadata"]["strategies"], record["suggestions"], record["metadata"]["blind"]
        (['expert', 'terse'], [], 0)
    """
    shown = displayed(pair)
    originals = (pair.response_1, pair.response_2)
    metadata: dict[str, Any] = {
        names.META_SUBTOPIC: pair.subtopic,
        names.META_PERSONA: pair.persona,
        names.META_DIFFICULTY: pair.difficulty,
        names.META_STRATEGIES: sorted({r.strategy for r in originals}),
        names.META_MODELS: sorted({r.model for r in originals}),
        **{names.META_STRATEGY.format(n): r.strategy for n, r in enumerate(originals, start=1)},
        **{names.META_MODEL.format(n): r.model for n, r in enumerate(originals, start=1)},
        names.META_A_IS: a_is(pair.pair_id),
        names.META_BLIND: int(blind or control is not None),
        **kind_metadata(pair),  # hidden: pair_kind, predicted_margin
    }
    if control is not None:
        metadata.update(
            {
                names.META_CONTROL: 1,
                names.META_CONTROL_EXPECTED: control.expected,
                names.META_CONTROL_SOURCE: control.source,
            }
        )
    record = {
        "id": pair.pair_id,
        "fields": {
            names.FIELD_PROMPT: escape_html(pair.prompt),  # untrusted text: its HTML is shown as text
            names.FIELD_A: escape_html(shown[0].text),
            names.FIELD_B: escape_html(shown[1].text),
        },
        "metadata": metadata,
        "suggestions": []
        if blind or control is not None
        else _suggestions(shown, pair.selection.predicted_margin is not None),
    }
    metadata[names.META_CONTENT_HASH] = record_hash(record)
    return record
