"""Integration: the launcher parses question and metadata settings with adapters built once.

Run in the server's own venv against argilla-server's models: the settings of a dataset ``push``
created on the real server parse to the same objects as upstream's, and no ``TypeAdapter`` is
built per call any more (upstream builds one per call: most of the server's time while records
are logged with responses).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.gateway import ArgillaRest
from rlhf_argilla.server.stack import LAUNCHER
from rlhf_argilla.server.venv import ensure_server_venv
from tests.annotation.pairs_factory import make_pairs, write_pairs

pytestmark = pytest.mark.integration

SCRIPT = """
import json, sys
import argilla_server.models.database as db
import launcher

questions, properties = json.loads(sys.stdin.read())
built = 0
upstream_adapter = db.TypeAdapter

def counting(*args, **kwargs):
    global built
    built += 1
    return upstream_adapter(*args, **kwargs)

db.TypeAdapter = counting  # what upstream's parsed_settings calls
def parse():
    return [db.Question(settings=s).parsed_settings for s in questions] + [
        db.MetadataProperty(settings=s).parsed_settings for s in properties
    ]
before = parse()
upstream_built = built
launcher.reuse_settings_adapters()
after = parse()
print(json.dumps({
    "upstream_built": upstream_built,
    "built_after": built - upstream_built,
    "same": [a == b and type(a) is type(b) for a, b in zip(before, after)],
}))
"""


def test_settings_parse_alike_without_an_adapter_per_call(
    argilla_client, argilla_target, session_settings, workspace, tmp_path
):
    push_file(
        argilla_client, write_pairs(tmp_path, make_pairs(1, seed=6)), dataset="s", workspace=workspace.name
    )
    with ArgillaRest(argilla_target) as rest:
        dataset_id = rest.require_dataset("s", workspace.name)["id"]
        questions = [
            item["settings"] for item in rest.call("GET", f"/datasets/{dataset_id}/questions")["items"]
        ]
        properties = [
            item["settings"]
            for item in rest.call("GET", f"/me/datasets/{dataset_id}/metadata-properties")["items"]
        ]
    python = ensure_server_venv(session_settings.data_dir)
    done = subprocess.run(
        [str(python), "-c", SCRIPT],
        input=json.dumps([questions, properties]),
        capture_output=True,
        text=True,
        cwd=LAUNCHER.parent,
        check=True,
    )
    found = json.loads(done.stdout)

    assert {item["type"] for item in questions} >= {"ranking", "rating", "text"}
    assert found["same"] == [True] * (len(questions) + len(properties)) and len(properties) > 3
    assert found["upstream_built"] == len(questions) + len(properties)  # upstream: one per call
    assert found["built_after"] == 0
