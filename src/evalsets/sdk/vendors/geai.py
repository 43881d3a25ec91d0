"""Globant Enterprise AI: ``GET /dataSetApi/dataSets`` (every dataset with its rows).

Globant has no versions: each dataset becomes one version. Mapping (as evalsets' Globant
dialect): ``dataSetRowInput`` → ``inputs`` (a string s as ``{"input": s}``),
``dataSetRowExpectedAnswer`` → ``expected``, ``dataSetRowContextDocument`` → ``context``
(empty strings are left out), ``expectedSources`` → ``sources`` (``id``, ``name``, ``value``,
``extension``), ``filterVariables`` → ``filters`` (``id``, ``type``, ``key``, ``value``,
``operator``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evalsets.sdk.vendors import Record, VendorClient, VendorDataset, VendorVersion

SOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("dataSetExpectedSourceId",),
    "name": ("dataSetExpectedSourceName",),
    "value": ("dataSetExpectedSourceValue",),
    "extension": (
        "dataSetexpectedSourceExtention",
        "dataSetExpectedSourceExtension",
        "dataSetExpectedSourceExtention",
    ),
}
FILTER_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("dataSetRowFilterVarId",),
    "type": ("dataSetMetadataType",),
    "key": ("dataSetRowFilterKey",),
    "value": ("dataSetRowFilterValue",),
    "operator": ("dataSetRowFilterOperator",),
}


def _entry(obj: dict[str, Any], keys: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for name, aliases in keys.items():
        value = next((obj[a] for a in aliases if obj.get(a) is not None), None)
        if value is not None and (value != "" or name == "id"):
            entry[name] = value
    return entry


def to_record(row: dict[str, Any]) -> Record:
    """A canonical record from a Globant dataset row."""
    record: Record = {}
    given = row.get("dataSetRowInput")
    if given is not None:
        record["inputs"] = given if isinstance(given, dict) else {"input": given}
    for source, target in (
        ("dataSetRowExpectedAnswer", "expected"),
        ("dataSetRowContextDocument", "context"),
    ):
        value = row.get(source)
        if value is not None and value != "":
            record[target] = value
    sources = [_entry(e, SOURCE_KEYS) for e in row.get("expectedSources") or []]
    filters = [_entry(e, FILTER_KEYS) for e in row.get("filterVariables") or []]
    if sources:
        record["sources"] = sources
    if filters:
        record["filters"] = filters
    return record


def datasets(url: str, key: str, **_: Any) -> Iterator[VendorDataset]:
    client = VendorClient(f"{url.rstrip('/')}/dataSetApi", {"Authorization": f"Bearer {key}"})
    try:
        for ds in client.json("GET", "/dataSets"):
            rows = ds.get("rows")
            if rows is None:
                rows = client.json("GET", f"/dataSet/{ds['dataSetId']}/dataSetRows")
            yield VendorDataset(
                id=ds["dataSetId"],
                path=ds["dataSetName"],
                versions=[VendorVersion(id=ds["dataSetId"], records=_records(rows))],
                description=ds.get("dataSetDescription") or None,
            )
    finally:
        client.close()


def _records(rows: list[dict[str, Any]]) -> Any:
    def read() -> Iterator[Record]:
        for row in rows:
            yield to_record(row)

    return read
