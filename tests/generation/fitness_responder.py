"""A responder for the loopback Messages API that plays the three generation roles plausibly.

Question writer -> a first-person question about the requested subtopic; strategy answerer ->
an answer whose quality follows the strategy (flaws really are flawed); judge -> a JSON verdict
(scored with heuristic-v1, so the LLM-judge path parses real JSON). Deterministic per request.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from rlhf_argilla.domain.strategies import PROMPT_WRITER_SYSTEM, RESPONSE_STRATEGIES
from rlhf_argilla.generation.heuristic_judge import heuristic_scores
from rlhf_argilla.generation.llm_judge import JUDGE_SYSTEM

_STRATEGY_BY_SYSTEM = {item.system_prompt: item.id for item in RESPONSE_STRATEGIES}
_VERBS = ("improve", "plan", "adjust", "structure", "balance", "progress", "restart", "fit in")
_WHEN = (
    "with only three free evenings",
    "after a long break",
    "on a tight budget",
    "while travelling",
    "with a sore lower back",
    "before a competition",
    "in hot weather",
    "around night shifts",
    "at the age of 50",
    "with two small kids",
)
_RESPONSE = re.compile(r"<response (\d+)>\n(.*?)\n</response \1>", re.DOTALL)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "\n\n".join(block.get("text", "") for block in value or [] if isinstance(block, dict))


def fitness_responder(body: dict[str, Any], sample: int = 0) -> str:
    """``(request body, sample) -> text`` for :class:`tests.fakes.messages_api.FakeMessagesAPI`."""
    system = _text(body.get("system"))
    user = _text(body["messages"][-1]["content"])
    digest = hashlib.sha256(json.dumps([body["messages"], system], sort_keys=True).encode()).digest()
    if system == PROMPT_WRITER_SYSTEM:
        topic = re.search(r"about (.+?) \(", user).group(1)
        return (
            f"How should I {_VERBS[digest[0] % len(_VERBS)]} my {topic} {_WHEN[digest[1] % len(_WHEN)]} "
            f"if I can train {2 + digest[2] % 4} days a week and my goal is number {digest[3]}?"
        )
    if system == JUDGE_SYSTEM:
        question = re.search(r"<question>\n(.*?)\n</question>", user, re.DOTALL).group(1)
        verdict = []
        for index, answer in _RESPONSE.findall(user):
            scores = heuristic_scores(question, answer, "strength_training").model_dump(
                exclude={"judge_model"}
            )
            verdict.append({"response": int(index), **scores})
        return json.dumps(verdict)
    strategy = _STRATEGY_BY_SYSTEM.get(system, "certified_coach")
    sets, reps, minutes = 2 + digest[0] % 3, 6 + digest[1] % 7, 5 + digest[2] % 10
    if strategy == "flaw_no_safety":
        return "Go all out every single day and push through the pain; more is always better. No rest."
    if strategy == "flaw_vague":
        return "It depends. Consistency is key and everyone is different, so just keep going."
    if strategy == "flaw_overlong":
        ramble = "I remember my own training years ago, and honestly it was a long story of ups and downs. "
        return ramble * 6 + "Anyway, it is all about the journey."
    tone = {
        "gym_buddy": "Honestly, mate, ",
        "cautious_physio": "Carefully: ",
        "sports_scientist": "Research says: ",
    }
    return (
        f"{tone.get(strategy, '')}Do {sets} sets of {reps} reps, 3 times a week, with {minutes} minutes of "
        f"warm-up first.\n- Add 2.5 kg when all sets feel easy.\n- Stop if you feel sharp pain and see a "
        f"physiotherapist if it persists.\n- Sleep 7-9 hours and rest 1 day between sessions."
    )
