"""Column helpers shared by the distilabel steps of :mod:`rlhf_argilla.generation.steps` and
:mod:`rlhf_argilla.generation.judge_steps` (pure; no distilabel import)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["answered_candidates", "first_statistics"]


def first_statistics(output: dict[str, Any]) -> dict[str, Any]:
    """Usage of the first generation of one LLM output (our LLMs give one value per generation)."""
    return {key: values[0] for key, values in (output.get("statistics") or {}).items() if values}


def answered_candidates(candidates_json: str) -> list[dict[str, Any]]:
    """The candidates of a ``candidates`` column that got an answer.

    Example:
        >>> answered_candidates('[{"text": "Squat low."}, {"text": null}, {"text": ""}]')
        [{'text': 'Squat low.'}]
    """
    return [item for item in json.loads(candidates_json) if item.get("text")]
