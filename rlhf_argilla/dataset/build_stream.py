"""Streaming `build`: plan on light rows, then write every config's split files a batch at a time.

A build of 100k pairs formats each pair into five configs; holding the formatted rows (texts
repeated per config) costs gigabytes. Instead, :func:`light_rows` reads aggregated.parquet without
its texts (the prompt only as its ``content_id``, the split group), ``build.plan_configs`` decides
every pair's splits, and :func:`write_configs` reads the file again in batches of
:data:`BATCH_ROWS`, formats each pair and appends it to its split files in row groups of
:data:`ROW_GROUP_ROWS` (a file's footer holds every row group's statistics and page index until it
is closed, so fewer, full row groups keep that bounded too). aggregated.parquet is
sorted by ``pair_id`` (``pull`` writes it so), so every split comes out sorted as ``make_configs``
sorts it; an unsorted file is sorted in memory first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rlhf_argilla.dataset.formats import PAIRED_CONFIGS, ROW_BUILDERS, TIES_CONFIG, features
from rlhf_argilla.dataset.light_row import row_maker
from rlhf_argilla.dataset.pulled import aggregated_file, complete_frame, frame_rows
from rlhf_argilla.dataset.splits import SPLIT_NAMES
from rlhf_argilla.schema import AGGREGATED_CONTROL_COLUMNS, aggregated_columns, content_id
from rlhf_argilla.schema.progress import Progress, Tally

if TYPE_CHECKING:
    from rlhf_argilla.dataset.build import ConfigPlan

__all__ = [
    "BATCH_ROWS",
    "ROW_GROUP_ROWS",
    "TEXT_COLUMNS",
    "light_rows",
    "write_configs",
    "card_configs",
    "SplitWriter",
]

#: aggregated rows read, formatted and written at a time
BATCH_ROWS = 1_000
#: rows per row group of a split file (``datasets.config.DEFAULT_MAX_BATCH_SIZE``, as ``to_parquet`` writes)
ROW_GROUP_ROWS = 1_000
TEXT_COLUMNS: tuple[str, ...] = ("prompt", "response_1", "response_2")
#: what planning and the card read of each pair (``plan_configs``, ``collect_facts``, ``kind_facts``,
#: ``control_facts``); the scores and texts are read again, batch by batch, when the files are written
LIGHT_COLUMNS: tuple[str, ...] = (
    "pair_id",
    "preferred",
    "subtopic",
    "strategy_1",
    "strategy_2",
    "model_1",
    "model_2",
    "decided_by",
    "pair_kind",
    "predicted_margin",
    "agreement",
    *AGGREGATED_CONTROL_COLUMNS,
)
Row = dict[str, Any]


def _batches(
    pull_dir: Path, columns: list[str] | None = None, without: tuple[str, ...] = ()
) -> Iterator[Any]:
    """aggregated.parquet in frames of :data:`BATCH_ROWS` rows (completed as ``pulled.read_pulled`` does)."""
    import pyarrow.parquet as pq

    from rlhf_argilla.errors import BuildError

    path = aggregated_file(pull_dir)
    try:
        handle = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises many types for a damaged file
        raise BuildError(f"cannot read {path} ({error.__class__.__name__}): pull again") from None
    with handle:
        present = handle.schema_arrow.names
        names = [name for name in dict.fromkeys(columns or present) if name in present]
        for batch in handle.iter_batches(batch_size=BATCH_ROWS, columns=names, use_threads=False):
            yield complete_frame(batch.to_pandas(), path, without)


def light_rows(pull_dir: Path, group_key: str) -> tuple[list[Mapping[str, Any]], bool]:
    """(every aggregated row, only :data:`LIGHT_COLUMNS` + ``group_key`` = the prompt's content id; sorted?).

    Each row is a :class:`~rlhf_argilla.dataset.light_row.LightRow` (a mapping at half a dict's size).
    """
    columns = list(LIGHT_COLUMNS)
    unread = tuple(name for name in aggregated_columns() if name not in (*columns, "prompt"))
    rows: list[Mapping[str, Any]] = []
    make = row_maker([*columns, group_key])
    shared: dict[Any, Any] = {}  # one object per distinct metadata value
    for frame in _batches(pull_dir, [*columns, "prompt"], unread):
        groups = [content_id(str(prompt)) for prompt in frame["prompt"]]
        for row, group in zip(frame_rows(frame.drop(columns=["prompt"]), columns), groups):
            values = [
                shared.setdefault(value, value) if isinstance(value, str) else value for value in row.values()
            ]
            rows.append(make([*values, group]))
    ids = [str(row["pair_id"]) for row in rows]
    return rows, all(first < second for first, second in zip(ids, ids[1:]))


class SplitWriter:
    """One parquet file per (config, split), written as ``datasets.Dataset.to_parquet`` writes it.

    Rows added since the last :meth:`flush` become one Arrow table per file; a file's tables are
    written in row groups of :data:`ROW_GROUP_ROWS` rows as soon as that many are pending (the rest at
    :meth:`close`), so the files' metadata grows with their row groups, not with the batches read.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.buffers: dict[tuple[str, str], list[Row]] = {}
        self.pending: dict[tuple[str, str], list[Any]] = {}  # Arrow tables not written yet
        self.writers: dict[tuple[str, str], Any] = {}
        self.counts: dict[tuple[str, str], int] = {}

    def add(self, config: str, split: str, rows: list[Row]) -> None:
        buffer = self.buffers.setdefault((config, split), [])
        buffer.extend(rows)
        self.counts[(config, split)] = self.counts.get((config, split), 0) + len(rows)

    def flush(self) -> None:
        """Turn every buffered row into Arrow; write every full row group."""
        for key in list(self.buffers):
            self._flush(key)

    def _flush(self, key: tuple[str, str], last: bool = False) -> None:
        import pyarrow as pa

        rows = self.buffers.get(key) or []
        writer = self._writer(key)
        if rows:
            columns = {name: [row.get(name) for row in rows] for name in writer.schema.names}
            self.pending.setdefault(key, []).append(pa.Table.from_pydict(columns, schema=writer.schema))
        self.buffers[key] = []
        pending = self.pending.get(key) or []
        total = sum(table.num_rows for table in pending)
        if total < ROW_GROUP_ROWS and not (last and total):
            return
        table = pa.concat_tables(pending)
        full = total if last else total - total % ROW_GROUP_ROWS
        for start in range(0, full, ROW_GROUP_ROWS):
            writer.write_table(table.slice(start, min(ROW_GROUP_ROWS, full - start)))
        self.pending[key] = [table.slice(full)] if full < total else []

    def _writer(self, key: tuple[str, str]) -> Any:
        import pyarrow.parquet as pq
        from datasets import config as hf_config
        from datasets.arrow_writer import get_parquet_column_options

        if key not in self.writers:
            schema = features(key[0])
            arrow = schema.arrow_schema
            path = self.folder / key[0] / f"{key[1]}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[key] = pq.ParquetWriter(
                path,
                schema=arrow,
                use_content_defined_chunking=hf_config.DEFAULT_CDC_OPTIONS,
                write_page_index=True,
                **get_parquet_column_options(schema, arrow),
            )
        return self.writers[key]

    def close(self) -> dict[tuple[str, str], int]:
        """Write what is pending and close every file; rows written per (config, split)."""
        import json

        from datasets import config as hf_config

        for key in list(self.buffers):
            self._flush(key, last=True)
        for writer in self.writers.values():
            writer.add_key_value_metadata(
                {"content_defined_chunking": json.dumps(hf_config.DEFAULT_CDC_OPTIONS)}
            )
            writer.close()
        return dict(self.counts)


def write_configs(
    pull_dir: Path,
    plan: ConfigPlan,
    staging: Path,
    sorted_input: bool,
    on_progress: Progress | None = None,
) -> dict[str, dict[str, int]]:
    """Format every planned pair of aggregated.parquet into its config files under ``staging``.

    Args:
        on_progress: split files written of all (known from the plan), each file's relative path as the note.

    Returns: config -> split -> rows written, configs and splits in ``ConfigPlan`` order.
    """
    targets = {*((name, split) for name in PAIRED_CONFIGS for split in set(plan.paired.values()))}
    targets |= {(TIES_CONFIG, split) for split in set(plan.tied.values())}
    files = Tally(on_progress, len(targets))
    writer = SplitWriter(staging)
    batches = _batches(pull_dir)
    if not sorted_input:  # older or hand-made files: one sorted frame instead of the batches
        import pandas as pd

        whole = pd.concat(list(batches), ignore_index=True)
        whole = whole.sort_values("pair_id", key=lambda c: c.astype(str), ignore_index=True)
        batches = (whole.iloc[start : start + BATCH_ROWS] for start in range(0, len(whole), BATCH_ROWS))
    for frame in batches:
        for row in frame_rows(frame, list(aggregated_columns())):
            for config, split in plan.targets(str(row["pair_id"])):
                made = ROW_BUILDERS[config](dict(row))
                writer.add(config, split, made if isinstance(made, list) else [made])
        writer.flush()  # memory: one batch of formatted rows at most
    counts = writer.close()
    out: dict[str, dict[str, int]] = {}
    for config in (*PAIRED_CONFIGS, TIES_CONFIG):
        for split in SPLIT_NAMES:
            if (config, split) in counts:
                out.setdefault(config, {})[split] = counts[(config, split)]
                files.add(1, note=f"{config}/{split}.parquet")
    return out


def card_configs(
    rows: Sequence[Mapping[str, Any]], plan: ConfigPlan, counts: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, list[Mapping[str, Any]]]]:
    """What the card counts per config and split, without the formatted rows: the light rows of each
    split, each repeated as often as it was written (two ``kto`` rows per pair), sorted by ``pair_id``."""
    members: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in sorted(rows, key=lambda item: str(item["pair_id"])):
        for target in plan.targets(str(row["pair_id"])):
            members.setdefault(target, []).append(row)
    out: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for config, splits in counts.items():
        out[config] = {}
        for split, written in splits.items():
            own = members[(config, split)]
            out[config][split] = [row for row in own for _ in range(written // len(own))]
    return out
