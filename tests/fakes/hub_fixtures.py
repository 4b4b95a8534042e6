"""Fixtures around the fake Hub: a loopback Hub, Xet off, no cached token, a built dataset.

Import them where needed: ``from tests.fakes.hub_fixtures import hub, hub_settings, built_dataset``.
"""

from __future__ import annotations

import pytest

from tests.dataset.factory import make_aggregated, write_pull_dir
from tests.fakes.hub_server import VALID_TOKEN, FakeHub


@pytest.fixture
def hub(monkeypatch, tmp_path):
    """A fresh fake Hub; the client uses the plain LFS path and sees no token but the one given."""
    import huggingface_hub.constants as constants

    monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)  # read at import time
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-login" / "token"))
    for name in (
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "RLHF_ARGILLA_HF_TOKEN",
        "HF_ENDPOINT",
        "RLHF_ARGILLA_HF_ENDPOINT",
        "HF_HUB_OFFLINE",
    ):
        monkeypatch.delenv(name, raising=False)
    with FakeHub() as fake:
        yield fake


@pytest.fixture
def hub_settings(hub):
    from rlhf_argilla.config import load_settings

    return load_settings(hf_endpoint=hub.url, hf_token=VALID_TOKEN)


@pytest.fixture(scope="session")
def built_dataset(tmp_path_factory):
    """A build with every config (ties kept), made once per session; tests must not modify it."""
    from rlhf_argilla.dataset.build import build

    root = tmp_path_factory.mktemp("published")
    pull = write_pull_dir(root / "pull", make_aggregated(60, pairs_per_prompt=(1, 2), tie_every=5, seed=3))
    return build(pull, root / "built", ties="keep").out
