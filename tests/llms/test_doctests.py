"""The examples in the llms docstrings are run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["cache", "usage", "embedded", "anthropic"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"rlhf_argilla.llms.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
