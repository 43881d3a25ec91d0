"""Reading JSON Lines, CSV and Parquet files as records, with errors that name line and column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

import orjson

Format = Literal["jsonl", "csv", "parquet"]


class InvalidFile(ValueError):
    """A file (or record) that cannot be imported: ``line`` and ``column`` say where."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        where = path or "input"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


class Row(NamedTuple):
    """One record of a file: its JSON text, the line it starts on, and the byte offset after it."""

    json: bytes
    line: int
    end: int


def format_of(path: str | Path, given: str | None = None) -> Format:
    """The file format from an explicit name or the file's extension (default JSON Lines)."""
    name = (given or Path(path).suffix.lstrip(".")).lower()
    if name in ("csv", "tsv"):
        return "csv"
    if name in ("parquet", "pq"):
        return "parquet"
    if name in ("jsonl", "ndjson", "json", ""):
        return "jsonl"
    raise InvalidFile(f"unknown format {name!r} (use jsonl, csv or parquet)", path=str(path))


def parse_line(line: bytes, number: int, path: str | None = None) -> dict[str, Any]:
    """One JSON Lines record, or InvalidFile naming the line and column."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InvalidFile(exc.msg, path=path, line=number, column=exc.colno) from None
    if not isinstance(value, dict):
        raise InvalidFile("a datapoint must be a JSON object", path=path, line=number, column=1)
    return value


def jsonl_rows(
    stream: IO[bytes],
    *,
    start: int = 0,
    first_line: int = 1,
    path: str | None = None,
    check: bool = False,
) -> Iterator[Row]:
    """Rows of a JSON Lines stream from byte ``start``; blank lines are skipped.

    With ``check`` each line is parsed here; otherwise the server checks it and its errors
    are mapped back to this file's lines (see ``imports``).
    """
    stream.seek(start)
    offset, number = start, first_line - 1
    for raw in stream:
        number += 1
        offset += len(raw)
        line = raw.strip()
        if not line:
            continue
        if check:
            parse_line(line, number, path)
        yield Row(line, number, offset)


def tabular_rows(path: Path, fmt: Format) -> Iterator[Row]:
    """Rows of a CSV or Parquet file (mapped with the server's column rules)."""
    from evalsets.core.errors import InvalidInput
    from evalsets.formats import csvfile, parquetfile

    reader = csvfile.read_records if fmt == "csv" else parquetfile.read_records
    number = 0
    with path.open("rb") as stream:
        try:
            for record in reader(stream):
                number += 1
                yield Row(orjson.dumps(record), number + (1 if fmt == "csv" else 0), 0)
        except InvalidInput as exc:
            line = exc.details.get("line")
            raise InvalidFile(
                exc.message, path=str(path), line=line if isinstance(line, int) else None
            ) from None


def file_rows(
    path: Path, fmt: Format, *, skip: int = 0, start: int = 0, first_line: int = 1
) -> Iterator[Row]:
    """Rows of a file; JSON Lines resume at a byte offset, others skip ``skip`` rows."""
    if fmt == "jsonl":
        with path.open("rb") as stream:
            yield from jsonl_rows(stream, start=start, first_line=first_line, path=str(path))
        return
    for index, row in enumerate(tabular_rows(path, fmt)):
        if index >= skip:
            yield row


def record_row(record: Any, index: int) -> Row:
    """The row of an in-memory record (a dict) at 1-based position ``index``."""
    if not isinstance(record, dict):
        raise InvalidFile("a datapoint must be a JSON object", line=index)
    try:
        text = orjson.dumps(record, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NAIVE_UTC)
    except TypeError as exc:
        raise InvalidFile(f"not JSON-serialisable: {exc}", line=index) from None
    return Row(text, index, 0)


def record_rows(records: Iterable[Any]) -> Iterator[Row]:
    """Rows of in-memory records (dicts); ``line`` is the 1-based position."""
    for index, record in enumerate(records, start=1):
        yield record_row(record, index)
