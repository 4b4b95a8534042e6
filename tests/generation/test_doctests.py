"""Run the examples in the generation modules' docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "allocation",
    "candidates",
    "flaws",
    "heuristic_judge",
    "llm_judge",
    "prompts",
    "questions",
    "selection",
    "similarity",
    "usage_summary",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"rlhf_argilla.generation.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
