"""How a datapoint maps to flat columns (CSV, Parquet) and back.

Columns: ``id``, one per canonical field holding JSON, and ``extra`` holding a JSON object of
any other keys. On import, a column that is none of these becomes a key of ``inputs``.
"""

from __future__ import annotations

from typing import Any

import orjson

from evalsets.core.content import CANONICAL_FIELDS, Record
from evalsets.core.errors import InvalidInput

COLUMNS = ("id", *CANONICAL_FIELDS, "extra")


def to_columns(record: Record) -> dict[str, str | None]:
    """One datapoint record (with ``id``) as column values (JSON text, or None)."""
    row: dict[str, str | None] = {"id": record.get("id")}
    for name in CANONICAL_FIELDS:
        value = record.get(name)
        row[name] = None if value is None else orjson.dumps(value).decode()
    extra = {k: v for k, v in record.items() if k not in COLUMNS}
    row["extra"] = orjson.dumps(extra).decode() if extra else None
    return row


def _decode(cell: str, column: str, line: int) -> Any:
    try:
        return orjson.loads(cell)
    except orjson.JSONDecodeError:
        raise InvalidInput(
            f"line {line}, column {column!r}: not valid JSON", field=column
        ) from None


def from_columns(row: dict[str, Any], line: int) -> Record:
    """A record from column values; see the module docstring for the rules."""
    record: Record = {}
    inputs: dict[str, Any] = {}
    for column, cell in row.items():
        if cell is None or cell == "" or column == "id" or column is None:
            continue
        if column in CANONICAL_FIELDS:
            record[column] = _decode(cell, column, line) if isinstance(cell, str) else cell
        elif column == "extra":
            extra = _decode(cell, column, line) if isinstance(cell, str) else cell
            if not isinstance(extra, dict):
                raise InvalidInput(f"line {line}: 'extra' must hold a JSON object", field="extra")
            record.update({k: v for k, v in extra.items() if k not in record})
        else:
            inputs[str(column)] = cell
    if inputs:
        existing = record.get("inputs")
        record["inputs"] = {**inputs, **existing} if isinstance(existing, dict) else inputs
    return record
