"""What each generation backend can do and its defaults: one :class:`BackendProfile` per backend.

Everything outside ``llms/`` asks the profile (``profile_for(settings.backend)``) instead of comparing
backend names, so a new backend is one module with its ``CachedLLM`` subclass plus one
:func:`register_backend` call (the built-in ones are registered at the end of this module).
This module stays light (no distilabel / SDK import): the LLM classes are imported when built.

Example:
    >>> profile_for("embedded").judges, profile_for("anthropic").judges
    (False, True)
    >>> profile_for("embedded").max_new_tokens("judge"), profile_for("anthropic").concurrency
    (96, 32)
    >>> backend_names()[:2]
    ('embedded', 'anthropic')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rlhf_argilla.errors import ConfigError

if TYPE_CHECKING:
    from distilabel.models.llms.base import AsyncLLM

    from rlhf_argilla.config import Settings

__all__ = ["BackendProfile", "Role", "register_backend", "unregister_backend", "profile_for", "backend_names"]

Role = Literal["generator", "judge"]
#: ``make(settings, model, common)``: the unloaded LLM; ``common`` holds the shared CachedLLM fields.
MakeFn = Callable[["Settings", "str | None", dict[str, Any]], "AsyncLLM"]
#: ``check(settings, models)``: fail with one line before a pipeline starts (missing file, key, model).
CheckFn = Callable[["Settings", Sequence["str | None"]], None]


@dataclass(frozen=True)
class BackendProfile:
    """One backend's capabilities and defaults.

    Attributes:
        name: the ``backend`` setting value (``--backend``).
        summary: one line for help texts.
        make: builds the distilabel LLM (imports its module lazily).
        check: preflight before distilabel forks its step processes.
        judges: can act as the LLM judge; otherwise the transparent heuristic-v1 judges.
        flaw_edits: apply the flaw strategies as recorded edits (the model does not follow them).
        message_batches: can send its calls as Anthropic Message Batches.
        concurrency: calls in flight per LLM instance (per distilabel step process).
        generator_tokens: default output cap of a generator call.
        judge_tokens: default output cap of a judge call.
        answer_tokens: output cap of one candidate answer in the pairs pipeline.
        candidates: default candidate answers per prompt (2 or 3).
    """

    name: str
    summary: str
    make: MakeFn
    check: CheckFn
    judges: bool
    flaw_edits: bool
    message_batches: bool
    concurrency: int
    generator_tokens: int
    judge_tokens: int
    answer_tokens: int
    candidates: int = 3

    def max_new_tokens(self, role: Role) -> int:
        """Default output cap for ``role``."""
        return self.judge_tokens if role == "judge" else self.generator_tokens

    def calls_per_prompt(self, candidates: int) -> int:
        """LLM calls the pairs pipeline makes per prompt: the answers, plus one judge call if it judges."""
        return candidates + int(self.judges)


_REGISTRY: dict[str, BackendProfile] = {}


def register_backend(profile: BackendProfile) -> BackendProfile:
    """Make ``profile`` selectable as ``backend = profile.name`` (replaces one of the same name)."""
    _REGISTRY[profile.name] = profile
    return profile


def unregister_backend(name: str) -> None:
    """Remove a backend registered with :func:`register_backend` (tests use it to clean up)."""
    _REGISTRY.pop(name, None)


def backend_names() -> tuple[str, ...]:
    """Registered backend names, built-in ones first."""
    return tuple(_REGISTRY)


def profile_for(name: str) -> BackendProfile:
    """The profile of backend ``name``.

    Raises:
        ConfigError: no backend of that name is registered.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown backend '{name}' (known: {', '.join(_REGISTRY)})") from None


# --- built-in backends ------------------------------------------------------------------------------------
def _make_embedded(settings: Settings, model: str | None, common: dict[str, Any]) -> AsyncLLM:
    from rlhf_argilla.llms.embedded import EmbeddedLLM

    return EmbeddedLLM(**common)  # one model: ``model`` is ignored


def _check_embedded(settings: Settings, models: Sequence[str | None]) -> None:
    # not loaded here: its llama.cpp threads must not exist in the parent when distilabel forks
    from rlhf_argilla.llms.embedded import find_model_file

    find_model_file()


def _make_claude(settings: Settings, model: str | None, common: dict[str, Any]) -> AsyncLLM:
    from rlhf_argilla.llms.anthropic import ClaudeLLM, require_api_key

    return ClaudeLLM(
        model=model or settings.anthropic_model,
        api_key=require_api_key(settings),
        base_url=settings.anthropic_base_url,
        **common,
    )


def _check_claude(settings: Settings, models: Sequence[str | None]) -> None:
    # the key, and each model name with one free request
    for model in dict.fromkeys(models or (None,)):
        llm = _make_claude(settings, model, {})
        llm.load()
        llm.unload()


#: The embedded model is slow (~60 tok/s on 2 cores), so its outputs stay short: three 64-token
#: answers cost what two 96-token ones do.
EMBEDDED = register_backend(
    BackendProfile(
        name="embedded",
        summary="keyless SmolLM2 on llama.cpp, demo quality",
        make=_make_embedded,
        check=_check_embedded,
        judges=False,
        flaw_edits=True,
        message_batches=False,
        concurrency=4,
        generator_tokens=160,
        judge_tokens=96,
        answer_tokens=64,
    )
)
ANTHROPIC = register_backend(
    BackendProfile(
        name="anthropic",
        summary="Claude through the anthropic SDK (ANTHROPIC_API_KEY)",
        make=_make_claude,
        check=_check_claude,
        judges=True,
        flaw_edits=False,
        message_batches=True,
        concurrency=32,
        generator_tokens=700,
        judge_tokens=500,
        answer_tokens=600,
    )
)
