"""Arize AX v2: ``GET /v2/datasets`` (cursor), ``GET /v2/datasets/{id}`` (versions, newest
first), ``GET /v2/datasets/{id}/examples?dataset_version_id`` (cursor).

Mapping (as evalsets' Arize dialect): the expected column (the first of ``expected``,
``expected_output``, ``output`` the examples use) → ``expected``; ``messages``/``sources``/
``filters`` lists, ``metadata``/``trace`` objects and ``context`` → those fields;
``annotations`` kept; every other column → ``inputs[column]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from evalsets.sdk.vendors import Record, VendorClient, VendorDataset, VendorVersion

EXPECTED_COLUMNS = ("expected", "expected_output", "output")
SYSTEM = ("id", "created_at", "updated_at")
LISTS = ("messages", "sources", "filters")
OBJECTS = ("metadata", "trace")
PAGE = 500


def _fits(column: str, value: Any) -> bool:
    if value is None:
        return False
    if column in LISTS:
        return isinstance(value, list)
    if column in OBJECTS:
        return isinstance(value, dict)
    return column == "context"


def to_record(example: dict[str, Any], expected_column: str) -> Record:
    """A canonical record from a flat Arize example."""
    inputs: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    annotations = example.get("annotations")
    for column, value in example.items():
        if column in SYSTEM or column == "annotations":
            continue
        if column == expected_column and value is not None:
            fields["expected"] = value
        elif _fits(column, value):
            fields[column] = value
        else:
            inputs[column] = value
    record: Record = {"inputs": inputs} if inputs else {}
    record.update(fields)
    if annotations:
        record["annotations"] = annotations
    return record


def _examples(client: VendorClient, ident: str, version_id: str) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"dataset_version_id": version_id, "limit": PAGE}
        if cursor:
            params["cursor"] = cursor
        body = client.json("GET", f"/v2/datasets/{ident}/examples", params=params)
        yield from body.get("examples") or []
        pagination = body.get("pagination") or {}
        cursor = pagination.get("next_cursor")
        if not pagination.get("has_more") or not cursor:
            return


def _expected_column(client: VendorClient, ident: str, version_id: str) -> str:
    seen: set[str] = set()
    for example in _examples(client, ident, version_id):
        seen.update(k for k in EXPECTED_COLUMNS if k in example)
        if EXPECTED_COLUMNS[0] in seen:
            break
    return next((name for name in EXPECTED_COLUMNS if name in seen), EXPECTED_COLUMNS[0])


def datasets(url: str, key: str, **_: Any) -> Iterator[VendorDataset]:
    client = VendorClient(url, {"Authorization": f"Bearer {key}"})
    try:
        listed: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            body = client.json("GET", "/v2/datasets", params=params)
            listed += body.get("datasets") or []
            pagination = body.get("pagination") or {}
            cursor = pagination.get("next_cursor")
            if not pagination.get("has_more") or not cursor:
                break
        listed.sort(key=lambda d: str(d.get("created_at") or ""))
        for ds in listed:
            yield _dataset(client, ds["id"])
    finally:
        client.close()


def _dataset(client: VendorClient, ident: str) -> VendorDataset:
    found = client.json("GET", f"/v2/datasets/{ident}")
    listed = list(reversed(found.get("versions") or []))
    column = _expected_column(client, ident, listed[-1]["id"]) if listed else "expected"
    versions = []
    for position, v in enumerate(listed, start=1):
        name = v.get("name")
        synthetic = isinstance(name, str) and re.fullmatch(rf"v{position}", name) is not None
        versions.append(
            VendorVersion(
                id=v["id"],
                records=_records(client, ident, v["id"], column),
                name=None if synthetic else name,
            )
        )
    return VendorDataset(id=ident, path=found["name"], versions=versions)


def _records(client: VendorClient, ident: str, version_id: str, column: str) -> Any:
    def read() -> Iterator[Record]:
        for example in _examples(client, ident, version_id):
            yield to_record(example, column)

    return read
