"""The CSV upload: a multipart body (possibly without its boundary) to canonical records.

Humanloop SDK 0.8.38 sends ``Content-Type: multipart/form-data`` with no ``boundary``
parameter (its explicit header overrides httpx's); the body itself is well-formed, so the
boundary is recovered from its first line, ``--<boundary>\\r\\n``.

CSV columns: ``target`` (a JSON object; any other text is the target's ``value``),
``messages`` (a JSON list of chat messages), ``inputs`` (a JSON object, merged into the
inputs); every other column is an input of that name. Empty cells are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncGenerator, Iterator
from typing import IO, Any

import orjson
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData, Headers
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from evalsets.core.content import Record
from evalsets.core.errors import InvalidInput
from evalsets.formats.humanloop import expected_of

MAX_BOUNDARY_LINE = 200
"""RFC 2046 boundaries are at most 70 characters; anything much longer is not one."""


async def read_form(request: Request) -> FormData:
    """The multipart form of a request, recovering a missing boundary from the body."""
    media, options = parse_options_header(request.headers.get("content-type", ""))
    if media != b"multipart/form-data":
        raise InvalidInput("expected a multipart/form-data upload with a 'file' field", "file")
    stream = request.stream()
    head = b""
    headers = request.headers
    if b"boundary" not in options:
        async for chunk in stream:
            head += chunk
            if b"\r\n" in head or len(head) > MAX_BOUNDARY_LINE:
                break
        boundary = _boundary_of(head)
        headers = Headers({"content-type": f"multipart/form-data; boundary={boundary}"})

    async def body() -> AsyncGenerator[bytes, None]:
        if head:
            yield head
        async for chunk in stream:
            yield chunk

    parser = MultiPartParser(headers, body(), max_files=2, max_fields=20)
    try:
        return await parser.parse()
    except MultiPartException as exc:
        raise InvalidInput(f"invalid multipart body: {exc.message}", "file") from None


def _boundary_of(head: bytes) -> str:
    line = head.split(b"\r\n", 1)[0]
    boundary = line[2:]
    if not line.startswith(b"--") or not boundary or len(line) > MAX_BOUNDARY_LINE:
        raise InvalidInput("multipart body has no boundary", "file")
    try:
        return boundary.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidInput("multipart boundary is not ASCII", "file") from None


def read_records(stream: IO[bytes]) -> list[Record]:
    """Canonical records from a Humanloop CSV file (UTF-8, optional BOM)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        return list(_rows(csv.DictReader(text)))
    except UnicodeDecodeError:
        raise InvalidInput("the CSV file is not valid UTF-8", "file") from None
    except csv.Error as exc:
        raise InvalidInput(f"invalid CSV: {exc}", "file") from None
    finally:
        text.detach()


def _rows(reader: csv.DictReader[str]) -> Iterator[Record]:
    for row in reader:
        if None in row:
            raise InvalidInput(f"line {reader.line_num}: more cells than header columns", "file")
        yield _record(row, reader.line_num)


def _record(row: dict[str, str], line: int) -> Record:
    record: Record = {}
    inputs: dict[str, Any] = {}
    for column, cell in row.items():
        if not cell:
            continue
        if column == "target":
            parsed = _json_or_none(cell)
            record["expected"] = expected_of(parsed) if isinstance(parsed, dict) else cell
        elif column == "messages":
            messages = _json_or_none(cell)
            if not isinstance(messages, list):
                raise InvalidInput(f"line {line}: 'messages' must be a JSON list", "file")
            record["messages"] = messages
        elif column == "inputs":
            given = _json_or_none(cell)
            if not isinstance(given, dict):
                raise InvalidInput(f"line {line}: 'inputs' must be a JSON object", "file")
            inputs.update(given)
        else:
            inputs[column] = cell
    if inputs:
        record["inputs"] = inputs
    return record


def _json_or_none(cell: str) -> Any:
    try:
        return orjson.loads(cell)
    except orjson.JSONDecodeError:
        return None
