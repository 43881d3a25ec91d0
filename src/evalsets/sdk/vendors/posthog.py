"""PostHog: ``…/datasets/`` (limit/offset), ``…/datasets/{id}/revisions/``, and
``…/dataset_items/?dataset=&revision=`` under ``/api/projects/{project}``.

Mapping (as evalsets' PostHog dialect): ``input`` → ``inputs`` (a value that is not an object,
or a one-key ``{"input": …}`` object, is wrapped as ``{"input": v}``); ``output``/
``expected_output`` → ``expected``; ``metadata`` → ``metadata`` (wrapped the same way; empty
is left out); trace references, ``source_output`` and ``client_item_id`` → ``trace``. A
dataset without revisions (the older API) gives one version of its current items. Items are
listed newest first; they are read backwards from the end so the order stays the creation order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from evalsets.sdk.vendors import Record, VendorClient, VendorDataset, VendorVersion

PAGE = 100
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


def _wrap(value: Any, key: str) -> dict[str, Any]:
    if isinstance(value, Mapping) and set(value) != {key}:
        return dict(value)
    return {key: value}


def to_record(item: dict[str, Any]) -> Record:
    """A canonical record from a PostHog dataset item (either API generation)."""
    record: Record = {}
    trace: dict[str, Any] = {}
    if item.get("input") is not None:
        record["inputs"] = _wrap(item["input"], "input")
    expected = item.get("expected_output", item.get("output"))
    if expected is not None:
        record["expected"] = expected
    metadata = item.get("metadata")
    if metadata is not None and metadata != {}:
        record["metadata"] = _wrap(metadata, "metadata")
    for name, key in TRACE_FIELDS.items():
        if item.get(name) is not None:
            trace[key] = item[name]
    if trace:
        record["trace"] = trace
    return record


def _pages(client: VendorClient, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        body = client.json("GET", path, params={**params, "limit": PAGE, "offset": offset})
        results = body.get("results") or []
        yield from results
        offset += len(results)
        if not results or not body.get("next"):
            return


def datasets(url: str, key: str, *, project: str = "@current", **_: Any) -> Iterator[VendorDataset]:
    client = VendorClient(
        f"{url.rstrip('/')}/api/projects/{project}", {"Authorization": f"Bearer {key}"}
    )
    try:
        listed = list(_pages(client, "/datasets/", {"order_by": "created_at"}))
        for ds in listed:
            yield _dataset(client, ds)
    finally:
        client.close()


def _dataset(client: VendorClient, ds: dict[str, Any]) -> VendorDataset:
    ident = ds["id"]
    revisions = list(_pages(client, f"/datasets/{ident}/revisions/", {}))
    revisions.sort(key=lambda r: int(r.get("revision") or 0))
    versions = [
        VendorVersion(
            id=str(r["id"]),
            records=_records(client, ident, r.get("revision")),
            message=r.get("message"),
            committed=r.get("status") != "uncommitted",
        )
        for r in revisions
    ]
    if not revisions:
        versions = [VendorVersion(id=f"{ident}:current", records=_records(client, ident, None))]
    metadata = ds.get("metadata")
    attributes = dict(metadata) if isinstance(metadata, dict) else {}
    if metadata is not None and not isinstance(metadata, dict):
        attributes = {"posthog:metadata": metadata}
    return VendorDataset(
        id=ident,
        path=ds["name"],
        versions=versions,
        description=ds.get("description") or None,
        tags=list(ds.get("tags") or []),
        attributes=attributes,
    )


def _oldest_first(
    client: VendorClient, path: str, params: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """A newest-first listing read backwards from its end, one page at a time."""
    first = client.json("GET", path, params={**params, "limit": 1, "offset": 0})
    start = int(first.get("count") or 0)
    while start > 0:
        offset = max(start - PAGE, 0)
        body = client.json(
            "GET", path, params={**params, "limit": start - offset, "offset": offset}
        )
        yield from reversed(body.get("results") or [])
        start = offset


def _records(client: VendorClient, ident: str, revision: int | None) -> Any:
    def read() -> Iterator[Record]:
        params: dict[str, Any] = {"dataset": ident, "archived": "false"}
        if revision is not None:
            params["revision"] = revision
        for item in _oldest_first(client, "/dataset_items/", params):
            yield to_record(item)

    return read
