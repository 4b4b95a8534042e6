"""Column helpers shared by the distilabel steps of :mod:`rlhf_argilla.generation.steps` and
:mod:`rlhf_argilla.generation.judge_steps` (pure; no distilabel import). The JSON columns themselves
(candidates, judge verdicts, the selection) are the models of :mod:`rlhf_argilla.schema.pairs`."""

from __future__ import annotations

from typing import Any

__all__ = ["first_statistics"]


def first_statistics(output: dict[str, Any]) -> dict[str, Any]:
    """Usage of the first generation of one LLM output (our LLMs give one value per generation)."""
    return {key: values[0] for key, values in (output.get("statistics") or {}).items() if values}
