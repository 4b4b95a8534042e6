"""LLM backends for generation: a keyless embedded model and Claude, behind distilabel `LLM`s.

Import :func:`rlhf_argilla.llms.factory.build_llm` to get one; what each backend can do is its
profile in :mod:`rlhf_argilla.llms.profiles`. This package module stays light
(no distilabel / SDK import) so the CLI's ``--help`` remains fast.
"""

from __future__ import annotations

__all__ = ["EMBEDDED_MODEL_NAME"]

#: The label the embedded model's output carries everywhere (metadata, Argilla, dataset card).
EMBEDDED_MODEL_NAME = "SmolLM2-135M-Instruct (embedded, demo quality)"
