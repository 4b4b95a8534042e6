import gzip
import json

import pytest

from rlhf_argilla.analysis.hh_rlhf import (
    Conversation,
    HubDataset,
    LocalFile,
    Malformed,
    first_human_turn,
    iter_conversations,
    resolve_inputs,
    split_turns,
)
from rlhf_argilla.errors import AnalysisError


def test_first_turn_stops_at_the_first_assistant_turn():
    text = "\n\nHuman: line one\nline two\n\nAssistant: reply\n\nHuman: second"
    assert first_human_turn(text) == "line one\nline two"
    assert first_human_turn("\n\nHuman: only a question") == "only a question"
    assert first_human_turn("\n\nAssistant: no human first") is None


def test_split_turns_roundtrips_a_multi_turn_transcript():
    turns = [("Human", "q1"), ("Assistant", "a1"), ("Human", "q2"), ("Assistant", "a2")]
    text = "".join(f"\n\n{role}: {body}" for role, body in turns)
    assert split_turns(text) == turns


def test_stream_yields_every_line_with_source_line_and_reason(tiny_sample):
    items = list(iter_conversations(resolve_inputs([str(tiny_sample.root)])))
    conversations = [item for item in items if isinstance(item, Conversation)]
    malformed = [item for item in items if isinstance(item, Malformed)]

    assert [(c.source, c.line, c.first_turn) for c in conversations] == [e[:3] for e in tiny_sample.expected]
    reasons = {}
    for item in malformed:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    assert reasons == tiny_sample.malformed


def test_truncated_gzip_keeps_earlier_lines_and_reports_the_rest(tmp_path):
    lines = [
        json.dumps({"chosen": f"\n\nHuman: question {n}\n\nAssistant: x" + " pad" * 400}) for n in range(200)
    ]
    whole = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])

    items = list(iter_conversations([LocalFile(path, "cut.jsonl.gz")]))

    assert isinstance(items[-1], Malformed) and items[-1].reason == "unreadable_rest_of_file"
    read = [item for item in items if isinstance(item, Conversation)]
    assert 0 < len(read) < 200
    assert [item.first_turn for item in read] == [f"question {n}" for n in range(len(read))]


def test_progress_reports_every_input_byte(tiny_sample):
    inputs = resolve_inputs([str(tiny_sample.root)])
    seen = []
    list(iter_conversations(inputs, progress=lambda done, total, note=None: seen.append((done, total))))
    size = sum(path.stat().st_size for path in tiny_sample.root.rglob("*.gz"))
    assert seen[-1] == (size, size)  # every byte, of the total known up front
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)  # a running sum


def test_inputs_files_folders_and_hub_ids(tiny_sample, tmp_path):
    single = tiny_sample.root / "a-base" / "test.jsonl.gz"
    assert resolve_inputs([str(single)]) == [LocalFile(single, str(single))]
    assert [item.name for item in resolve_inputs([str(tiny_sample.root)])] == [
        "a-base/test.jsonl.gz",
        "b-base/test.jsonl.gz",
    ]
    assert resolve_inputs([]) == [HubDataset("Anthropic/hh-rlhf", "train")]
    assert resolve_inputs(["Anthropic/hh-rlhf"], split="test") == [HubDataset("Anthropic/hh-rlhf", "test")]

    with pytest.raises(AnalysisError, match="no such file or folder"):
        resolve_inputs([str(tmp_path / "missing.jsonl.gz")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(AnalysisError, match="no \\*.jsonl.gz"):
        resolve_inputs([str(tmp_path / "empty")])


def test_hub_path_streams_through_datasets(tmp_path):
    """The Hub branch runs the real ``datasets`` streaming loader (here on a local folder: no network)."""
    folder = tmp_path / "hub-like"
    folder.mkdir()
    records = [{"chosen": f"\n\nHuman: question {n}\n\nAssistant: answer", "rejected": "x"} for n in range(3)]
    records.append({"chosen": "Assistant: no human turn", "rejected": "Assistant: neither"})
    (folder / "test.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))

    items = list(iter_conversations([HubDataset(str(folder), "test")]))

    assert [(item.line, item.first_turn) for item in items[:3]] == [
        (n + 1, f"question {n}") for n in range(3)
    ]
    assert items[3] == Malformed(f"{folder}:test", 4, "no_human_turn")


def test_unreachable_hub_dataset_is_one_clear_error(tmp_path):
    with pytest.raises(
        AnalysisError, match="cannot stream .* give local \\*.jsonl.gz files as the data inputs"
    ):
        list(iter_conversations([HubDataset(str(tmp_path / "no-such-dataset"), "train")]))
