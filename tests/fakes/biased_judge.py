"""A planted position bias for the loopback Messages API's judge.

:func:`position_biased` wraps any responder: on a seeded share ``rate`` of the questions it judges,
the judge prefers the first response it is shown (all 5s for it, all 1s for the others), whatever
the texts; every other request goes to the wrapped responder. The draw is per question, so both
orders of a swap probe of one prompt are biased alike: a biased prompt always flips under the
reversed order (its first-shown candidate changes) and an unbiased one never does when the wrapped
judge rates each text on its own merit (``fitness_responder`` uses heuristic-v1). The planted swap
consistency is therefore the share of probed prompts that were *not* biased (``1 - rate`` in
expectation; exactly countable with :func:`is_biased`).

    .venv/bin/python -m tests.fakes.serve_messages_api --position-bias 1.0 \\
        --responder tests.generation.fitness_responder:fitness_responder
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from rlhf_argilla.domain.criteria import CRITERION_IDS
from rlhf_argilla.generation.llm_judge import JUDGE_SYSTEM
from tests.fakes.messages_content import message_text, system_text

__all__ = ["position_biased", "is_biased", "judged_question"]

Responder = Callable[[dict[str, Any], int], str]
_QUESTION = re.compile(r"<question>\n(.*?)\n</question>", re.DOTALL)
_RESPONSE = re.compile(r"<response (\d+)>\n")


def is_biased(question: str, rate: float) -> bool:
    """Whether the planted judge prefers the first shown response for ``question``."""
    digest = hashlib.sha256(f"position-bias:{question}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def judged_question(body: dict[str, Any]) -> str | None:
    """The question of a judge request (None for any other request)."""
    if system_text(body)[0] != JUDGE_SYSTEM:
        return None
    found = _QUESTION.search(message_text(body["messages"][-1]))
    return found.group(1) if found else None


def position_biased(rate: float, responder: Responder) -> Responder:
    """``responder`` with a judge that prefers the first shown response on a share ``rate`` of questions."""

    def respond(body: dict[str, Any], sample: int = 0) -> str:
        question = judged_question(body)
        if question is None or not is_biased(question, rate):
            return responder(body, sample)
        shown = len(_RESPONSE.findall(message_text(body["messages"][-1])))
        verdict = [
            {
                "response": number,
                **{name: 5 if number == 1 else 1 for name in CRITERION_IDS},
                "rationale": "The first response is the best.",
            }
            for number in range(1, shown + 1)
        ]
        return json.dumps(verdict)

    return respond
