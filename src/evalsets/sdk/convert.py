"""Records to and from pandas DataFrames, pyarrow Tables and Hugging Face Datasets.

pandas and ``datasets`` are optional (extras ``pandas`` and ``hf``) and imported only here, only
when used. Arrow structs cannot tell a missing key from a null one, so null values inside
nested objects are dropped on the way back from Arrow or Hugging Face (top-level nulls are
never stored anyway). A column whose values have no common Arrow type (say a string in one
row and an object in another) is stored as JSON text and decoded on the way back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import orjson
import pyarrow as pa

from evalsets.sdk.models import Record

if TYPE_CHECKING:
    import datasets as hf
    import pandas

JSON_COLUMNS = b"evalsets.json_columns"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def to_pandas(records: Iterable[Record]) -> pandas.DataFrame:
    """A DataFrame with one column per top-level field (nested values stay dicts/lists)."""
    import pandas as pd

    return pd.DataFrame.from_records(list(records))


def from_pandas(frame: pandas.DataFrame) -> Iterator[Record]:
    """Records from a DataFrame's rows; missing cells (None, NaN) are left out."""
    columns = [str(c) for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        yield {
            column: _native(value)
            for column, value in zip(columns, values, strict=True)
            if not _missing_cell(value)
        }


def _missing_cell(value: Any) -> bool:
    if _missing(value):
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, list | dict | tuple) else False
    except (TypeError, ValueError):
        return False


def _native(value: Any) -> Any:
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return item()
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ == "numpy":
        return tolist()
    return value


def to_arrow(records: Iterable[Record]) -> pa.Table:
    """A Table with one column per top-level field, nested values as Arrow structs/lists."""
    rows = list(records)
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    arrays, as_json = [], []
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            arrays.append(
                pa.array([None if v is None else orjson.dumps(v).decode() for v in values])
            )
            as_json.append(name)
    metadata = {JSON_COLUMNS: orjson.dumps(as_json)} if as_json else None
    return pa.Table.from_arrays(arrays, names=list(names), metadata=metadata)


def from_arrow(table: pa.Table) -> Iterator[Record]:
    """Records from a Table (as written by :func:`to_arrow`, or any other)."""
    metadata = table.schema.metadata or {}
    as_json = set(orjson.loads(metadata[JSON_COLUMNS])) if JSON_COLUMNS in metadata else set()
    for batch in table.to_batches(max_chunksize=10_000):
        for row in batch.to_pylist():
            record = {}
            for key, value in row.items():
                if value is None:
                    continue
                record[key] = orjson.loads(value) if key in as_json else _prune(value)
            yield record


def to_hf(records: Iterable[Record]) -> hf.Dataset:
    """A Hugging Face Dataset (needs ``datasets``: ``pip install 'evalsets[hf]'``)."""
    import datasets

    table = to_arrow(records)
    return datasets.Dataset(table)


def from_hf(data: hf.Dataset) -> Iterator[Record]:
    """Records from a Hugging Face Dataset."""
    table = data.with_format("arrow")[:]
    source = data.data.table if hasattr(data.data, "table") else table
    if JSON_COLUMNS in (source.schema.metadata or {}):
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), JSON_COLUMNS: source.schema.metadata[JSON_COLUMNS]}
        )
    return from_arrow(table)
