"""The prompts pipeline's last step as a pure function: compose, filter, de-duplicate, order.

Kept apart from ``prompts`` (which builds the pipeline) so the distilabel step in ``steps`` can call it
without importing the module that imports the steps.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rlhf_argilla.generation.allocation import Slot
from rlhf_argilla.generation.questions import TEMPLATE_STRATEGY, compose_prompt, question_part
from rlhf_argilla.generation.similarity import NearDuplicateIndex
from rlhf_argilla.schema import Generator, PromptRow, content_id, usage_of

__all__ = ["finalise"]


def _statistics(row: dict[str, Any], key: str) -> dict[str, Any]:
    stats = (row.get("distilabel_metadata") or {}).get(key) or {}
    return {
        name: values[0] if isinstance(values, list) else values for name, values in stats.items() if values
    }


def finalise(rows: Sequence[dict[str, Any]], statistics_key: str, backend: str) -> list[dict[str, Any]]:
    """Compose each prompt, fall back to the template when the model's question is unusable or a
    near-duplicate, and drop what is still a duplicate; order by slot index (deterministic).

    Near-duplicates are judged on the text after the asker scaffold, among prompts of the same
    persona (the same question from a teenager and from an older adult is two prompts).

    Args:
        rows: writer outputs (slot columns, raw_question, model_name, distilabel_metadata).
        statistics_key: metadata key of the writer's usage statistics.
        backend: ``generator.backend`` label ("embedded" or "anthropic").

    Returns:
        Rows ``{"index", "prompt_row" (PromptRow JSON), "usage" (JSON)}`` for the kept prompts.

    Example:
        >>> rows = [{"index": i, "subtopic": "supplements", "persona": "teen_athlete", "difficulty": "basic",
        ...          "variant": 0, "raw_question": None, "model_name": "m"} for i in range(2)]
        >>> [json.loads(r["prompt_row"])["generator"]["strategy"] for r in finalise(rows, "s", "embedded")]
        ['template-fallback-v1']
    """
    by_asker: dict[str, NearDuplicateIndex] = {}  # the asker scaffold is shared by design: compare the rest
    kept = []
    for row in sorted(rows, key=lambda item: item["index"]):
        slot = Slot(row["index"], row["subtopic"], row["persona"], row["difficulty"], row["variant"])
        index = by_asker.setdefault(slot.persona, NearDuplicateIndex())
        text, strategy = compose_prompt(slot, row.get("raw_question"))
        if not index.add(question_part(slot, text)):
            if strategy == TEMPLATE_STRATEGY:
                continue
            text, strategy = compose_prompt(slot, None)
            if not index.add(question_part(slot, text)):
                continue
        stats = _statistics(row, statistics_key)
        model = row.get("model_name") or "unknown"
        prompt = PromptRow(
            prompt_id=content_id(text),
            prompt=text,
            subtopic=slot.subtopic,
            persona=slot.persona,
            difficulty=slot.difficulty,
            generator=Generator(backend=backend, model=model, strategy=strategy),
            usage=usage_of(stats),
        )
        kept.append(
            {
                "index": slot.index,
                "prompt_row": prompt.model_dump_json(),
                "usage": json.dumps(stats if row.get("raw_question") is not None else None),
            }
        )
    return kept
