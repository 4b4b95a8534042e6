"""The docstring examples run in ``make check`` (``pytest --doctest-modules rlhf_argilla``); this guards
that the modules documented by example keep their examples (a deleted example would pass silently)."""

from __future__ import annotations

import doctest
import importlib

import pytest

#: modules whose examples were once run from hand-kept lists, with the examples they had then
DOCUMENTED = {
    "analysis.classify": 6,
    "analysis.coverage": 6,
    "analysis.evaluate": 1,
    "analysis.hh_rlhf": 4,
    "annotation.progress": 1,
    "annotation.records": 1,
    "annotation.settings": 1,
    "annotation.users": 1,
    "generation.allocation": 1,
    "generation.candidates": 1,
    "generation.finalise": 1,  # moved with finalise() from generation.prompts
    "generation.flaws": 1,
    "generation.heuristic_judge": 1,
    "generation.llm_judge": 1,
    "generation.questions": 1,
    "generation.selection": 1,
    "generation.similarity": 1,
    "generation.usage_summary": 1,
    "llms.anthropic": 1,
    "llms.cache": 1,
    "llms.embedded": 1,
    "llms.usage": 1,
    "report.markdown": 3,
}


@pytest.mark.parametrize(("name", "at_least"), sorted(DOCUMENTED.items()))
def test_module_keeps_its_examples(name, at_least):
    module = importlib.import_module(f"rlhf_argilla.{name}")
    examples = sum(len(test.examples) for test in doctest.DocTestFinder().find(module))
    assert examples >= at_least
