"""build_llm: backend choice, defaults per role, argument checks."""

from __future__ import annotations

import pytest

from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import ConfigError
from rlhf_argilla.llms import EMBEDDED_MODEL_NAME
from rlhf_argilla.llms.factory import build_llm
from rlhf_argilla.llms.profiles import profile_for


def test_embedded_is_the_keyless_default(tmp_path):
    llm = build_llm(load_settings(backend="embedded", anthropic_api_key="", data_dir=tmp_path))
    assert llm.backend == "embedded" and llm.model_name == EMBEDDED_MODEL_NAME
    assert "demo quality" in llm.model_name
    assert llm.generation_kwargs == {"max_new_tokens": profile_for("embedded").max_new_tokens("generator")}
    assert llm.cache_dir == str(tmp_path / "cache")


def test_anthropic_roles_models_and_overrides(anthropic_settings):
    judge = build_llm(
        anthropic_settings, role="judge", model="claude-sonnet-4-5", max_cost_usd=2.0, concurrency=5
    )
    assert (judge.backend, judge.model_name, judge.max_cost_usd, judge.concurrency) == (
        "anthropic",
        "claude-sonnet-4-5",
        2.0,
        5,
    )
    assert judge.generation_kwargs == {"max_new_tokens": profile_for("anthropic").max_new_tokens("judge")}
    generator = build_llm(anthropic_settings, max_new_tokens=42)
    assert generator.model_name == anthropic_settings.anthropic_model
    assert generator.generation_kwargs == {"max_new_tokens": 42}
    assert generator.budget_id != judge.budget_id
    assert build_llm(anthropic_settings, budget_id="run").budget_id == "run"


def test_negative_budget_is_refused(anthropic_settings):
    with pytest.raises(ConfigError, match="max cost"):
        build_llm(anthropic_settings, max_cost_usd=-1)
