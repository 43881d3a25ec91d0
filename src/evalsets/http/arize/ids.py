"""Arize resource ids: base64 of ``Type:n:suffix``, and example ids as plain UUIDs.

A dataset ``ds_<hex>`` of project ``p`` is ``base64("Dataset:p:<hex>")``; a version ``dsv_<hex>``
is ``base64("DatasetVersion:p:<hex>")``; project ``p`` is the space ``base64("Space:p:p")``; a
tag ``t`` is ``base64("Tag:p:<t>")``. A datapoint ``dp_<hex>`` is the example id ``str(UUID)``.
The text is ASCII, so the standard alphabet never yields ``+`` or ``/`` here: ids are safe in
a path segment.
"""

from __future__ import annotations

import base64
import binascii

from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.ids import DATAPOINT, DATASET, VERSION, from_uuid, to_uuid

DATASET_TYPE = "Dataset"
VERSION_TYPE = "DatasetVersion"
SPACE_TYPE = "Space"
TAG_TYPE = "Tag"
ORG_TYPE = "Organization"


def encode(kind: str, number: int, suffix: str) -> str:
    """``base64("kind:number:suffix")``."""
    return base64.b64encode(f"{kind}:{number}:{suffix}".encode()).decode()


def decode(value: str) -> tuple[str, int, str] | None:
    """The parts of a resource id, or None if it is not one."""
    try:
        text = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    kind, sep, rest = text.partition(":")
    number, sep2, suffix = rest.partition(":")
    if not sep or not sep2 or not number.isdigit():
        return None
    return kind, int(number), suffix


def space_id(project_id: int) -> str:
    return encode(SPACE_TYPE, project_id, str(project_id))


def organization_id() -> str:
    return encode(ORG_TYPE, 1, "evalsets")


def dataset_id(project_id: int, ident: str) -> str:
    return encode(DATASET_TYPE, project_id, to_uuid(ident, DATASET).hex)


def version_id(project_id: int, ident: str) -> str:
    return encode(VERSION_TYPE, project_id, to_uuid(ident, VERSION).hex)


def tag_id(project_id: int, tag: str) -> str:
    return encode(TAG_TYPE, project_id, tag)


def _native(value: str, kind: str, prefix: str, project_id: int, what: str) -> str:
    parts = decode(value)
    if parts is None or parts[0] != kind:
        raise NotFound(what, value)
    if parts[1] != project_id:
        raise NotFound(what, value)
    try:
        return from_uuid(parts[2], prefix)
    except InvalidInput:
        raise NotFound(what, value) from None


def parse_dataset(value: str, project_id: int) -> str:
    """The ``ds_`` id of an Arize dataset id of the caller's space; NotFound otherwise."""
    return _native(value, DATASET_TYPE, DATASET, project_id, "dataset")


def parse_version(value: str, project_id: int) -> str:
    """The ``dsv_`` id of an Arize dataset version id; NotFound otherwise."""
    return _native(value, VERSION_TYPE, VERSION, project_id, "dataset version")


def parse_space(value: str, project_id: int) -> None:
    """Check that a space id names the caller's project; NotFound otherwise."""
    parts = decode(value)
    if parts is None or parts[0] != SPACE_TYPE or parts[1] != project_id:
        raise NotFound("space", value)


def parse_tag(value: str, project_id: int) -> str | None:
    """The tag text of a tag id of the caller's space, or None for anything else."""
    parts = decode(value)
    if parts is None or parts[0] != TAG_TYPE or parts[1] != project_id or not parts[2]:
        return None
    return parts[2]


def example_id(ident: str) -> str:
    """The UUID string of a ``dp_`` id."""
    return str(to_uuid(ident, DATAPOINT))


def parse_example(value: object) -> str | None:
    """The ``dp_`` id of an example id (a UUID string), or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return from_uuid(value, DATAPOINT)
    except InvalidInput:
        return None
