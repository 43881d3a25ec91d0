"""PostHog shapes ↔ the canonical model: ids, item content, dataset metadata.

- Dataset ids are the UUID form of ``ds_`` ids, item ids the UUID form of ``dp_`` ids, revision
  ids the UUID form of ``dsv_`` ids. An item version id is a UUIDv5 of (item, change sequence).
- Item fields: ``input`` ↔ ``inputs``; ``output``/``expected_output`` ↔ ``expected``;
  ``metadata`` ↔ ``metadata``; ``ref_trace_id``/``source_trace_id`` ↔ ``trace.trace_id``;
  ``ref_timestamp``/``source_timestamp`` ↔ ``trace.timestamp``; ``ref_source_id``/
  ``source_event_id`` ↔ ``trace.source_id``; ``source_output`` ↔ ``trace.output``;
  ``client_item_id`` ↔ ``trace.client_item_id``.
- ``inputs`` and ``metadata`` must be objects. Any other value ``v`` is kept as ``{"input": v}``
  (``{"metadata": v}``); an object whose only key is that key is wrapped too, so the read back
  (unwrap exactly one-key objects) always returns what was written.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from evalsets.core.content import Record
from evalsets.core.ids import DATAPOINT, DATASET, VERSION, from_uuid, to_uuid

NAMESPACE = uuid.UUID("5b0f8a9e-4c1d-4e7a-9a55-7f2f3c6d1e80")
"""The namespace of the UUIDv5s this dialect derives (item versions, client item ids)."""

TRACE_FIELDS = {
    "ref_trace_id": "trace_id",
    "source_trace_id": "trace_id",
    "ref_timestamp": "timestamp",
    "source_timestamp": "timestamp",
    "ref_source_id": "source_id",
    "source_event_id": "source_id",
    "source_output": "output",
    "client_item_id": "client_item_id",
}
"""PostHog item fields kept in the canonical ``trace`` object, and their key there."""

METADATA_ATTRIBUTE = "posthog:metadata"
"""The dataset attribute holding a PostHog dataset ``metadata`` that is not an object."""


def uuid_of(ident: str, prefix: str) -> str:
    """The plain UUID string of a prefixed id."""
    head, _, tail = ident.partition("_")
    if head == prefix and len(tail) == 32 and tail.islower() and tail.isalnum():
        return f"{tail[:8]}-{tail[8:12]}-{tail[12:16]}-{tail[16:20]}-{tail[20:]}"
    return str(to_uuid(ident, prefix))


def parse_uuid(value: object) -> uuid.UUID | None:
    """A UUID from a client string, or None if it is not one."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def dataset_id(value: uuid.UUID) -> str:
    return from_uuid(value, DATASET)


def item_id(value: uuid.UUID) -> str:
    return from_uuid(value, DATAPOINT)


def dataset_uuid(ident: str) -> str:
    return uuid_of(ident, DATASET)


def item_uuid(ident: str) -> str:
    return uuid_of(ident, DATAPOINT)


def version_uuid(ident: str) -> str:
    return uuid_of(ident, VERSION)


def item_version_uuid(item: str, seq: int) -> str:
    """A stable id for one version of one item: ``uuid5(NAMESPACE, "<dp id>/<seq>")``."""
    digest = hashlib.sha1(NAMESPACE.bytes + f"{item}/{seq}".encode()).hexdigest()
    variant = "89ab"[int(digest[16], 16) & 0x3]
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{variant}{digest[17:20]}-{digest[20:32]}"


def client_item_datapoint(dataset: str, client_item_id: str) -> str:
    """The datapoint id an item with this ``client_item_id`` gets in this dataset."""
    return from_uuid(uuid.uuid5(NAMESPACE, f"{dataset}/client/{client_item_id}"), DATAPOINT)


def wrap(value: Any, key: str) -> dict[str, Any]:
    """An object for a canonical object field (see the module docstring)."""
    if isinstance(value, Mapping) and set(value) != {key}:
        return dict(value)
    return {key: value}


def unwrap(value: Any, key: str) -> Any:
    """The PostHog value of a canonical object field (inverse of ``wrap``)."""
    if isinstance(value, Mapping) and set(value) == {key}:
        return value[key]
    return value


def apply(content: Record, fields: Mapping[str, Any]) -> Record:
    """Content with PostHog item fields set (None clears a field); other keys are kept."""
    result: Record = dict(content)
    trace: dict[str, Any] = dict(result.get("trace") or {})
    for name, value in fields.items():
        if name in TRACE_FIELDS:
            _put(trace, TRACE_FIELDS[name], value)
        elif name == "input":
            _put(result, "inputs", _wrapped(value, "input"))
        elif name in ("output", "expected_output"):
            _put(result, "expected", value)
        elif name == "metadata":
            _put(result, "metadata", _wrapped(value, "metadata"))
    _put(result, "trace", trace or None)
    return result


def _wrapped(value: Any, key: str) -> dict[str, Any] | None:
    """The canonical object of a value; empty objects are left out (they read back as ``{}``)."""
    return None if value is None or value == {} else wrap(value, key)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def fields_of(content: Record) -> dict[str, Any]:
    """The PostHog item fields of a datapoint's content (both generations' names)."""
    trace = content.get("trace")
    trace = trace if isinstance(trace, Mapping) else {}
    expected = content.get("expected")
    trace_id, timestamp, source_id = (
        trace.get("trace_id"),
        trace.get("timestamp"),
        trace.get("source_id"),
    )
    metadata = unwrap(content.get("metadata", {}), "metadata")
    return {
        "input": unwrap(content.get("inputs", {}), "input"),
        "output": expected,
        "expected_output": expected,
        "source_output": trace.get("output"),
        "metadata": metadata,
        "client_item_id": trace.get("client_item_id"),
        "ref_trace_id": trace_id,
        "ref_timestamp": timestamp,
        "ref_source_id": source_id,
        "source_trace_id": trace_id,
        "source_event_id": source_id,
        "source_timestamp": timestamp,
    }


def attributes_of(metadata: Any) -> dict[str, Any]:
    """Dataset attributes for a PostHog dataset ``metadata``."""
    if metadata is None:
        return {}
    if isinstance(metadata, Mapping) and METADATA_ATTRIBUTE not in metadata:
        return dict(metadata)
    return {METADATA_ATTRIBUTE: metadata}


def metadata_of(attributes: Mapping[str, Any]) -> Any:
    """The PostHog dataset ``metadata`` of dataset attributes (inverse of ``attributes_of``)."""
    if set(attributes) == {METADATA_ATTRIBUTE}:
        return attributes[METADATA_ATTRIBUTE]
    return dict(attributes)
