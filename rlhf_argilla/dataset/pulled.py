"""Reading a pull folder for `build`: the aggregated rows, the agreement summary and who was simulated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_pulled", "aggregated_file", "read_extras", "complete_frame", "frame_rows"]

Row = dict[str, Any]


def read_pulled(pull_dir: Path) -> tuple[list[Row], AgreementSummary | None, dict[str, bool] | None]:
    """(aggregated rows, agreement.json or None, annotator -> simulated or None) from a pull folder."""
    import pandas as pd

    table = aggregated_file(pull_dir)
    try:
        frame = pd.read_parquet(table)
    except Exception as error:  # pyarrow raises many types for a damaged file
        raise BuildError(f"cannot read {table} ({error.__class__.__name__}): pull again") from None
    frame = complete_frame(frame, table)
    return frame_rows(frame, list(aggregated_columns())), *read_extras(pull_dir)


def aggregated_file(pull_dir: Path) -> Path:
    """The pull folder's aggregated.parquet, or a BuildError saying to pull first."""
    table = pull_dir / AGGREGATED_FILE
    if not table.is_file():
        raise BuildError(
            f"no {AGGREGATED_FILE} in {pull_dir}: pull the annotated dataset into that folder first "
            "(`rlhf-argilla pull`)"
        )
    return table


def read_extras(pull_dir: Path) -> tuple[AgreementSummary | None, dict[str, bool] | None]:
    """(agreement.json or None, annotator -> simulated or None) from a pull folder."""

    agreement = None
    if (pull_dir / AGREEMENT_FILE).is_file():
        agreement = _read_agreement(pull_dir / AGREEMENT_FILE)
    simulated = None
    if (pull_dir / ANNOTATIONS_FILE).is_file():
        from rlhf_argilla.dataset.annotations_read import read_simulated

        simulated = read_simulated(pull_dir / ANNOTATIONS_FILE)
    return agreement, simulated


def complete_frame(
    frame: pd.DataFrame, table: Path | None = None, without: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Fill the columns older pulls lack (decided_by, pair_kind, predicted_margin, controls); check the rest.

    Args:
        frame: aggregated rows (the whole table or one batch of it; the text columns may be left out).
        table: the file, for the error message.
        without: columns of ``schema.aggregated_columns()`` left out on purpose (not checked).
    """
    if "decided_by" not in frame.columns:  # pulled before the review queue existed
        frame["decided_by"] = "consensus"
    if "pair_kind" not in frame.columns:  # pulled before pair kinds existed: the strategies tell
        frame["pair_kind"] = [kind_of([a, b]) for a, b in zip(frame["strategy_1"], frame["strategy_2"])]
    if "predicted_margin" not in frame.columns:
        frame["predicted_margin"] = None
    for name in AGGREGATED_CONTROL_COLUMNS:  # pulled before control items existed: none
        if name not in frame.columns:
            frame[name] = 0 if name == AGGREGATED_CONTROL_COLUMNS[0] else None
    missing = [name for name in aggregated_columns() if name not in frame.columns and name not in without]
    if missing:
        raise BuildError(
            f"{table} lacks columns {', '.join(missing)}: it was written by another version; pull again"
        )
    return frame


def frame_rows(frame: pd.DataFrame, columns: list[str]) -> list[Row]:
    """The frame's ``columns`` as row dicts, missing values (NaN, None) as None."""
    return [
        {key: (None if _is_missing(value) else value) for key, value in row.items()}
        for row in frame[columns].to_dict(orient="records")
    ]


def _read_agreement(path: Path) -> AgreementSummary:
    text = path.read_text(encoding="utf-8")  # binary content: errors.explain says so
    try:
        return AgreementSummary.from_json(text)
    except ValueError as error:  # not JSON, or not an agreement summary
        why = first_problem(error, "agreement") if isinstance(error, ValidationError) else "not JSON"
        raise BuildError(f"cannot read {path} ({why}): it was not written by `pull`; pull again") from None


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
