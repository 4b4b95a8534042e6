"""Claude through the current ``anthropic`` SDK, as a distilabel ``AsyncLLM``.

distilabel 1.5.3's ``AnthropicLLM`` cannot be used with today's SDK (it passes ``temperature``,
which ``messages.create`` no longer accepts, and checks model names against a stale list), so
this class talks to the SDK directly. Retries: the SDK's own (``max_retries``): exponential
backoff from 0.5 s to 8 s with jitter on 408/409/429/5xx (529 included), connection errors and
timeouts, and it waits exactly what ``retry-after`` / ``retry-after-ms`` says when present.
The shared system prompt is sent as a ``cache_control`` block, so repeated system prompts are
billed at the cache-read price (the API only caches prompts above a minimum length).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, PrivateAttr, SecretStr

from rlhf_argilla.errors import ConfigError, GenerationError
from rlhf_argilla.llms.base import CachedLLM
from rlhf_argilla.llms.usage import Usage, cost_usd

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic
    from distilabel.typing import GenerateOutput

    from rlhf_argilla.config import Settings

__all__ = ["ClaudeLLM", "require_api_key", "split_system", "message_text", "message_usage"]

_KEY_HINT = (
    "set ANTHROPIC_API_KEY (or RLHF_ARGILLA_ANTHROPIC_API_KEY), "
    "or use the keyless backend: backend embedded (RLHF_ARGILLA_BACKEND=embedded)"
)


def require_api_key(settings: Settings) -> SecretStr:
    """The Anthropic key from settings, or a one-line :class:`ConfigError` saying what to set."""
    if settings.anthropic_api_key is None or not settings.anthropic_api_key.get_secret_value().strip():
        raise ConfigError(f"no Anthropic API key: {_KEY_HINT}")
    return settings.anthropic_api_key


def split_system(messages: list[dict[str, Any]]) -> tuple[str | None, list[dict[str, Any]]]:
    """Separate OpenAI-style leading system messages from the turns the Messages API takes.

    Example:
        >>> split_system([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}])
        ('Be brief.', [{'role': 'user', 'content': 'Hi'}])
    """
    systems = [m["content"] for m in messages if m["role"] == "system"]
    turns = [{"role": m["role"], "content": m["content"]} for m in messages if m["role"] != "system"]
    return ("\n\n".join(systems) if systems else None), turns


class ClaudeLLM(CachedLLM):
    """Claude via ``AsyncAnthropic``: prompt caching, usage and cost per call, SDK retries.

    Attributes:
        model: model id or alias, e.g. ``claude-haiku-4-5``; an unknown one fails in ``load()``.
        api_key: never serialised (excluded from dumps, distilabel's cache and signatures).
        base_url: Messages API endpoint (``None``: Anthropic's; tests: a loopback server).
        max_retries: SDK retries per call on 429/529/5xx/timeouts.
        timeout_s: seconds per HTTP attempt.
        prompt_caching: mark the system prompt with ``cache_control`` (the API ignores prefixes
            shorter than ``pricing.MIN_CACHEABLE_TOKENS``: 4096 tokens for Haiku 4.5).

    Example::

        llm = ClaudeLLM(model="claude-haiku-4-5", api_key="sk-...", cache_dir="/tmp/c", max_cost_usd=1.0)
        llm.load()
        llm.generate_outputs([[{"role": "user", "content": "Deadlift cues?"}]], max_new_tokens=300)
    """

    backend = "anthropic"

    model: str = Field(default="claude-haiku-4-5", min_length=1)
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    base_url: str | None = None
    max_retries: int = Field(default=8, ge=0)
    timeout_s: float = Field(default=120.0, gt=0)
    prompt_caching: bool = True

    _client: AsyncAnthropic | None = PrivateAttr(default=None)

    @property
    def model_name(self) -> str:
        return self.model

    def load(self) -> None:
        """Create the SDK client and check the key and model name with one free request."""
        super().load()
        if self.api_key is None or not self.api_key.get_secret_value().strip():
            raise ConfigError(f"no Anthropic API key: {_KEY_HINT}")
        import anthropic

        options: dict[str, Any] = {
            "api_key": self.api_key.get_secret_value(),
            "base_url": self.base_url,
            "max_retries": self.max_retries,
            "timeout": self.timeout_s,
        }
        try:
            with anthropic.Anthropic(**options) as client:
                client.models.retrieve(self.model)
        except anthropic.APIStatusError as error:
            raise self._fatal(error) or GenerationError(
                f"Anthropic API answered {error.status_code} while checking model '{self.model}': "
                "retry later or check ANTHROPIC_BASE_URL"
            ) from None
        except anthropic.APIConnectionError:
            raise GenerationError(
                f"cannot reach the Anthropic API at {self.base_url or 'api.anthropic.com'}: "
                "check the network or ANTHROPIC_BASE_URL"
            ) from None
        self._client = anthropic.AsyncAnthropic(**options)

    def unload(self) -> None:
        """Close the HTTP client on its own event loop (else it is closed later on a dead loop)."""
        client, self._client = self._client, None
        loop = self._event_loop
        if client is not None and loop is not None and not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(client.close())
        super().unload()

    def __del__(self) -> None:
        try:
            self.unload()
        except Exception:  # noqa: BLE001 - interpreter shutdown: nothing left to clean
            pass
        super().__del__()

    def _estimate_usd(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> float:
        """Upper-bound guess for the budget before any call finished: every input token uncached
        (4 characters each) and the whole ``max_new_tokens`` written."""
        characters = sum(len(str(message["content"])) for message in messages)
        return cost_usd(self.model, input_tokens=characters // 4 + 1, output_tokens=params["max_new_tokens"])

    def _fatal(self, error: Exception) -> Exception | None:
        """The one-line user error for failures no retry can fix (else ``None``)."""
        import anthropic

        if isinstance(error, anthropic.NotFoundError):
            return GenerationError(
                f"unknown Anthropic model '{self.model}' (404 not_found_error): use a current id such as "
                "claude-haiku-4-5 or claude-sonnet-4-5 (setting anthropic_model, RLHF_ARGILLA_ANTHROPIC_MODEL)"
            )
        if isinstance(error, anthropic.AuthenticationError | anthropic.PermissionDeniedError):
            return ConfigError(f"the Anthropic API rejected the key ({error.status_code}): {_KEY_HINT}")
        return None

    async def agenerate(
        self, input: list[dict[str, Any]], num_generations: int = 1, max_new_tokens: int = 512
    ) -> GenerateOutput:
        """Generate ``num_generations`` answers to one chat (cache first, then the API).

        Args:
            input: OpenAI-style messages; a leading system message becomes the cached system prompt.
            num_generations: answers wanted for this input.
            max_new_tokens: cap on output tokens per answer.

        Returns:
            ``{"generations": [...], "statistics": {...}}`` as documented in :func:`build_llm`.
        """
        return await self._generate_cached(input, num_generations, {"max_new_tokens": max_new_tokens})

    def request_body(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        """The Messages API body of one call (the same for a direct call and a batch entry)."""
        system, turns = split_system(messages)
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": params["max_new_tokens"],
            "messages": turns,
        }
        if system:
            block: dict[str, Any] = {"type": "text", "text": system}
            if self.prompt_caching:
                block["cache_control"] = {"type": "ephemeral"}
            request["system"] = [block]
        return request

    async def _complete(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> tuple[str, Usage]:
        if self._client is None:
            self.load()
        import anthropic

        assert self._client is not None, "load() creates the client before any call"
        try:
            message = await self._client.messages.create(**self.request_body(messages, params))
        except anthropic.APIStatusError as error:
            fatal = self._fatal(error)
            if fatal is None:
                raise
            raise fatal from None
        return message_text(message), message_usage(self.model, message)


def message_text(message: Any) -> str:
    """The text blocks of a Messages API ``Message``, joined."""
    return "".join(block.text for block in message.content if block.type == "text")


def message_usage(model: str, message: Any, *, batch: bool = False) -> Usage:
    """Tokens and cost of one answered ``Message`` (``batch``: priced at Message Batch rates)."""
    tokens = {
        "input_tokens": message.usage.input_tokens,
        "output_tokens": message.usage.output_tokens,
        "cache_creation_input_tokens": message.usage.cache_creation_input_tokens or 0,
        "cache_read_input_tokens": message.usage.cache_read_input_tokens or 0,
    }
    return Usage(**tokens, cost_usd=cost_usd(model, batch=batch, **tokens))
