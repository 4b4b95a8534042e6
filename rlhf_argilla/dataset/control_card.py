"""Pure: control items in `build`: kept out of every split, reported in their own card section.

Control pairs (``push --controls``) have a right answer known by construction; their rows in
aggregated.parquet carry ``control`` = 1, the right response number and the source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from rlhf_argilla.schema import AGGREGATED_CONTROL_COLUMNS
from rlhf_argilla.schema.agreement import AgreementSummary

__all__ = ["is_control", "split_controls", "control_facts", "control_section"]

_FLAG, _EXPECTED, _SOURCE = AGGREGATED_CONTROL_COLUMNS
Row = TypeVar("Row", bound=Mapping[str, Any])


def is_control(row: Mapping[str, Any]) -> bool:
    """True for a control pair's row.

    Example:
        >>> is_control({"control": 1}), is_control({"control": 0}), is_control({"control": None}), is_control({})
        (True, False, False, False)
    """
    value = row.get(_FLAG)
    return value is not None and value == value and int(value) == 1


def split_controls(rows: Sequence[Row]) -> tuple[list[Row], list[Row]]:
    """(ordinary rows, control rows), order kept."""
    return [row for row in rows if not is_control(row)], [row for row in rows if is_control(row)]


def control_facts(
    controls: Sequence[Mapping[str, Any]], agreement: AgreementSummary | None
) -> dict[str, Any] | None:
    """What the card says about the control items (None when there were none).

    Example:
        >>> rows = [{"control": 1, "control_expected": 1, "control_source": "gold", "preferred": "1"},
        ...         {"control": 1, "control_expected": 2, "control_source": "flaw-edit", "preferred": "tie"}]
        >>> control_facts(rows, None)
        {'annotated': 2, 'pushed': None, 'by_source': {'flaw-edit': 1, 'gold': 1}, 'aggregate_right': 1, 'per_annotator': []}
    """
    reliability = agreement.reliability if agreement else None
    pushed = reliability.control_records if reliability else None
    if not controls and not pushed:
        return None
    per_annotator = [
        {"annotator": row.annotator, "controls": row.controls, "accuracy": row.control_accuracy}
        for row in (reliability.per_annotator if reliability else [])
        if row.controls
    ]
    return {
        "annotated": len(controls),
        "pushed": pushed,
        "by_source": dict(sorted(Counter(str(row.get(_SOURCE)) for row in controls).items())),
        "aggregate_right": sum(str(row.get("preferred")) == str(row.get(_EXPECTED)) for row in controls),
        "per_annotator": per_annotator,
    }


def control_section(facts: dict[str, Any] | None) -> list[str]:
    """Markdown lines of the card's "Control items" section (empty without controls).

    Example:
        >>> facts = {"annotated": 4, "pushed": 5, "by_source": {"gold": 4}, "aggregate_right": 3,
        ...          "per_annotator": [{"annotator": "ann", "controls": 4, "accuracy": 0.75}]}
        >>> text = "\\n\\n".join(control_section(facts))
        >>> "**4 control pairs**" in text and "| `ann` | 4 | 0.750 |" in text and "3 of 4" in text
        True
    """
    if not facts:
        return []
    sources = ", ".join(f"{count} {name}" for name, count in facts["by_source"].items()) or "none answered"
    pushed = f" of {facts['pushed']} pushed" if facts.get("pushed") is not None else ""
    lines = [
        "## Control items",
        f"**{facts['annotated']} control pairs**{pushed} ({sources}) were annotated among the pairs: their "
        "right answer is known by construction (a good answer against its copy with the safety advice removed "
        "and a careless push added, or a hand-written gold pair), and nothing in the annotation UI marks them. "
        "They are **not in any split** of any config and not in the counts or agreement figures above. "
        f"The aggregated preference named the right answer on {facts['aggregate_right']} of {facts['annotated']}.",
    ]
    if facts["per_annotator"]:
        table = ["| annotator | controls answered | control accuracy |", "|---|---:|---:|"]
        table += [
            f"| `{row['annotator']}` | {row['controls']} | "
            + ("–" if row["accuracy"] is None else f"{row['accuracy']:.3f}")
            + " |"
            for row in facts["per_annotator"]
        ]
        lines.append("\n".join(table))
    return lines
