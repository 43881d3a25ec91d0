"""JSON Lines in chunks: rows into request-body chunks, answer chunks into records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from evalsets.sdk.models import Record
from evalsets.sdk.sources import Row

BATCH_BYTES = 1 << 20


class Batches:
    """Rows (or single lines of JSON) gathered into JSON Lines chunks of about 1 MiB."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.size = 0

    def add(self, row: Row | bytes) -> list[bytes]:
        """The chunks this row completes (none or one)."""
        line = row.json if isinstance(row, Row) else row.rstrip(b"\n")
        self.lines.append(line)
        self.size += len(line)
        return self.rest() if self.size >= BATCH_BYTES else []

    def rest(self) -> list[bytes]:
        """The last, partial chunk (if any row is left)."""
        if not self.lines:
            return []
        chunk = b"\n".join(self.lines) + b"\n"
        self.lines, self.size = [], 0
        return [chunk]


def chunks(rows: Iterable[Row] | Iterable[bytes]) -> Iterator[bytes]:
    """Request-body chunks of rows, read as the body is sent."""
    batches = Batches()
    for row in rows:
        yield from batches.add(row)
    yield from batches.rest()


class JsonLines:
    """Records of JSON Lines bytes fed in any chunking."""

    def __init__(self) -> None:
        self.pending = b""

    def feed(self, chunk: bytes) -> list[Record]:
        """The records this chunk completes."""
        lines = (self.pending + chunk).split(b"\n")
        self.pending = lines.pop()
        return [orjson.loads(line) for line in lines if line]

    def end(self) -> list[Record]:
        """The last record, when the bytes do not end with a newline."""
        rest, self.pending = self.pending, b""
        return [orjson.loads(rest)] if rest.strip() else []
