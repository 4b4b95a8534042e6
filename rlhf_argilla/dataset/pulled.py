"""Reading a pull folder for `build`: the aggregated rows, the agreement summary and who was simulated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rlhf_argilla.domain.pair_kinds import kind_of
from rlhf_argilla.errors import BuildError, first_problem
from rlhf_argilla.schema import (
    AGGREGATED_CONTROL_COLUMNS,
    AGGREGATED_FILE,
    AGREEMENT_FILE,
    ANNOTATIONS_FILE,
    aggregated_columns,
)
from rlhf_argilla.schema.agreement import AgreementSummary

__all__ = ["read_pulled"]

Row = dict[str, Any]


def read_pulled(pull_dir: Path) -> tuple[list[Row], AgreementSummary | None, dict[str, bool] | None]:
    """(aggregated rows, agreement.json or None, annotator -> simulated or None) from a pull folder."""
    import pandas as pd

    table = pull_dir / AGGREGATED_FILE
    if not table.is_file():
        raise BuildError(
            f"no {AGGREGATED_FILE} in {pull_dir}: pull the annotated dataset into that folder first "
            "(`rlhf-argilla pull`)"
        )
    try:
        frame = pd.read_parquet(table)
    except Exception as error:  # pyarrow raises many types for a damaged file
        raise BuildError(f"cannot read {table} ({error.__class__.__name__}): pull again") from None
    if "decided_by" not in frame.columns:  # pulled before the review queue existed
        frame["decided_by"] = "consensus"
    if "pair_kind" not in frame.columns:  # pulled before pair kinds existed: the strategies tell
        frame["pair_kind"] = [kind_of([a, b]) for a, b in zip(frame["strategy_1"], frame["strategy_2"])]
    if "predicted_margin" not in frame.columns:
        frame["predicted_margin"] = None
    for name in AGGREGATED_CONTROL_COLUMNS:  # pulled before control items existed: none
        if name not in frame.columns:
            frame[name] = 0 if name == AGGREGATED_CONTROL_COLUMNS[0] else None
    missing = [name for name in aggregated_columns() if name not in frame.columns]
    if missing:
        raise BuildError(
            f"{table} lacks columns {', '.join(missing)}: it was written by another version; pull again"
        )
    rows = [
        {key: (None if _is_missing(value) else value) for key, value in row.items()}
        for row in frame[list(aggregated_columns())].to_dict(orient="records")
    ]
    agreement = None
    if (pull_dir / AGREEMENT_FILE).is_file():
        agreement = _read_agreement(pull_dir / AGREEMENT_FILE)
    simulated = None
    if (pull_dir / ANNOTATIONS_FILE).is_file():
        annotations = pd.read_parquet(pull_dir / ANNOTATIONS_FILE, columns=["annotator", "simulated"])
        simulated = {
            str(name): bool(flags.any()) for name, flags in annotations.groupby("annotator")["simulated"]
        }
    return rows, agreement, simulated


def _read_agreement(path: Path) -> AgreementSummary:
    text = path.read_text(encoding="utf-8")  # binary content: errors.explain says so
    try:
        return AgreementSummary.from_json(text)
    except ValueError as error:  # not JSON, or not an agreement summary
        why = first_problem(error, "agreement") if isinstance(error, ValidationError) else "not JSON"
        raise BuildError(f"cannot read {path} ({why}): it was not written by `pull`; pull again") from None


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
