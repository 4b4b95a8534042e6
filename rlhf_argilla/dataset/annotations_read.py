"""What `build` reads of annotations.parquet, a batch at a time: the card needs few of its rows.

A pull of 100k records x 3 annotators leaves about 3.5 M tidy rows; reading even two of their
columns whole (strings, then a pandas copy) costs hundreds of MiB for a few figures. Here the file
is read :data:`BATCH_ROWS` rows at a time (``ParquetFile.iter_batches``), each batch is filtered
with ``pyarrow.compute`` and only what is kept is held, its text columns as categorical codes
(``annotation.tidy_codes.CodedFrame``), so memory follows the rows kept, not the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BATCH_ROWS", "read_where", "read_simulated"]

#: annotation rows read and filtered at a time
BATCH_ROWS = 65_536


def _batches(path: Path, columns: list[str]) -> Iterator[Any]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        yield from handle.iter_batches(batch_size=BATCH_ROWS, columns=columns, use_threads=False)


def read_where(
    path: Path, columns: list[str], coded: tuple[str, ...], where: Mapping[str, str]
) -> pd.DataFrame:
    """The rows of ``path`` whose ``where`` columns equal the values, ``columns`` of them.

    The ``coded`` columns are categoricals with sorted categories (as ``tidy_codes.CodedColumn``
    sorts them), the others keep their types; rows in file order.
    """
    import pyarrow.compute as pc

    from rlhf_argilla.annotation.tidy_codes import CodedFrame

    names = [name for name in coded if name in columns]
    kept = CodedFrame(tuple(names))
    empty = None
    for batch in _batches(path, list(dict.fromkeys([*columns, *where]))):
        mask = None
        for name, value in where.items():
            equal = pc.equal(batch[name], value)
            mask = equal if mask is None else pc.and_(mask, equal)
        chosen = batch.filter(mask) if mask is not None else batch
        if empty is None:
            empty = chosen.slice(0, 0).to_pandas()[columns]
        if chosen.num_rows:
            kept.add(chosen.select(columns).to_pandas())
    if not kept.rest:  # nothing kept: the columns with their types, no rows
        frame = empty if empty is not None else _empty(columns)
        for name in names:
            frame[name] = frame[name].astype("category")
        return frame
    return kept.frame(columns)


def _empty(columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: [] for name in columns})


def read_simulated(path: Path) -> dict[str, bool]:
    """annotator -> True when any of their rows is simulated (annotators sorted by name)."""
    import pyarrow as pa

    flags: dict[str, bool] = {}
    for batch in _batches(path, ["annotator", "simulated"]):
        grouped = pa.Table.from_batches([batch]).group_by("annotator").aggregate([("simulated", "any")])
        for name, flag in zip(grouped["annotator"].to_pylist(), grouped["simulated_any"].to_pylist()):
            if name is not None:
                flags[str(name)] = flags.get(str(name), False) or bool(flag)
    return dict(sorted(flags.items()))
