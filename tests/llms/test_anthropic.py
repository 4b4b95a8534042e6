"""ClaudeLLM with the real anthropic SDK against the loopback Messages API (only base_url differs)."""

from __future__ import annotations

import time

import pytest

from rlhf_argilla.errors import ConfigError, GenerationError
from rlhf_argilla.llms.anthropic import split_system
from rlhf_argilla.llms.factory import build_llm
from rlhf_argilla.llms.usage import cost_usd
from tests.fakes.messages_api import default_reply

pytestmark = pytest.mark.timeout(120)  # a hang must fail, not stall CI

SYSTEM = "You are a certified strength coach. " * 40  # long enough to be worth caching


def chats(n: int, system: str | None = SYSTEM) -> list[list[dict[str, str]]]:
    head = [{"role": "system", "content": system}] if system else []
    return [
        head + [{"role": "user", "content": f"Question {i}: how many rest days per week?"}] for i in range(n)
    ]


def generate(llm, inputs, n: int = 1):
    return llm.generate_outputs(inputs, num_generations=n, **llm.get_generation_kwargs())


def test_text_usage_and_cost_come_from_the_api(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings, max_new_tokens=300)
    llm.load()
    [out] = generate(llm, chats(1))
    [body] = messages_api.bodies
    assert out["generations"] == [default_reply(body)]
    assert body["max_tokens"] == 300 and "temperature" not in body
    assert body["system"] == [{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}]
    stats = {key: values[0] for key, values in out["statistics"].items()}
    assert stats["output_tokens"] > 0 and stats["cache_creation_input_tokens"] > 0
    expected = cost_usd(
        "claude-haiku-4-5",
        **{
            k: stats[k]
            for k in (
                "input_tokens",
                "output_tokens",
                "cache_creation_input_tokens",
                "cache_read_input_tokens",
            )
        },
    )
    assert stats["cost_usd"] == pytest.approx(expected) and stats["cost_usd"] > 0
    assert stats["from_cache"] is False


def test_shared_system_prompt_is_read_from_the_prompt_cache(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings, concurrency=1)
    llm.load()
    outs = generate(llm, chats(3))
    reads = [o["statistics"]["cache_read_input_tokens"][0] for o in outs]
    writes = [o["statistics"]["cache_creation_input_tokens"][0] for o in outs]
    assert writes[0] > 0 and reads[0] == 0
    assert reads[1:] == [writes[0], writes[0]] and writes[1:] == [0, 0]
    assert outs[2]["statistics"]["cost_usd"][0] < outs[0]["statistics"]["cost_usd"][0]


@pytest.mark.parametrize("status", [429, 529])
def test_injected_overload_is_retried_after_retry_after(anthropic_settings, messages_api, status):
    llm = build_llm(anthropic_settings)
    llm.load()
    messages_api.inject(status, times=2, retry_after=0.3)
    started = time.monotonic()
    [out] = generate(llm, chats(1))
    assert out["generations"][0] is not None and out["generations"][0].startswith("reply-")
    assert messages_api.counts[("POST", "/v1/messages", status)] == 2
    assert messages_api.successful_calls == 1
    assert time.monotonic() - started >= 0.6  # waited what retry-after said, twice


def test_timed_out_call_is_retried(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings)
    llm.timeout_s = 0.5
    llm.load()
    messages_api.inject_delay(3.0)
    [out] = generate(llm, chats(1))
    assert out["generations"][0] is not None
    assert messages_api.message_calls == 2  # the timed-out attempt and its retry


def test_failure_after_all_retries_leaves_none_and_is_not_cached(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings)
    llm.max_retries = 1
    llm.load()
    messages_api.inject(529, times=2, retry_after=0.05)
    [out] = generate(llm, chats(1))
    assert out["generations"] == [None]
    [again] = generate(llm, chats(1))  # a rerun fills the hole
    assert again["generations"][0] is not None and again["statistics"]["from_cache"] == [False]


def test_concurrency_limit_is_respected(anthropic_settings, messages_api):
    messages_api.latency_s = 0.5  # long enough for 3 calls to overlap even on a busy machine
    llm = build_llm(anthropic_settings, concurrency=3)
    llm.load()
    generate(llm, chats(9))
    assert messages_api.max_in_flight == 3


def test_missing_key_is_one_line_naming_the_variable(anthropic_settings):
    settings = anthropic_settings.model_copy(update={"anthropic_api_key": None})
    with pytest.raises(ConfigError, match="ANTHROPIC_API_KEY") as caught:
        build_llm(settings)
    assert "\n" not in str(caught.value)


def test_rejected_key_is_a_config_error(anthropic_settings):
    from pydantic import SecretStr

    settings = anthropic_settings.model_copy(update={"anthropic_api_key": SecretStr("sk-wrong")})
    with pytest.raises(ConfigError, match="rejected the key"):
        build_llm(settings).load()


def test_unknown_model_fails_at_load_with_one_line(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings, model="claude-fitness-9")
    with pytest.raises(GenerationError, match="unknown Anthropic model 'claude-fitness-9'") as caught:
        llm.load()
    assert "\n" not in str(caught.value) and "404" in str(caught.value)
    assert messages_api.message_calls == 0


def test_unknown_model_during_generation_is_fatal(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings)
    llm.load()
    llm.model = "claude-retired-1"
    with pytest.raises(GenerationError, match="404"):
        generate(llm, chats(1))


def test_api_key_is_never_serialised(anthropic_settings, messages_api):
    llm = build_llm(anthropic_settings)
    llm.load()
    generate(llm, chats(2))
    secret = anthropic_settings.anthropic_api_key.get_secret_value()
    assert secret not in repr(llm.dump()) and secret not in repr(llm)
    stored = b"".join(p.read_bytes() for p in (anthropic_settings.data_dir / "cache").iterdir())
    assert secret.encode() not in stored


def test_split_system_joins_system_turns_and_keeps_the_rest():
    system, turns = split_system(
        [
            {"role": "system", "content": "A"},
            {"role": "system", "content": "B"},
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": "a"},
        ]
    )
    assert system == "A\n\nB"
    assert [t["role"] for t in turns] == ["user", "assistant"]
    assert split_system([{"role": "user", "content": "q"}])[0] is None


def test_fake_in_its_own_process_is_steered_and_counted(anthropic_settings):
    from tests.fakes.fixtures import FAKE_API_KEY
    from tests.fakes.serve_messages_api import remote, spawn

    proc, url = spawn("--api-key", FAKE_API_KEY, "--latency", "0.05")
    try:
        settings = anthropic_settings.model_copy(update={"anthropic_base_url": url})
        llm = build_llm(settings)
        llm.load()
        remote(url, "inject", status=529, times=1, retry_after=0.1)
        outs = generate(llm, chats(3))
        assert all(o["generations"][0].startswith("reply-") for o in outs)
        stats = remote(url)
        assert (stats["message_calls"], stats["successful_calls"]) == (4, 3)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
