"""What the loopback Messages API answers: known models, token counts, request text, replies.

Pure functions over request bodies; the server itself is :mod:`tests.fakes.messages_api`.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

__all__ = ["KNOWN_MODELS", "count_tokens", "system_text", "message_text", "default_reply"]

KNOWN_MODELS = frozenset(
    {
        "claude-haiku-4-5",
        "claude-sonnet-4-5",
        "claude-opus-4-5",
        "claude-haiku-4-5-20251001",
        "claude-sonnet-4-5-20250929",
        "claude-opus-4-5-20251101",
    }
)
_WORDS = (
    "squat deadlift tempo rest sets reps mobility hamstring protein sleep cadence zone2 interval "
    "warm-up core posture knee hip shoulder bodyweight band dumbbell recovery hydration deload "
    "progression volume intensity form breathing stretch plank lunge rowing cycling running"
).split()


def count_tokens(text: str) -> int:
    """Rough token count used by the fake (4 characters per token, at least 1)."""
    return max(1, math.ceil(len(text) / 4))


def system_text(body: dict[str, Any]) -> tuple[str, bool]:
    system = body.get("system")
    if system is None:
        return "", False
    if isinstance(system, str):
        return system, False
    text = "\n\n".join(block.get("text", "") for block in system)
    return text, any("cache_control" in block for block in system)


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content", "")
    if isinstance(content, str):
        return content
    return " ".join(block.get("text", "") for block in content if isinstance(block, dict))


def default_reply(body: dict[str, Any], sample: int = 0) -> str:
    """Deterministic answer: the ``sample``-th time a request is seen always gets the same text.

    It starts with a digest of the request (and sample number), quotes the last user turn, then
    adds words picked by that digest, so different requests give clearly different texts; a
    repeated identical request gets a new "sample", as the real API samples at temperature 1.
    """
    digest = hashlib.sha256(json.dumps([body, sample], sort_keys=True).encode()).digest()
    last_user = next((message_text(m) for m in reversed(body.get("messages", [])) if m["role"] == "user"), "")
    words = " ".join(_WORDS[b % len(_WORDS)] for b in digest[:24])
    return f"reply-{digest.hex()[:12]}: about '{last_user[:60]}': {words}."
