"""Arrow record batches of Arize examples to datapoint contents, and examples to batches.

Uploads: the SDK adds ``id``/``created_at``/``updated_at`` (dropped: evalsets mints ids), turns
a DataFrame's missing cells into nulls (dropped: absent and null are one thing in a DataFrame),
and JSON-encodes dict values of a few columns (decoded back here, as the SDK does on download).
Downloads: a column whose values are all strings, all booleans or all numbers gets that Arrow
type; any other column (objects, lists, mixed types) is sent as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

import orjson
import pyarrow as pa

from evalsets.core.content import Record
from evalsets.http.arize.mapping import (
    ANNOTATIONS,
    SYSTEM_COLUMNS,
    check_new_example,
    choose_expected_column,
    to_content,
)

BATCH_ROWS = 10_000
JSON_COLUMNS = frozenset(
    {
        "document.metadata",
        "llm.function_call",
        "llm.invocation_parameters",
        "llm.prompt_template.variables",
        "message.function_call_arguments_json",
        "metadata",
        "tool.parameters",
        "tool_call.function.arguments",
        "result",
        "output",
    }
)
"""Columns whose dict values the SDK sends as JSON text (``_should_convert_json``)."""


def is_json_column(name: str) -> bool:
    return name in JSON_COLUMNS or (name.startswith("eval.") and name.endswith(".metadata"))


def expected_column(names: Iterable[str]) -> str:
    return choose_expected_column([dict.fromkeys(names, True)])


def _decode_json(example: dict[str, Any], names: list[str]) -> None:
    for name in names:
        value = example.get(name)
        if isinstance(value, str) and value.startswith("{"):
            try:
                parsed = orjson.loads(value)
            except orjson.JSONDecodeError:
                continue
            if isinstance(parsed, dict):
                example[name] = parsed


def contents(batches: Iterable[pa.RecordBatch], expected: str) -> Iterator[Record]:
    """The content of every uploaded row, in order."""
    index = 0
    for batch in batches:
        names = [n for n in batch.schema.names if n not in SYSTEM_COLUMNS]
        if ANNOTATIONS in names:
            check_new_example({ANNOTATIONS: None}, index)
        json_names = [n for n in names if is_json_column(n)]
        for row in batch.select(names).to_pylist():
            example = {k: v for k, v in row.items() if v is not None}
            if not example:
                check_new_example(example, index)
            if json_names:
                _decode_json(example, json_names)
            yield to_content(example, expected)
            index += 1


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -(2**63) <= value < 2**63 else "json"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return "json"


_TYPES = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "str": pa.string()}
_TIME = pa.timestamp("ms", tz="UTC")


def schema_of(rows: Iterable[dict[str, Any]]) -> pa.Schema:
    """The Arrow schema of examples: system columns first, then user columns as first seen."""
    kinds: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            if key in SYSTEM_COLUMNS or key == "annotations":
                continue
            seen = kinds.setdefault(key, set())
            if value is not None:
                seen.add(_kind(value))
    fields = [
        pa.field("id", pa.string()),
        pa.field("created_at", _TIME),
        pa.field("updated_at", _TIME),
    ]
    for key, seen in kinds.items():
        if seen == {"int", "float"}:
            seen = {"float"}
        kind = next(iter(seen)) if len(seen) == 1 else ("str" if not seen else "json")
        fields.append(pa.field(key, _TYPES.get(kind, pa.string())))
    return pa.schema(fields)


def _cell(value: Any, kind: pa.DataType) -> Any:
    if value is None:
        return None
    if kind == pa.string() and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if kind == pa.float64():
        return float(value)
    return value


def batches(rows: Iterable[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """Record batches of examples with exactly this schema."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, BATCH_ROWS)):
        arrays = []
        for field in schema:
            values = [row.get(field.name) for row in chunk]
            if field.type == _TIME:
                arrays.append(pa.array([_ms(v) for v in values], _TIME))
            else:
                arrays.append(pa.array([_cell(v, field.type) for v in values], field.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _ms(value: Any) -> int | None:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else None
