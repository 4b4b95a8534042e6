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
    "first_problem",
]


def first_problem(error, default_location: str) -> str:
    """``"where: what"`` of the first problem in a pydantic ``ValidationError``, for one-line messages.

    Example:
        >>> from pydantic import BaseModel, ValidationError
        >>> class Port(BaseModel):
        ...     port: int
        >>> try:
        ...     Port(port="x")
        ... except ValidationError as error:
        ...     print(first_problem(error, "settings"))
        port: Input should be a valid integer, unable to parse string as an integer
    """
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or default_location
    return f"{where}: {first['msg']}"


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
