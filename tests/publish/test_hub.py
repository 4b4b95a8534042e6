"""publish: the real huggingface_hub client uploads to a loopback Hub; the repo equals the build."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rlhf_argilla.errors import PublishError
from rlhf_argilla.publish.hub import dry_run, publish, upload_files
from tests.fakes.hub_server import VALID_TOKEN

REPO = "alice/fitness-preferences"


def _digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def _local(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_upload_reaches_the_hub_and_the_repo_equals_the_build(hub, hub_settings, built_dataset):
    result = publish(built_dataset, REPO, hub_settings, private=True, commit_message="first build")
    remote = hub.files(REPO)
    assert remote.pop(".gitattributes")  # created with the repo, as on the Hub
    assert _digests(remote) == _digests(_local(built_dataset))
    assert {
        "README.md",
        "subtopics.png",
        "default/train.parquet",
        "kto/test.parquet",
        "ties/train.parquet",
    } <= set(remote)
    repo = hub.repos[f"datasets/{REPO}"]
    assert repo.private and repo.commits[-1]["summary"] == "first build"
    assert {path for path in repo.lfs} == {name for name in remote if not name.endswith(".md")}
    assert ("POST", f"/datasets/{REPO}.git/info/lfs/objects/batch") in hub.requests
    assert hub.seen_tokens == {VALID_TOKEN} and VALID_TOKEN not in repr(result)
    assert result.commit_url.endswith(repo.commits[-1]["oid"])


def test_republish_mirrors_the_new_build(hub, hub_settings, built_dataset, tmp_path):
    from rlhf_argilla.dataset.build import build

    publish(built_dataset, REPO, hub_settings)
    publish(built_dataset, REPO, hub_settings)  # unchanged: the client skips the empty commit
    assert len(hub.repos[f"datasets/{REPO}"].commits) == 1
    smaller = build(built_dataset.parent / "pull", tmp_path / "no-ties").out  # ties excluded
    publish(smaller, REPO, hub_settings)
    remote = hub.files(REPO)
    remote.pop(".gitattributes")
    assert not any(name.startswith("ties/") for name in remote)
    assert _digests(remote) == _digests(_local(smaller))


def test_dry_run_writes_exactly_what_is_uploaded(hub, hub_settings, built_dataset, tmp_path):
    written = dry_run(built_dataset, tmp_path / "dry", REPO)
    publish(built_dataset, REPO, hub_settings)
    remote = hub.files(REPO)
    remote.pop(".gitattributes")
    assert sorted(written) == sorted(remote) == sorted(upload_files(built_dataset))
    assert _digests(_local(tmp_path / "dry")) == _digests(remote)
    assert dry_run(built_dataset, tmp_path / "dry", REPO) == written  # rerun replaces the earlier dry run


def test_token_from_the_cached_login(hub, built_dataset, tmp_path):
    import huggingface_hub.constants as constants

    from rlhf_argilla.config import load_settings

    Path(constants.HF_TOKEN_PATH).parent.mkdir(parents=True)
    Path(constants.HF_TOKEN_PATH).write_text(VALID_TOKEN)
    publish(built_dataset, REPO, load_settings(hf_endpoint=hub.url))
    assert hub.seen_tokens == {VALID_TOKEN} and f"datasets/{REPO}" in hub.repos


@pytest.mark.parametrize("repo_id", ["no-owner", "alice/", "a/b/c", "alice/bad name", "alice/x..y", "-a/x"])
def test_invalid_repo_id_is_one_clear_line(hub, hub_settings, built_dataset, repo_id):
    with pytest.raises(PublishError, match="invalid repo id .* use OWNER/NAME"):
        publish(built_dataset, repo_id, hub_settings)
    assert hub.requests == []


def test_missing_token_is_one_clear_line(hub, built_dataset):
    from rlhf_argilla.config import load_settings

    with pytest.raises(PublishError, match="no Hugging Face token: set HF_TOKEN"):
        publish(built_dataset, REPO, load_settings(hf_endpoint=hub.url))
    assert hub.requests == []


def test_rejected_token_is_one_clear_line_without_the_token(hub, built_dataset):
    from rlhf_argilla.config import load_settings

    secret = "hf_wrong_token_must_not_leak"
    with pytest.raises(PublishError, match=r"rejected the token \(401\)") as caught:
        publish(built_dataset, REPO, load_settings(hf_endpoint=hub.url, hf_token=secret))
    assert secret not in str(caught.value) and hub.repos == {}


def test_network_down_is_one_clear_line(hub, built_dataset):
    import socket

    from rlhf_argilla.config import load_settings

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(PublishError, match="cannot reach the Hub at .* check your network"):
        publish(built_dataset, REPO, load_settings(hf_endpoint=closed, hf_token=VALID_TOKEN))


def test_not_a_build_folder(hub, hub_settings, tmp_path):
    with pytest.raises(PublishError, match="is not a built dataset"):
        publish(tmp_path, REPO, hub_settings)


def test_read_back_with_load_dataset(hub, hub_settings, built_dataset, tmp_path):
    """A fresh process (HF_ENDPOINT read at import) loads every config from the fake Hub."""
    publish(built_dataset, REPO, hub_settings)
    code = (
        "import json, sys\nfrom datasets import load_dataset\n"
        "out = {c: {s: sorted(d['pair_id']) for s, d in load_dataset(sys.argv[1], c).items()}"
        " for c in ('default', 'kto', 'ties')}\nprint(json.dumps(out))"
    )
    env = {
        **os.environ,
        "HF_ENDPOINT": hub.url,
        "HF_TOKEN": VALID_TOKEN,
        "HF_HUB_DISABLE_XET": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, REPO], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    import pandas as pd

    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    for config, splits in loaded.items():
        for split, ids in splits.items():
            expected = pd.read_parquet(built_dataset / config / f"{split}.parquet")["pair_id"]
            assert ids == sorted(expected)
    assert any(method == "GET" and "/resolve/" in path for method, path in hub.requests)
