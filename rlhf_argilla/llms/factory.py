"""Settings -> a ready-to-use distilabel LLM (embedded SmolLM2 or Claude), with cache and budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rlhf_argilla.errors import ConfigError
from rlhf_argilla.llms.profiles import Role, profile_for

if TYPE_CHECKING:
    from distilabel.models.llms.base import AsyncLLM

    from rlhf_argilla.config import Settings

__all__ = ["build_llm"]


def build_llm(
    settings: Settings,
    *,
    role: Role = "generator",
    model: str | None = None,
    max_new_tokens: int | None = None,
    max_cost_usd: float | None = None,
    concurrency: int | None = None,
    budget_id: str | None = None,
    batch_run_id: str | None = None,
) -> AsyncLLM:
    """Build the distilabel LLM for ``settings.backend`` (its :mod:`~rlhf_argilla.llms.profiles` entry).

    Every backend's LLM is a ``distilabel.models.llms.base.AsyncLLM`` subclass sharing one behaviour
    (see :class:`rlhf_argilla.llms.base.CachedLLM`): every finished call is stored in a sqlite
    cache under ``settings.data_dir / "cache"`` (rerun = zero new calls, interrupted runs resume),
    at most ``concurrency`` calls are in flight, and once the spend of this LLM (shared by all its
    step processes) reaches ``max_cost_usd`` no new call is made: those generations are ``None``.

    Output shape: ``llm.generate_outputs([messages, ...], num_generations=n)`` returns one dict per
    input::

        {"generations": [str | None] * n,           # None: budget reached or call failed
         "statistics": {"input_tokens": [int] * n, "output_tokens": [...],
                        "cache_creation_input_tokens": [...], "cache_read_input_tokens": [...],
                        "cost_usd": [float] * n, "from_cache": [bool] * n}}

    In a distilabel ``Task`` this becomes ``row["model_name"]`` (= ``llm.model_name``) and
    ``row["distilabel_metadata"][f"statistics_{task.name}"]`` (one value per generation).
    ``messages`` is an OpenAI-style chat list; a leading ``system`` message is the shared,
    prompt-cached system prompt. Generation kwarg: ``max_new_tokens``; the embedded backend also
    takes ``temperature`` (the current Anthropic SDK has no sampling parameters). Other attributes:
    ``llm.backend`` and ``llm.model_name`` (the embedded one is
    :data:`rlhf_argilla.llms.EMBEDDED_MODEL_NAME`, labelled demo quality). A backend whose profile
    says ``judges=False`` (the embedded one) cannot judge reliably: pipelines use a transparent
    heuristic for that role and say so.

    Args:
        settings: loaded settings (backend, Anthropic key/base URL/model, data_dir).
        role: ``"generator"`` or ``"judge"``; picks the default output length.
        model: Claude model id (default ``settings.anthropic_model``); ignored by ``embedded``.
        max_new_tokens: cap on generated tokens per call (default: the profile's, per role).
        max_cost_usd: spend cap in USD for new calls of this LLM; ``None`` = no cap.
        concurrency: calls in flight per process (default: the profile's).
        budget_id: give several LLMs the same id to share one ``max_cost_usd`` ledger.
        batch_run_id: a Message Batches run (:mod:`rlhf_argilla.generation.batch_mode`): cache misses
            are queued for a batch and left ``None`` instead of being called.

    Returns:
        An unloaded distilabel ``AsyncLLM``; distilabel calls ``load()`` (or call it yourself).

    Raises:
        ConfigError: unknown backend, Anthropic backend without ``ANTHROPIC_API_KEY``, or a bad
            numeric argument.

    Example::

        llm = build_llm(load_settings(backend="embedded"), role="generator", max_new_tokens=120)
        llm.load()
        chat = [{"role": "user", "content": "Squat tips?"}]
        [out] = llm.generate_outputs([chat], **llm.get_generation_kwargs())
    """
    profile = profile_for(settings.backend)
    if max_cost_usd is not None and max_cost_usd < 0:
        raise ConfigError(f"max cost must be >= 0 USD, got {max_cost_usd}")
    common = {
        "cache_dir": str(settings.data_dir / "cache"),
        "max_cost_usd": max_cost_usd,
        "batch_run_id": batch_run_id,
        "concurrency": concurrency or profile.concurrency,
        "generation_kwargs": {"max_new_tokens": max_new_tokens or profile.max_new_tokens(role)},
    }
    llm = profile.make(settings, model, common)
    if budget_id:
        llm.set_budget_id(budget_id)
    return llm
