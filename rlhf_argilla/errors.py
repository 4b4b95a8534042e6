"""One exception hierarchy. The CLI prints ``str(error)`` on one line and exits 1."""

from __future__ import annotations

__all__ = [
    "RlhfArgillaError",
    "ConfigError",
    "StackError",
    "ArgillaError",
    "GenerationError",
    "AnalysisError",
    "BuildError",
    "PublishError",
]


class RlhfArgillaError(Exception):
    """Base class of every error meant for the user: the message says what to do."""


class ConfigError(RlhfArgillaError):
    """Settings are missing or invalid."""


class StackError(RlhfArgillaError):
    """The local Argilla stack could not be started, reached or stopped."""


class ArgillaError(RlhfArgillaError):
    """The Argilla server refused or failed a request (push, pull, users)."""


class GenerationError(RlhfArgillaError):
    """Prompt or response generation failed (backend, model, budget, input)."""


class AnalysisError(RlhfArgillaError):
    """HH-RLHF input could not be read or analysed."""


class BuildError(RlhfArgillaError):
    """The dataset could not be built from the pulled annotations."""


class PublishError(RlhfArgillaError):
    """Publishing to the Hugging Face Hub failed."""
