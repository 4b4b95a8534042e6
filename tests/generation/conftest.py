"""Fixtures for the generation tests: the loopback Messages API answering like a fitness LLM."""

from __future__ import annotations

import pytest

from tests.generation.fitness_responder import fitness_responder


@pytest.fixture
def fitness_api(messages_api):
    """The loopback Messages API with :func:`fitness_responder` (questions, answers, JSON verdicts)."""
    messages_api.responder = fitness_responder
    return messages_api
