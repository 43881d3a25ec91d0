"""JSON Lines: one JSON object per line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from evalsets.core.errors import InvalidInput


def parse_lines(chunks: Iterable[bytes]) -> Iterator[object]:
    """Records from byte chunks of JSON Lines; blank lines are skipped.

    A line that is not JSON raises InvalidInput naming the line and column.
    """
    pending = b""
    number = 0
    for chunk in chunks:
        pending += chunk
        lines = pending.split(b"\n")
        pending = lines.pop()
        for line in lines:
            number += 1
            if line.strip():
                yield _parse(line, number)
    if pending.strip():
        yield _parse(pending, number + 1)


def _parse(line: bytes, number: int) -> object:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"line {number}, column {exc.colno}: {exc.msg}", line=number) from None


def dump_line(record: object) -> bytes:
    """One JSON Lines line, newline included."""
    return orjson.dumps(record) + b"\n"
