"""Compact tidy tables for a large pull: text columns held as categorical codes, filled chunk by chunk.

A pull of 100k records x 3 annotators has about 4 M tidy rows; as strings (pair id, annotator,
status, question, value, timestamp in every row) they cost ~100 bytes a row. :class:`CodedFrame`
keeps each such column as int32 codes into one shared dictionary, so a row costs ~30 bytes and the
analysis (agreement, reliability, aggregation) runs unchanged on the same values.
Categories are sorted, so group-bys order as they do on strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "SLICE_ROWS",
    "CodedColumn",
    "CodedFrame",
    "as_plain",
    "column_codes",
    "row_slices",
    "shared_objects",
]

#: rows of a large table masked, copied or summed at a time (the tidy table, the ratings): the
#: temporaries of one slice, not of millions of rows
SLICE_ROWS = 250_000


def row_slices(rows: int, at_least_one: bool = False) -> list[slice]:
    """Consecutive slices of :data:`SLICE_ROWS` rows covering ``rows`` (one empty slice for none
    when ``at_least_one``).

    Example:
        >>> row_slices(3), row_slices(0), row_slices(0, at_least_one=True)
        ([slice(0, 250000, None)], [], [slice(0, 250000, None)])
    """
    ends = range(0, max(rows, 1) if at_least_one else rows, SLICE_ROWS)
    return [slice(start, start + SLICE_ROWS) for start in ends]


class CodedColumn:
    """One text column accumulated as int32 codes (-1 = missing) into a growing dictionary.

    ``index`` may be shared by several columns (one vocabulary): their categoricals then have the
    same categories, so frames built apart merge and filter on codes alone.
    """

    def __init__(self, index: dict[Any, int] | None = None) -> None:
        self.index: dict[Any, int] = {} if index is None else index
        self.parts: list[np.ndarray] = []

    def learn(self, values: pd.Series) -> None:
        """Add ``values``' distinct labels to the dictionary without storing codes for them."""
        import pandas as pd

        for item in pd.unique(values.dropna()):
            self.index.setdefault(item, len(self.index))

    def add(self, values: pd.Series) -> None:
        import numpy as np
        import pandas as pd

        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapping = np.array(
            [self.index.setdefault(item, len(self.index)) for item in uniques] + [-1], dtype=np.int32
        )
        self.parts.append(mapping[codes])

    def categorical(self, ordered: bool = False) -> pd.Categorical:
        """All values added so far, as a categorical with sorted categories (``ordered``: min/max work).

        The chunks' codes are released on the way (renumbered in place): call it once, at the end.
        """
        import numpy as np
        import pandas as pd

        names = list(self.index)
        order = sorted(range(len(names)), key=names.__getitem__)
        rank = np.empty(len(names) + 1, dtype=np.int32)
        rank[order] = np.arange(len(names), dtype=np.int32)
        rank[-1] = -1
        codes = np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.int32)
        self.parts.clear()
        np.take(rank, codes, out=codes)
        return pd.Categorical.from_codes(codes, categories=[names[i] for i in order], ordered=ordered)


class CodedFrame:
    """A frame built from many chunks: ``coded`` columns as categoricals, the others concatenated.

    ``ordered`` coded columns are ordered categoricals (their sorted categories give string order);
    ``vocabulary`` (column -> a dictionary shared with other frames, see :class:`CodedColumn`).

    Example:
        >>> import pandas as pd
        >>> frame = CodedFrame(("name",))
        >>> frame.add(pd.DataFrame({"name": ["b", "a"], "n": [1, 2]}))
        >>> frame.add(pd.DataFrame({"name": ["a", None], "n": [3, 4]}))
        >>> out = frame.frame(["name", "n"])
        >>> out["name"].tolist(), list(out["name"].cat.categories), out["n"].tolist()
        (['b', 'a', 'a', nan], ['a', 'b'], [1, 2, 3, 4])
    """

    def __init__(
        self,
        coded: tuple[str, ...],
        ordered: tuple[str, ...] = (),
        vocabulary: dict[str, dict[Any, int]] | None = None,
    ) -> None:
        shared = vocabulary or {}
        self.coded = {name: CodedColumn(shared.get(name)) for name in coded}
        self.ordered = ordered
        self.rest: list[pd.DataFrame] = []

    def add(self, chunk: pd.DataFrame) -> None:
        for name, column in self.coded.items():
            column.add(chunk[name])
        self.rest.append(chunk.drop(columns=list(self.coded)))

    def frame(self, columns: list[str]) -> pd.DataFrame:
        """Every chunk added, in ``columns`` order (each coded column a categorical).

        Built one column at a time, each column's chunks released once joined (call it once): the
        chunks and the whole table never coexist.
        """
        import pandas as pd

        out: dict[str, Any] = {}
        for name in columns:
            if name in self.coded:
                out[name] = self.coded.pop(name).categorical(name in self.ordered)
                continue
            parts = [chunk.pop(name) for chunk in self.rest]
            out[name] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
            del parts
        self.rest.clear()
        return pd.DataFrame(out, columns=columns, copy=False)


def column_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of a column (-1: missing) and the sorted labels they number.

    A categorical column's own codes (no copy of its strings); any other column factorized.

    Example:
        >>> import pandas as pd
        >>> codes, labels = column_codes(pd.Series(["b", "a", None, "b"]))
        >>> codes.tolist(), labels.tolist()
        ([1, 0, -1, 1], ['a', 'b'])
    """
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    codes, labels = pd.factorize(values, sort=True)
    return codes, pd.Index(labels)


def shared_objects(values: pd.Series) -> np.ndarray:
    """``values`` as an object array, None where missing, whose equal values are one Python object.

    ``Series.astype(object)`` makes one object per cell: at 100k rows and a dozen metadata columns
    that is over a million strings, where each column has a few dozen distinct values.

    Example:
        >>> import pandas as pd
        >>> out = shared_objects(pd.Series(["ab", None, "ab"], dtype="str"))
        >>> out.tolist(), out[0] is out[2]
        (['ab', None, 'ab'], True)
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = np.asarray(uniques, dtype=object)
    table[-1] = None  # code -1: missing
    return table[codes]


def as_plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every categorical column back to its categories' dtype (for writing files).

    Example:
        >>> import pandas as pd
        >>> as_plain(pd.DataFrame({"x": pd.Categorical(["a", None])}))["x"].tolist()
        ['a', nan]
    """
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].astype(out[name].cat.categories.dtype)
    return out
