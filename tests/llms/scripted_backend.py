"""A third generation backend, for tests: a deterministic offline 'model' registered in one call.

It shows what adding a backend takes: a ``CachedLLM`` subclass (here: answers from the fitness
responder the loopback Messages API uses) and one :func:`register_backend` with its profile. No file
outside ``llms/`` knows its name; the settings, the CLI and both pipelines accept it from the registry.
"""

from __future__ import annotations

from typing import Any

from rlhf_argilla.llms.anthropic import split_system
from rlhf_argilla.llms.base import CachedLLM
from rlhf_argilla.llms.profiles import BackendProfile
from rlhf_argilla.llms.usage import Usage
from tests.generation.fitness_responder import fitness_responder

SCRIPTED_MODEL = "scripted-fitness-v0"


class ScriptedLLM(CachedLLM):
    """Plays question writer, answerer (flaws really flawed) and JSON judge, deterministically."""

    backend = "scripted"

    @property
    def model_name(self) -> str:
        return SCRIPTED_MODEL

    async def agenerate(  # type: ignore[override]
        self, input: list[dict[str, Any]], num_generations: int = 1, max_new_tokens: int = 100
    ) -> Any:
        return await self._generate_cached(input, num_generations, {"max_new_tokens": max_new_tokens})

    async def _complete(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> tuple[str, Usage]:
        system, turns = split_system(messages)
        text = fitness_responder({"system": system or "", "messages": turns}, params["generation_index"])
        words = sum(len(str(message["content"]).split()) for message in messages)
        return text, Usage(input_tokens=words, output_tokens=len(text.split()))


SCRIPTED = BackendProfile(
    name="scripted",
    summary="deterministic offline test backend",
    make=lambda settings, model, common: ScriptedLLM(**common),
    check=lambda settings, models: None,
    judges=True,
    flaw_edits=False,
    message_batches=False,
    concurrency=2,
    generator_tokens=80,
    judge_tokens=120,
    answer_tokens=90,
    candidates=2,
)
