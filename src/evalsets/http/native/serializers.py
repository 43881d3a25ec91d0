"""The native API's JSON for the core's objects."""

from __future__ import annotations

from typing import Any

import orjson

from evalsets.core.content import hash_hex
from evalsets.core.model import (
    ApiKey,
    Datapoint,
    DatapointRevision,
    Dataset,
    Deployment,
    Diff,
    Environment,
    Page,
    Project,
    RawPage,
    Version,
)


def project(p: Project) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "created_at": p.created_at}


def api_key(k: ApiKey) -> dict[str, Any]:
    return {
        "id": k.id,
        "project_id": k.project_id,
        "name": k.name,
        "prefix": k.prefix,
        "scopes": list(k.scopes),
        "created_at": k.created_at,
        "revoked_at": k.revoked_at,
    }


def environment(e: Environment) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "is_default": e.is_default, "created_at": e.created_at}


def dataset(d: Dataset, deployments: list[Deployment] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": d.id,
        "project_id": d.project_id,
        "path": d.path,
        "name": d.name,
        "description": d.description,
        "type": d.type,
        "readme": d.readme,
        "tags": list(d.tags),
        "attributes": d.attributes,
        "schema": d.schema,
        "active": d.active,
        "head_version_id": d.head_version_id,
        "created_by": d.created_by,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
    }
    if deployments is not None:
        body["deployments"] = [deployment(x) for x in deployments]
    return body


def version(v: Version) -> dict[str, Any]:
    return {
        "id": v.id,
        "dataset_id": v.dataset_id,
        "number": v.number,
        "status": v.status.value,
        "name": v.name,
        "description": v.description,
        "commit_message": v.commit_message,
        "attributes": v.attributes,
        "author": v.author,
        "parent_id": v.parent_id,
        "datapoint_count": v.datapoint_count,
        "created_at": v.created_at,
        "updated_at": v.updated_at,
        "committed_at": v.committed_at,
    }


def deployment(d: Deployment) -> dict[str, Any]:
    return {
        "environment": environment(d.environment),
        "version_id": d.version_id,
        "deployed_at": d.deployed_at,
    }


def datapoint(d: Datapoint) -> dict[str, Any]:
    return d.record()


def datapoint_page(page: Page) -> dict[str, Any]:
    return {
        "items": [datapoint(d) for d in page.items],
        "total": page.total,
        "next_cursor": page.next_cursor,
    }


def raw_datapoint_page(page: RawPage) -> bytes:
    """The same JSON as ``datapoint_page``, assembled from stored JSON without re-encoding."""
    tail = orjson.dumps({"total": page.total, "next_cursor": page.next_cursor})
    return b'{"items":[' + b",".join(page.items) + b"]," + tail[1:]


def revision(r: DatapointRevision) -> dict[str, Any]:
    return {
        "seq": r.seq,
        "op": r.op,
        "at": r.at,
        "author": r.author,
        "version_id": r.version_id,
        "content": r.content,
    }


def diff(d: Diff) -> dict[str, Any]:
    return {
        "base_version_id": d.base_version_id,
        "target_version_id": d.target_version_id,
        "added": [datapoint(x) for x in d.added],
        "removed": [datapoint(x) for x in d.removed],
        "changed": [
            {"id": c.id, "fields": c.fields, "before": c.before, "after": c.after}
            for c in d.changed
        ],
        "stats": {"added": len(d.added), "removed": len(d.removed), "changed": len(d.changed)},
    }


def content_hash(d: Datapoint) -> str:
    return hash_hex(d.content_hash)
