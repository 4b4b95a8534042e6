"""Record texts kept on disk during a pull, and aggregated.parquet written bucket by bucket with them.

The prompt and both responses are most of a record's bytes, and the analysis never reads them:
:class:`TextSpool` appends them to one parquet file per bucket (the first character of the pair
id: content-hash ids spread evenly over 16), so a pull holds at most one bucket of texts at a
time. :func:`write_with_texts` writes the aggregated table (sorted by ``pair_id``, hence by
bucket) one row group per bucket, its text columns filled from that bucket's file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

__all__ = ["TEXT_COLUMNS", "TextSpool", "write_with_texts"]

TEXT_COLUMNS: tuple[str, ...] = ("prompt", "response_1", "response_2")
#: texts buffered (over all buckets) before every bucket's buffer goes to its file
FLUSH_ROWS = 1_000
#: aggregated rows written with their texts at a time
GROUP_ROWS = 1_000


def bucket_of(pair_id: str) -> str:
    """The bucket of a pair id: its first character as a hex code (a safe file name, same order)."""
    return f"{ord(pair_id[0]):06x}" if pair_id else "000000"


class TextSpool:
    """Append-only store of ``pair_id`` + :data:`TEXT_COLUMNS`, one parquet file per bucket."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.buffers: dict[str, list[tuple[str, Any, Any, Any]]] = {}
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.buffered = 0

    def add(self, row: dict[str, Any]) -> None:
        """Take the texts out of one ``pull.record_row`` (the row keeps the other columns)."""
        pair_id = str(row["pair_id"])
        texts = tuple(row.pop(name, None) for name in TEXT_COLUMNS)
        self.buffers.setdefault(bucket_of(pair_id), []).append((pair_id, *texts))
        self.buffered += 1
        if self.buffered >= FLUSH_ROWS:
            for key in list(self.buffers):
                self._flush(key)
            self.buffered = 0

    def _flush(self, key: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = self.buffers.pop(key, [])
        if not rows:
            return
        names = ["pair_id", *TEXT_COLUMNS]
        table = pa.table(
            {name: pa.array([row[i] for row in rows], type=pa.string()) for i, name in enumerate(names)}
        )
        if key not in self.writers:
            self.writers[key] = pq.ParquetWriter(self.folder / f"{key}.parquet", table.schema)
        self.writers[key].write_table(table)

    def close(self) -> list[str]:
        """Flush and close every bucket file; the bucket keys, sorted."""
        for key in list(self.buffers):
            self._flush(key)
        for writer in self.writers.values():
            writer.close()
        return sorted(self.writers)

    def bucket(self, key: str) -> pa.Table:
        """One bucket's texts as an arrow table of strings (``pair_id`` first, duplicates kept)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.folder / f"{key}.parquet"
        if not path.is_file():
            return pa.table({name: pa.array([], type=pa.string()) for name in ("pair_id", *TEXT_COLUMNS)})
        return pq.read_table(path)


def write_with_texts(aggregated: pd.DataFrame, spool: TextSpool, path: Path) -> None:
    """Write ``aggregated`` (its text columns empty, sorted by ``pair_id``) with the spooled texts.

    The file holds the same rows and column types as ``aggregated`` with its texts filled in would;
    row groups of at most :data:`GROUP_ROWS` rows, each within one bucket.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    # spooled text columns hold None: typed as the strings they will hold (a lazy copy, no data)
    frame = aggregated.assign(**{name: aggregated[name].astype("str") for name in TEXT_COLUMNS})
    schema = pa.Schema.from_pandas(frame, preserve_index=False)  # types inferred a column at a time
    keys = [bucket_of(str(pair_id)) for pair_id in frame["pair_id"]]
    with pq.ParquetWriter(path, schema) as writer:
        start = 0
        while start < len(keys) or (start == 0 and not keys):
            end = start
            while end < len(keys) and keys[end] == keys[start]:
                end += 1
            if end == start:
                writer.write_table(schema.empty_table())
                break
            found = spool.bucket(keys[start])
            for low in range(start, end, GROUP_ROWS):  # one row group in arrow at a time
                rows = frame.iloc[low : min(low + GROUP_ROWS, end)]
                part = pa.Table.from_pandas(rows, schema=schema, preserve_index=False)
                # the first spooled row of each pair id, looked up in arrow (no Python strings)
                ids = part.column("pair_id").cast(pa.string())
                at = pc.index_in(ids, value_set=found.column("pair_id"))
                for name in TEXT_COLUMNS:
                    column = found.column(name).take(at).cast(schema.field(name).type)
                    part = part.set_column(part.schema.get_field_index(name), name, column)
                writer.write_table(part)
            del found
            start = end
