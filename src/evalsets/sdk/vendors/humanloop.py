"""Humanloop v5: ``GET /datasets``, ``/versions``, ``/datapoints?version_id``, ``/environments``.

Datapoints map to records as evalsets' Humanloop dialect maps them, with the same code
(:mod:`evalsets.formats.humanloop`): ``target`` → ``expected``, other keys kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evalsets.formats.humanloop import to_record
from evalsets.sdk.vendors import Record, VendorClient, VendorDataset, VendorVersion

PAGE = 500


def _base(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/v5") else f"{url}/v5"


def _pages(client: VendorClient, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every record of a ``{records, page, size, total}`` listing (until an empty page)."""
    page = 1
    while True:
        body = client.json("GET", path, params={**params, "page": page, "size": PAGE})
        records = body.get("records") or []
        yield from records
        if not records:
            return
        page += 1


def datasets(url: str, key: str, **_: Any) -> Iterator[VendorDataset]:
    client = VendorClient(_base(url), {"X-API-KEY": key})
    try:
        found = list(_pages(client, "/datasets", {"sort_by": "created_at", "order": "asc"}))
        for ds in found:
            yield _dataset(client, ds)
    finally:
        client.close()


def _dataset(client: VendorClient, ds: dict[str, Any]) -> VendorDataset:
    ident = ds["id"]
    listed = client.json("GET", f"/datasets/{ident}/versions").get("records") or []
    listed.sort(key=lambda v: str(v.get("created_at") or ""))
    versions = [
        VendorVersion(
            id=v["version_id"],
            records=_records(client, ident, v["version_id"]),
            name=v.get("version_name"),
            message=v.get("commit_message"),
            description=v.get("version_description"),
            committed=v.get("status") != "uncommitted",
        )
        for v in listed
    ]
    deployments = {}
    for env in client.json("GET", f"/datasets/{ident}/environments"):
        file = env.get("file")
        if isinstance(file, dict) and file.get("version_id"):
            deployments[env["name"]] = file["version_id"]
    return VendorDataset(
        id=ident,
        path=ds.get("path") or ds["name"],
        versions=versions,
        description=ds.get("description"),
        tags=list(ds.get("tags") or []),
        deployments=deployments,
    )


def _records(client: VendorClient, ident: str, version_id: str) -> Any:
    def read() -> Iterator[Record]:
        path = f"/datasets/{ident}/datapoints"
        for datapoint in _pages(client, path, {"version_id": version_id}):
            yield to_record(datapoint)

    return read
