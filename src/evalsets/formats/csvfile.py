"""CSV with a header row; see ``columns`` for how cells map to datapoint fields."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from typing import IO

from evalsets.core.content import Record
from evalsets.core.errors import InvalidInput
from evalsets.formats.columns import COLUMNS, from_columns, to_columns

csv.field_size_limit(sys.maxsize)


def read_records(stream: IO[bytes]) -> Iterator[Record]:
    """Records from a CSV file (UTF-8, optional BOM)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        if not reader.fieldnames:
            return
        for row in reader:
            if None in row:
                raise InvalidInput(f"line {reader.line_num}: more cells than header columns")
            yield from_columns(dict(row), reader.line_num)
    except UnicodeDecodeError:
        raise InvalidInput("the CSV file is not valid UTF-8") from None
    except csv.Error as exc:
        raise InvalidInput(f"invalid CSV: {exc}") from None
    finally:
        text.detach()


def write_records(records: Iterable[Record]) -> Iterator[bytes]:
    """CSV bytes, the header first, then one line per record."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for index, record in enumerate(records):
        writer.writerow(to_columns(record))
        if index % 500 == 499:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
