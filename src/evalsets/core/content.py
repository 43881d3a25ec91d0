"""Datapoint content: canonical fields, normalisation, canonical JSON and the content hash."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from typing import Any

import orjson

from evalsets.core.errors import InvalidInput

CANONICAL_FIELDS = (
    "inputs",
    "messages",
    "expected",
    "metadata",
    "context",
    "sources",
    "filters",
    "trace",
)
"""The fields every dialect maps onto; any other key of a record is kept as it is."""

_OBJECT_FIELDS = ("inputs", "metadata", "trace")
_FIRST_8 = struct.Struct(">q")
_LIST_FIELDS = ("messages", "sources", "filters")
_RESERVED_KEYS = ("id",)

Record = dict[str, Any]


def normalize(record: object) -> Record:
    """A datapoint's content from a client record.

    Drops the id and top-level nulls (absent and null mean the same), checks the types of
    the canonical fields and that the record is JSON-serialisable.
    """
    if type(record) is dict and "id" not in record and None not in record.values():
        content: Record = record
        if not all(type(k) is str for k in record):
            raise InvalidInput("datapoint keys must be strings")
        _check_fields(content)
        return content
    if not isinstance(record, Mapping):
        raise InvalidInput("a datapoint must be a JSON object")
    content = {}
    for key, value in record.items():
        if not isinstance(key, str):
            raise InvalidInput("datapoint keys must be strings")
        if key in _RESERVED_KEYS or value is None:
            continue
        content[key] = value
    _check_fields(content)
    return content


def _check_fields(content: Record) -> None:
    for name in _OBJECT_FIELDS:
        if name in content and not isinstance(content[name], Mapping):
            raise InvalidInput(f"'{name}' must be an object", field=name)
    for name in _LIST_FIELDS:
        if name in content and not isinstance(content[name], list):
            raise InvalidInput(f"'{name}' must be a list", field=name)


def dumps(content: Mapping[str, Any]) -> str:
    """JSON text of a record as stored (key order kept)."""
    try:
        return orjson.dumps(content).decode()
    except TypeError as exc:
        raise InvalidInput(f"datapoint is not valid JSON: {exc}") from None


def loads(text: str | bytes) -> Record:
    """A stored record back from its JSON text."""
    value = orjson.loads(text)
    if not isinstance(value, dict):
        raise InvalidInput("stored content is not an object")
    return value


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """JSON with keys sorted at every level and no whitespace: the basis of the hash."""
    try:
        return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError as exc:
        raise InvalidInput(f"datapoint is not valid JSON: {exc}") from None


def content_hash(content: Mapping[str, Any]) -> int:
    """The content hash: the first 64 bits of SHA-256 of the canonical JSON, as a signed int."""
    digest = hashlib.sha256(canonical_json(content)).digest()
    value: int = _FIRST_8.unpack_from(digest)[0]
    return value


def hash_hex(value: int) -> str:
    """The 16-hex-digit form of a content hash, for display."""
    return (value & 0xFFFF_FFFF_FFFF_FFFF).to_bytes(8, "big").hex()


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The top-level keys whose values differ between two records, sorted."""
    keys = set(old) | set(new)
    return sorted(k for k in keys if old.get(k, _MISSING) != new.get(k, _MISSING))


def merge(old: Mapping[str, Any], patch: Mapping[str, Any]) -> Record:
    """A record with the patch's top-level keys applied; a null value removes the key."""
    merged: Record = dict(old)
    for key, value in patch.items():
        if key in _RESERVED_KEYS:
            continue
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


_MISSING = object()
