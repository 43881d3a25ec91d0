"""Parquet: one string column per field (JSON text), written and read in row groups."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from evalsets.core.content import Record
from evalsets.core.errors import InvalidInput
from evalsets.formats.columns import COLUMNS, from_columns, to_columns

SCHEMA = pa.schema([(name, pa.string()) for name in COLUMNS])
ROW_GROUP = 10_000


def read_records(source: IO[bytes]) -> Iterator[Record]:
    """Records from a Parquet file, one row group at a time."""
    try:
        parquet = pq.ParquetFile(source)
        line = 0
        for batch in parquet.iter_batches(batch_size=ROW_GROUP):
            for row in batch.to_pylist():
                line += 1
                yield from_columns(_cells(row), line)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidInput(f"invalid Parquet file: {exc}") from None


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, str) or v is None else v) for k, v in row.items()}


class _Sink(io.RawIOBase):
    """A write-only file that hands out what was written since the last call."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def write_records(records: Iterable[Record]) -> Iterator[bytes]:
    """Parquet bytes, produced one row group at a time."""
    sink = _Sink()
    writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), SCHEMA)
    iterator = iter(records)
    while batch := list(islice(iterator, ROW_GROUP)):
        rows = [to_columns(r) for r in batch]
        table = pa.Table.from_pylist(rows, schema=SCHEMA)
        writer.write_table(table)
        yield sink.take()
    writer.close()
    yield sink.take()
