"""``/api/v1/datasets``: datasets, versions and deployments."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from evalsets.core.datasets import UNSET, DatasetFields
from evalsets.core.versioning import VersionMeta
from evalsets.http.auth import Principal, engine_of, read_access, write_access
from evalsets.http.native import serializers as out
from evalsets.http.native.schemas import (
    CommitRequest,
    DatasetCreate,
    DatasetUpdate,
    DeployRequest,
    RestoreRequest,
    VersionUpdate,
    VersionWrite,
)

router = APIRouter(tags=["datasets"])
Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]


@router.get("/datasets")
def list_datasets(
    request: Request,
    principal: Reader,
    search: str | None = None,
    name: str | None = None,
    tag: Annotated[list[str] | None, Query()] = None,
    sort_by: Literal["created_at", "updated_at", "name", "path"] = "created_at",
    order: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> dict[str, Any]:
    """Datasets of the caller's project, with where each is deployed."""
    engine = engine_of(request)
    items, total = engine.datasets.page(
        principal.project_id,
        name=name,
        search=search,
        tags=tag,
        sort_by=sort_by,
        descending=order == "desc",
        limit=limit,
        offset=offset,
    )
    deployed = engine.datasets.deployments_by_dataset(principal.project_id)
    body = []
    for ds in items:
        entry = out.dataset(ds)
        entry["deployed"] = {env: vid for env, vid in deployed.get(ds.id, [])}
        body.append(entry)
    return {"items": body, "total": total, "limit": limit, "offset": offset}


@router.post("/datasets", status_code=201)
def create_dataset(body: DatasetCreate, request: Request, principal: Writer) -> dict[str, Any]:
    fields = DatasetFields(
        description=body.description,
        type=body.type,
        readme=body.readme,
        tags=tuple(body.tags),
        attributes=body.attributes,
        schema=body.json_schema,
        active=body.active,
    )
    ds = engine_of(request).datasets.create(
        principal.project_id, body.path, fields, principal.author
    )
    return out.dataset(ds)


@router.get("/datasets/{dataset_id}")
def get_dataset(dataset_id: str, request: Request, principal: Reader) -> dict[str, Any]:
    engine = engine_of(request)
    ds = engine.datasets.get(principal.project_id, dataset_id)
    return out.dataset(ds, engine.datasets.deployments(principal.project_id, dataset_id))


@router.patch("/datasets/{dataset_id}")
def update_dataset(
    dataset_id: str, body: DatasetUpdate, request: Request, principal: Writer
) -> dict[str, Any]:
    """Move (``path``), rename (``name``) or describe a dataset."""
    given = body.model_dump(exclude_unset=True, by_alias=True)
    changes = {k: given.get(k, UNSET) for k in given}
    ds = engine_of(request).datasets.update(principal.project_id, dataset_id, **changes)
    return out.dataset(ds)


@router.delete("/datasets/{dataset_id}", status_code=204)
def delete_dataset(dataset_id: str, request: Request, principal: Writer) -> Response:
    engine_of(request).datasets.delete(principal.project_id, dataset_id)
    return Response(status_code=204)


# --- versions ---------------------------------------------------------------------------


@router.get("/datasets/{dataset_id}/versions")
def list_versions(
    dataset_id: str,
    request: Request,
    principal: Reader,
    status: Annotated[list[Literal["uncommitted", "committed", "deleted"]] | None, Query()] = None,
) -> dict[str, Any]:
    """Versions newest first (like ``git log``)."""
    versions = engine_of(request).datasets.versions(
        principal.project_id, dataset_id, statuses=list(status) if status else None
    )
    return {"items": [out.version(v) for v in versions]}


@router.post("/datasets/{dataset_id}/versions")
def write_version(
    dataset_id: str, body: VersionWrite, request: Request, response: Response, principal: Writer
) -> dict[str, Any]:
    """A set-based write: 201 with the new version, or 200 when nothing changed."""
    meta = VersionMeta(
        commit=body.commit or body.message is not None,
        message=body.message,
        name=body.name,
        description=body.description,
        attributes=body.attributes,
        author=principal.author,
    )
    _, result = engine_of(request).data.upsert(
        principal.project_id,
        dataset_id=dataset_id,
        records=body.datapoints,
        action=body.action,
        version_id=body.base_version_id,
        environment=body.environment,
        meta=meta,
        expected_head=body.expected_head,
    )
    response.status_code = 201 if result.created else 200
    return {**out.version(result.version), "created": result.created}


@router.get("/datasets/{dataset_id}/versions/{version_id}")
def get_version(
    dataset_id: str, version_id: str, request: Request, principal: Reader
) -> dict[str, Any]:
    return out.version(
        engine_of(request).datasets.version(principal.project_id, dataset_id, version_id)
    )


@router.patch("/datasets/{dataset_id}/versions/{version_id}")
def update_version(
    dataset_id: str, version_id: str, body: VersionUpdate, request: Request, principal: Writer
) -> dict[str, Any]:
    given = body.model_dump(exclude_unset=True)
    version = engine_of(request).datasets.update_version(
        principal.project_id,
        dataset_id,
        version_id,
        name=given.get("name", UNSET),
        description=given.get("description", UNSET),
        attributes=given.get("attributes", UNSET),
    )
    return out.version(version)


@router.delete("/datasets/{dataset_id}/versions/{version_id}", status_code=204)
def delete_version(
    dataset_id: str, version_id: str, request: Request, principal: Writer
) -> Response:
    engine_of(request).datasets.delete_version(principal.project_id, dataset_id, version_id)
    return Response(status_code=204)


@router.post("/datasets/{dataset_id}/versions/{version_id}/commit")
def commit_version(
    dataset_id: str, version_id: str, body: CommitRequest, request: Request, principal: Writer
) -> dict[str, Any]:
    version = engine_of(request).datasets.commit(
        principal.project_id,
        dataset_id,
        version_id,
        message=body.message,
        name=body.name,
        description=body.description,
    )
    return out.version(version)


@router.post("/datasets/{dataset_id}/commit")
def commit_draft(
    dataset_id: str, body: CommitRequest, request: Request, principal: Writer
) -> dict[str, Any]:
    """Commit the open draft."""
    version = engine_of(request).datasets.commit(
        principal.project_id,
        dataset_id,
        message=body.message,
        name=body.name,
        description=body.description,
    )
    return out.version(version)


@router.post("/datasets/{dataset_id}/versions/{version_id}/restore", status_code=201)
def restore_version(
    dataset_id: str, version_id: str, body: RestoreRequest, request: Request, principal: Writer
) -> dict[str, Any]:
    """A new version equal to this one."""
    meta = VersionMeta(
        commit=body.commit,
        message=body.message or f"Restore {version_id}",
        name=body.name,
        author=principal.author,
    )
    result = engine_of(request).data.restore(principal.project_id, dataset_id, version_id, meta)
    return out.version(result.version)


# --- deployments ------------------------------------------------------------------------


@router.get("/datasets/{dataset_id}/deployments")
def list_deployments(dataset_id: str, request: Request, principal: Reader) -> dict[str, Any]:
    deployments = engine_of(request).datasets.deployments(principal.project_id, dataset_id)
    return {"items": [out.deployment(d) for d in deployments]}


@router.put("/datasets/{dataset_id}/deployments/{environment}")
def deploy(
    dataset_id: str, environment: str, body: DeployRequest, request: Request, principal: Writer
) -> dict[str, Any]:
    found = engine_of(request).datasets.deploy(
        principal.project_id, dataset_id, environment, body.version_id
    )
    return out.deployment(found)


@router.delete("/datasets/{dataset_id}/deployments/{environment}", status_code=204)
def undeploy(dataset_id: str, environment: str, request: Request, principal: Writer) -> Response:
    engine_of(request).datasets.undeploy(principal.project_id, dataset_id, environment)
    return Response(status_code=204)
