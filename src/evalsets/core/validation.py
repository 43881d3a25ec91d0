"""Checks of client-supplied names, paths and schemas."""

from __future__ import annotations

from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from evalsets.core.errors import InvalidInput

MAX_PATH = 1000
MAX_NAME = 200


def clean_path(path: object) -> str:
    """A dataset path: non-blank segments joined by ``/``, no ``.`` or ``..`` segments."""
    if not isinstance(path, str):
        raise InvalidInput("path must be a string", field="path")
    parts = [p.strip() for p in path.strip().strip("/").split("/")]
    if not path.strip() or any(not p for p in parts):
        raise InvalidInput("path must be non-empty segments separated by '/'", field="path")
    if any(p in (".", "..") for p in parts):
        raise InvalidInput("path segments cannot be '.' or '..'", field="path")
    if any("\x00" in p for p in parts):
        raise InvalidInput("path cannot contain NUL characters", field="path")
    joined = "/".join(parts)
    if len(joined) > MAX_PATH:
        raise InvalidInput(f"path is longer than {MAX_PATH} characters", field="path")
    return joined


def name_of(path: str) -> str:
    """The last segment of a path."""
    return path.rsplit("/", 1)[-1]


def clean_version_name(name: object) -> str | None:
    """A version name (or None); unique per dataset, checked by the store."""
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise InvalidInput(f"version name must be 1 to {MAX_NAME} characters", field="name")
    return name.strip()


def clean_tags(tags: object) -> list[str]:
    """Tags: strings, trimmed, duplicates dropped, order kept."""
    if tags is None:
        return []
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        raise InvalidInput("tags must be a list of strings", field="tags")
    return list(dict.fromkeys(t.strip() for t in tags if t.strip()))


def check_object(value: object, field: str) -> dict[str, Any]:
    """A JSON object the database can store (e.g. no integer beyond 64 bits), else InvalidInput."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be an object", field=field)
    try:
        orjson.dumps(value)
    except TypeError as exc:
        raise InvalidInput(f"{field} is not valid JSON: {exc}", field=field) from None
    return value


def check_schema(schema: object) -> dict[str, Any] | None:
    """A JSON Schema datapoints must satisfy (None: no schema)."""
    if schema is None:
        return None
    if not isinstance(schema, dict):
        raise InvalidInput("schema must be a JSON object", field="schema")
    check_object(schema, "schema")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise InvalidInput(f"invalid JSON Schema: {exc.message}", field="schema") from None
    return schema


class RecordValidator:
    """Validates records against a dataset's JSON Schema, if it has one."""

    def __init__(self, schema: dict[str, Any] | None) -> None:
        self._validator = Draft202012Validator(schema) if schema else None

    def __call__(self, record: dict[str, Any], index: int | None = None) -> None:
        if self._validator is None:
            return
        error = next(iter(self._validator.iter_errors(record)), None)
        if error is not None:
            where = f" (datapoint {index})" if index is not None else ""
            raise InvalidInput(
                f"datapoint does not match the dataset schema{where}: {error.message}"
            )
