"""Pure parts of the UltraFeedback-style LLM judge: its messages and the parsing of its verdict.

One call per prompt rates every candidate on the five criteria at once (the judge sees the
candidates side by side, as in UltraFeedback). The rubric lives in the system prompt, which is the
same for every call and so is prompt-cached on the Anthropic backend.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import ValidationError

from rlhf_argilla.domain.criteria import CRITERIA, CRITERION_IDS
from rlhf_argilla.schema import JudgeScores

__all__ = ["JUDGE_SYSTEM", "judge_messages", "parse_verdict"]

JUDGE_SYSTEM = (
    "You are an expert strength coach and physiotherapist rating answers to fitness questions. "
    "Rate every response independently on each criterion from 1 to 5 using this rubric.\n\n"
    + "\n\n".join(f"## {item.title}: {item.question}\n{item.rubric_markdown()}" for item in CRITERIA)
    + "\n\nReply with a JSON array only, one object per response in order: "
    '[{"response": 1, '
    + ", ".join(f'"{name}": <1-5>' for name in CRITERION_IDS)
    + ', "rationale": "<one or two sentences>"}, ...]'
)
_ARRAY = re.compile(r"\[.*\]", re.DOTALL)


def judge_messages(prompt: str, responses: Sequence[str]) -> list[dict[str, str]]:
    """Chat messages asking the judge to rate ``responses`` to ``prompt``."""
    blocks = "\n\n".join(f"<response {i}>\n{text}\n</response {i}>" for i, text in enumerate(responses, 1))
    user = f"<question>\n{prompt}\n</question>\n\n{blocks}\n\nRate the {len(responses)} responses."
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


def parse_verdict(raw: str | None, n: int, judge_model: str) -> list[JudgeScores] | None:
    """The judge's scores for ``n`` responses, or None when the output is not a valid verdict.

    Args:
        raw: the judge's text.
        n: number of rated responses.
        judge_model: model name stored with each score.

    Returns:
        One JudgeScores per response, in order, or None.

    Example:
        >>> raw = ('[{"response": 1, "accuracy": 4, "safety": 5, "clarity": 4, "completeness": 3,'
        ...        ' "actionability": 4, "rationale": "solid"}]')
        >>> parse_verdict(raw, 1, "claude-haiku-4-5")[0].safety
        5
        >>> parse_verdict("no idea", 1, "claude-haiku-4-5") is None
        True
    """
    match = _ARRAY.search(raw or "")
    if not match:
        return None
    try:
        items = json.loads(match.group(0))
        if not isinstance(items, list) or len(items) != n:
            return None
        ordered = sorted(items, key=lambda item: int(item.get("response", 0)))
        return [
            JudgeScores(
                **{name: int(item[name]) for name in CRITERION_IDS},
                rationale=str(item.get("rationale", "")),
                judge_model=judge_model,
            )
            for item in ordered
        ]
    except (ValueError, TypeError, KeyError, AttributeError, ValidationError):
        return None
