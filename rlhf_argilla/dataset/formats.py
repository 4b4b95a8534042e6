"""Pure: one aggregated pair -> the rows of each built config (TRL column conventions).

* ``default``        TRL preference, standard: ``prompt``, ``chosen``, ``rejected`` strings.
* ``conversational`` TRL preference, conversational: ``prompt`` = user message list,
  ``chosen`` / ``rejected`` = assistant message lists.
* ``hh``             HH-RLHF transcripts (TRL's implicit-prompt format): ``chosen`` / ``rejected``
  = ``"\\n\\nHuman: ...\\n\\nAssistant: ..."``.
* ``kto``            TRL unpaired preference: two rows per pair, ``prompt``, ``completion``, ``label``.
* ``ties``           only with ``--ties keep``: tied pairs, ``prompt``, ``response_1``, ``response_2``.

Every config keeps ``pair_id``, the metadata (with ``pair_kind``: contrast / close), per-criterion
scores, ``margin``, ``predicted_margin`` (the judge's, oriented like ``margin``), ``n_annotators``,
``agreement`` and ``decided_by`` (consensus / review). ``margin`` is re-oriented to "chosen minus
rejected" (mean criterion score); it can be negative when annotators ranked against their own
criterion scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from rlhf_argilla.domain.criteria import CRITERION_IDS

__all__ = [
    "PAIRED_CONFIGS",
    "TIES_CONFIG",
    "ROW_BUILDERS",
    "is_tie",
    "to_preference",
    "to_conversational",
    "to_hh",
    "to_kto",
    "to_tie",
    "features",
]

Row = dict[str, Any]
PAIRED_CONFIGS: tuple[str, ...] = ("default", "conversational", "hh", "kto")
TIES_CONFIG = "ties"
_META = ("subtopic", "persona", "difficulty", "pair_kind")


def is_tie(row: Mapping[str, Any]) -> bool:
    """True when the aggregated preference is a tie."""
    return str(row["preferred"]) == "tie"


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _decided_by(row: Row) -> str:
    """Who settled the preference: "review" (a reviewer) or "consensus" (the first-round aggregate)."""
    return str(row.get("decided_by") or "consensus")


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def _side(row: Row, side: str, suffix: str) -> Row:
    """Scores, strategy and model of response ``side`` ("1"/"2"), keys suffixed with ``suffix``."""
    scores = {name: _number(row.get(f"{name}_{side}")) for name in CRITERION_IDS}
    out = {f"{name}{suffix}": value for name, value in scores.items()}
    out[f"score{suffix}"] = _mean(list(scores.values()))
    out[f"strategy{suffix}"] = row.get(f"strategy_{side}")
    out[f"model{suffix}"] = row.get(f"model_{side}")
    return out


def _oriented(row: Row) -> tuple[str, str, float | None]:
    """(chosen side, rejected side, margin chosen minus rejected) of a non-tie pair."""
    if is_tie(row):
        raise ValueError(f"pair {row['pair_id']} is a tie: it has no chosen response")
    chosen = str(row["preferred"])
    margin = _number(row.get("margin"))
    if margin is not None and chosen == "2":
        margin = -margin
    return chosen, "1" if chosen == "2" else "2", margin


def _predicted(row: Row, chosen: str) -> float | None:
    """The judge's predicted margin oriented like ``margin`` (chosen minus rejected; as stored for "1")."""
    value = _number(row.get("predicted_margin"))
    return -value if value is not None and chosen == "2" else value


def _paired_extras(row: Row) -> Row:
    chosen, rejected, margin = _oriented(row)
    extras = {"pair_id": row["pair_id"], **{key: row.get(key) for key in _META}}
    extras.update(_side(row, chosen, "_chosen"))
    extras.update(_side(row, rejected, "_rejected"))
    extras.update(
        margin=margin,
        predicted_margin=_predicted(row, chosen),
        n_annotators=int(row["n_annotators"]),
        agreement=_number(row.get("agreement")),
    )
    extras["decided_by"] = _decided_by(row)
    return extras


def to_preference(row: Row) -> Row:
    """TRL standard preference row.

    Example:
        >>> row = {"pair_id": "p1", "prompt": "How do I squat?", "response_1": "Brace.", "response_2": "Dunno.",
        ...        "preferred": "1", "margin": 1.5, "n_annotators": 3, "agreement": 1.0}
        >>> {k: v for k, v in to_preference(row).items() if k in ("prompt", "chosen", "rejected", "margin")}
        {'prompt': 'How do I squat?', 'chosen': 'Brace.', 'rejected': 'Dunno.', 'margin': 1.5}
    """
    chosen, rejected, _ = _oriented(row)
    return {
        "prompt": row["prompt"],
        "chosen": row[f"response_{chosen}"],
        "rejected": row[f"response_{rejected}"],
        **_paired_extras(row),
    }


def to_conversational(row: Row) -> Row:
    """TRL conversational preference row (message lists).

    Example:
        >>> row = {"pair_id": "p1", "prompt": "Hi?", "response_1": "A", "response_2": "B", "preferred": "2",
        ...        "margin": 0.5, "n_annotators": 2, "agreement": 0.5}
        >>> out = to_conversational(row)
        >>> out["prompt"], out["chosen"], out["margin"]
        ([{'role': 'user', 'content': 'Hi?'}], [{'role': 'assistant', 'content': 'B'}], -0.5)
    """
    flat = to_preference(row)
    return {
        **flat,
        "prompt": [{"role": "user", "content": flat["prompt"]}],
        "chosen": [{"role": "assistant", "content": flat["chosen"]}],
        "rejected": [{"role": "assistant", "content": flat["rejected"]}],
    }


def to_hh(row: Row) -> Row:
    """HH-RLHF transcript row (no separate prompt column, as in Anthropic/hh-rlhf).

    Example:
        >>> row = {"pair_id": "p1", "prompt": "Hi?", "response_1": "A", "response_2": "B", "preferred": "1",
        ...        "margin": 0.5, "n_annotators": 2, "agreement": 1.0}
        >>> to_hh(row)["chosen"]
        '\\n\\nHuman: Hi?\\n\\nAssistant: A'
    """
    flat = to_preference(row)
    prefix = f"\n\nHuman: {flat.pop('prompt')}\n\nAssistant: "
    return {**flat, "chosen": prefix + flat["chosen"], "rejected": prefix + flat["rejected"]}


def to_kto(row: Row) -> list[Row]:
    """Two TRL unpaired rows per pair: the chosen completion labelled True, the rejected one False.

    Example:
        >>> row = {"pair_id": "p1", "prompt": "Hi?", "response_1": "A", "response_2": "B", "preferred": "1",
        ...        "margin": 0.5, "n_annotators": 2, "agreement": 1.0}
        >>> [(out["completion"], out["label"]) for out in to_kto(row)]
        [('A', True), ('B', False)]
    """
    chosen, rejected, margin = _oriented(row)
    common = {
        "pair_id": row["pair_id"],
        **{key: row.get(key) for key in _META},
        "margin": margin,
        "predicted_margin": _predicted(row, chosen),
        "n_annotators": int(row["n_annotators"]),
        "agreement": _number(row.get("agreement")),
        "decided_by": _decided_by(row),
    }
    return [
        {
            "prompt": row["prompt"],
            "completion": row[f"response_{side}"],
            "label": label,
            **common,
            **_side(row, side, ""),
        }
        for side, label in ((chosen, True), (rejected, False))
    ]


def to_tie(row: Row) -> Row:
    """A tied pair: both responses side by side with their scores (not a preference).

    Example:
        >>> row = {"pair_id": "p1", "prompt": "Hi?", "response_1": "A", "response_2": "B", "preferred": "tie",
        ...        "margin": 0.0, "n_annotators": 2, "agreement": 1.0}
        >>> to_tie(row)["response_2"], to_tie(row)["margin"]
        ('B', 0.0)
    """
    out = {
        "prompt": row["prompt"],
        "response_1": row["response_1"],
        "response_2": row["response_2"],
        "pair_id": row["pair_id"],
        **{key: row.get(key) for key in _META},
    }
    out.update(_side(row, "1", "_1"))
    out.update(_side(row, "2", "_2"))
    out.update(
        margin=_number(row.get("margin")),
        predicted_margin=_predicted(row, "1"),
        n_annotators=int(row["n_annotators"]),
        agreement=_number(row.get("agreement")),
        decided_by=_decided_by(row),
    )
    return out


ROW_BUILDERS: dict[str, Callable[[Row], Row | list[Row]]] = {
    "default": to_preference,
    "conversational": to_conversational,
    "hh": to_hh,
    "kto": to_kto,
    TIES_CONFIG: to_tie,
}


def features(config: str):
    """The ``datasets.Features`` of a config, so every split (even a small one) has the same schema."""
    from datasets import Features, List, Value

    text, number = Value("string"), Value("float64")
    messages = List({"role": Value("string"), "content": Value("string")})
    sides = {
        "default": ("_chosen", "_rejected"),
        "conversational": ("_chosen", "_rejected"),
        "hh": ("_chosen", "_rejected"),
        "kto": ("",),
        TIES_CONFIG: ("_1", "_2"),
    }[config]
    head = {
        "default": {"prompt": text, "chosen": text, "rejected": text},
        "conversational": {"prompt": messages, "chosen": messages, "rejected": messages},
        "hh": {"chosen": text, "rejected": text},
        "kto": {"prompt": text, "completion": text, "label": Value("bool")},
        TIES_CONFIG: {"prompt": text, "response_1": text, "response_2": text},
    }[config]
    columns = {**head, "pair_id": text, **{key: text for key in _META}}
    for suffix in sides:
        columns.update({f"{name}{suffix}": number for name in CRITERION_IDS})
        columns.update({f"score{suffix}": number, f"strategy{suffix}": text, f"model{suffix}": text})
    columns.update(margin=number, predicted_margin=number, n_annotators=Value("int64"), agreement=number)
    columns.update(decided_by=text)
    return Features(columns)
