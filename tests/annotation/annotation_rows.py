"""Test helper: build tidy annotation tables (schema.ANNOTATION_COLUMNS) by hand."""

from __future__ import annotations

import pandas as pd

from rlhf_argilla.schema import ANNOTATION_COLUMNS


def response_rows(
    pair_id: str,
    annotator: str,
    status: str = "submitted",
    ranks: tuple[int, int] | None = None,
    scores: dict[str, tuple[int, int]] | None = None,
    rationale: str | None = None,
) -> list[dict]:
    """The tidy rows of one response; a response without any value still gets one row."""
    base = {
        "pair_id": pair_id,
        "annotator": annotator,
        "status": status,
        "updated_at": "2026-01-01T00:00:00",
        "simulated": annotator.startswith("sim-"),
    }
    rows = []
    if ranks is not None:
        rows += [
            {**base, "question": "overall", "response": side, "value": str(rank)}
            for side, rank in zip((1, 2), ranks)
        ]
    for name, pair in (scores or {}).items():
        rows += [
            {**base, "question": name, "response": side, "value": str(score)}
            for side, score in zip((1, 2), pair)
        ]
    if rationale is not None:
        rows.append({**base, "question": "rationale", "response": None, "value": rationale})
    return rows or [{**base, "question": None, "response": None, "value": None}]


def table(*responses: list[dict]) -> pd.DataFrame:
    """Concatenate response rows into a table with exactly the schema's columns."""
    rows = [row for response in responses for row in response]
    frame = pd.DataFrame(rows, columns=list(ANNOTATION_COLUMNS))
    frame["response"] = frame["response"].astype("Int64")
    return frame
