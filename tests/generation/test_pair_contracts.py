"""The pairs pipeline's column contracts (``schema.pairs``): a planted row round-trips byte for byte, its
selection counts answered candidates only, and a row that breaks the contract fails with one line.

The planted row is written the way the steps wrote their columns before the models existed (``json.dumps``
of plain dicts), so a model that reorders, drops or reformats a field shows up as a changed column.
"""

from __future__ import annotations

import json

import pytest

from rlhf_argilla.errors import GenerationError, InputError
from rlhf_argilla.generation.pairs import assemble_pairs
from rlhf_argilla.schema import PAIRS_FILE, JudgeVerdict, PairRow, PairSelection, write_jsonl
from rlhf_argilla.schema.pairs import candidates_column, read_candidates

PROMPT = "I'm 40 and new to lifting. How many days a week should I squat?"
TEXTS = {
    "certified_coach": "Squat twice a week: 3 sets of 5 with a weight you can move with good form.",
    "sports_scientist": "Two or three sessions a week; keep two rest days between heavy ones.",
    "flaw_no_safety": "Squat every day and ignore the soreness, pain is weakness leaving.",
}


def _scores(level: int, model: str = "claude-haiku-4-5") -> dict:
    names = ("accuracy", "safety", "clarity", "completeness", "actionability")
    return {**{name: level for name in names}, "rationale": f"level {level}", "judge_model": model}


def _planted(**columns: str) -> dict:
    """One select_pair row as the steps write it; the first candidate is unanswered (cut to a fragment),
    so every index counts from the second: an index into the whole list would pick other texts."""
    candidates = [
        {
            "strategy": "gym_buddy",
            "text": None,
            "usage": {"output_tokens": 64},
            "params": {"max_new_tokens": 64},
        },
        *(
            {
                "strategy": sid,
                "text": text,
                "usage": {"input_tokens": 90, "output_tokens": 40, "from_cache": False},
                "params": {
                    "max_new_tokens": 256,
                    **({"flaw_edit": "drop_caveats"} if sid.startswith("flaw") else {}),
                },
            }
            for sid, text in TEXTS.items()
        ),
    ]
    probe = {
        "model": "claude-haiku-4-5",
        "order": [2, 0, 1],
        "scores": [_scores(4), _scores(4), _scores(2)],
        "usage": {"input_tokens": 700, "output_tokens": 120},
    }
    selection = {"first": 0, "second": 2, "margin": 2.0, "distance": 0.9412,
                 "method": "max-judge-margin+distance>=0.5", "kind": "contrast", "requested_kind": "contrast",
                 "swap": "consistent"}  # fmt: skip
    return {
        "prompt_id": "a1b2c3d4e5f60718",
        "prompt": PROMPT,
        "subtopic": "strength_training",
        "persona": "older_adult",
        "difficulty": "basic",
        "pair_kind": "contrast",
        "model_name": "claude-haiku-4-5",
        "candidates": json.dumps(candidates),
        "judged": json.dumps([_scores(4), _scores(3), _scores(2)]),
        "judge_usage": json.dumps({"input_tokens": 700, "output_tokens": 118}),
        "judge_order": json.dumps([1, 2, 0]),
        "judge_swap": json.dumps(probe),
        "selection": json.dumps(selection),
        **columns,
    }


def test_every_column_of_a_planted_row_round_trips_byte_for_byte():
    row = _planted()
    assert candidates_column(read_candidates(row["candidates"])) == row["candidates"]
    columns = JudgeVerdict.of_row(row).columns()
    assert columns == {name: row[name] for name in ("judged", "judge_usage", "judge_order", "judge_swap")}
    selection = PairSelection.of_column(row["selection"])
    assert selection is not None and selection.column() == row["selection"]
    # heuristic-v1 writes neither order nor probe, and reads back without them
    heuristic = {"judged": json.dumps([_scores(3, "heuristic-v1")] * 2), "judge_usage": "{}"}
    assert JudgeVerdict.of_row(heuristic).columns() == heuristic
    assert PairSelection.of_column("null") is None


def test_the_selection_indexes_the_answered_candidates_and_the_pair_line_round_trips(tmp_path):
    (pair,) = assemble_pairs([_planted()])
    # first=0, second=2 over the answered three: the coach and the flaw (not gym_buddy, the unanswered one)
    assert (pair.response_1.strategy, pair.response_2.strategy) == ("certified_coach", "flaw_no_safety")
    assert (pair.response_1.text, pair.response_2.text) == (TEXTS["certified_coach"], TEXTS["flaw_no_safety"])
    assert (pair.response_1.judge.safety, pair.response_2.judge.safety) == (4, 2)
    assert pair.response_2.params == {"max_new_tokens": 256, "flaw_edit": "drop_caveats"}
    assert pair.response_1.usage.input_tokens == 90  # the raw statistics' flags (from_cache) dropped
    assert pair.selection.model_dump() == {
        "method": "max-judge-margin+distance>=0.5",
        "predicted_margin": 2.0,
        "judge_swap": "consistent",
        "requested_kind": "contrast",
    }
    assert pair.pair_kind == "contrast"
    assert pair.pair_id == PairRow.make_id(PROMPT, TEXTS["certified_coach"], TEXTS["flaw_no_safety"])
    line = write_jsonl(tmp_path / PAIRS_FILE, [pair]).read_text(encoding="utf-8")
    assert PairRow.model_validate_json(line).model_dump_json() + "\n" == line
    # a prompt with no selection (fewer than two answered and judged) makes no pair
    assert assemble_pairs([_planted(selection="null", judged="null")]) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"second": 3}, "selection picks answered candidate 4 of 3 (first=0, second=3)"),
        ({"first": 2, "second": 1}, "selection column: first (2) must come before second (1)"),
        ({"swap": "sideways"}, "selection column swap: Input should be 'consistent' or 'flipped'"),
        ({"kind": "medium"}, "selection column kind: Input should be 'contrast' or 'close'"),
    ],
)
def test_a_selection_that_breaks_the_contract_fails_with_one_line(change, expected):
    selection = {**json.loads(_planted()["selection"]), **change}
    with pytest.raises(GenerationError) as caught:
        assemble_pairs([_planted(selection=json.dumps(selection))])
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"judged": json.dumps([_scores(4), _scores(3)])}, "judge columns: judge order [1, 2, 0] is not an"),
        (
            {"judged": json.dumps([_scores(4), _scores(3)]), "judge_order": "[1, 0]", "judge_swap": "null"},
            "selection picks answered candidate 3 of 2",  # the judge scored fewer than were answered
        ),
        ({"judge_order": "[0, 0, 1]"}, "judge columns: judge order [0, 0, 1] is not an order of the 3"),
        (
            {"judged": json.dumps([_scores(4), _scores(9), _scores(2)])},
            "judge columns scores.1.accuracy: Input should be less than or equal to 5",
        ),
        ({"candidates": '[{"strategy": "a"}]'}, "candidates column, item 0 text: Field required"),
        ({"selection": "{first: 0"}, "selection column is not JSON (Expecting property name"),
    ],
)
def test_columns_that_do_not_fit_their_model_fail_with_one_line(columns, expected):
    with pytest.raises(GenerationError) as caught:
        assemble_pairs([_planted(**columns)])
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)


def test_an_unknown_swap_label_in_pairs_jsonl_is_one_input_error_line(tmp_path):
    from rlhf_argilla.annotation.pairs_file import check_pairs

    (pair,) = assemble_pairs([_planted()])
    line = json.loads(pair.model_dump_json())
    line["selection"]["judge_swap"] = "sideways"
    file = tmp_path / PAIRS_FILE
    file.write_text(pair.model_dump_json() + "\n" + json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_pairs(file)
    assert str(caught.value) == (
        f"{file}:2: selection.judge_swap: Input should be 'consistent' or 'flipped' (fix or regenerate the pairs)"
    )
