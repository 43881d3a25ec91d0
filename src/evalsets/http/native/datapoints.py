"""``/api/v1/datasets/{id}/datapoints``: rows, pages of any version, history and diff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from evalsets.core.versioning import VersionMeta
from evalsets.http.auth import Principal, engine_of, read_access, write_access
from evalsets.http.native import serializers as out
from evalsets.http.native.params import AtParams, parse_filter
from evalsets.http.native.schemas import DatapointIds, DatapointsCreate
from evalsets.http.responses import RawJSONResponse

router = APIRouter(tags=["datapoints"])
Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]
Record = Annotated[dict[str, Any], Body()]


@router.get("/datasets/{dataset_id}/datapoints")
def list_datapoints(
    dataset_id: str,
    request: Request,
    principal: Reader,
    at: AtParams,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    cursor: str | None = None,
    offset: Annotated[int | None, Query(ge=0)] = None,
    filter: Annotated[str | None, Query(description="field.path=JSON value")] = None,
    search: str | None = None,
) -> RawJSONResponse:
    """A page of any version, environment or moment: ``cursor`` (fast) or ``offset`` paging."""
    field, value = parse_filter(filter)
    page = engine_of(request).data.page_json(
        principal.project_id,
        dataset_id,
        **at.kwargs(),
        limit=limit,
        cursor=cursor,
        offset=offset,
        field=field,
        value=value,
        search=search,
    )
    return RawJSONResponse(out.raw_datapoint_page(page))


@router.post("/datasets/{dataset_id}/datapoints", status_code=201)
def add_datapoints(
    dataset_id: str, body: DatapointsCreate, request: Request, principal: Writer
) -> dict[str, Any]:
    """Add datapoints to the draft (or as a new version with ``new_version``)."""
    meta = VersionMeta(
        commit=body.commit, message=body.message, name=body.name, author=principal.author
    )
    result = engine_of(request).data.add(
        principal.project_id,
        dataset_id,
        body.datapoints,
        new_version=body.new_version,
        meta=meta,
        expected_head=body.expected_head,
    )
    return {"version": out.version(result.version), "ids": result.datapoint_ids}


@router.post("/datasets/{dataset_id}/datapoints/delete")
def delete_datapoints(
    dataset_id: str, body: DatapointIds, request: Request, principal: Writer
) -> dict[str, Any]:
    """Remove several datapoints from the draft; unknown ids are reported, not fatal."""
    result, removed, missing = engine_of(request).data.remove(
        principal.project_id, dataset_id, body.ids, ignore_missing=True, meta=_meta(principal)
    )
    return {"version": out.version(result.version), "removed": removed, "missing": missing}


@router.get("/datasets/{dataset_id}/datapoints/{datapoint_id}")
def get_datapoint(
    dataset_id: str, datapoint_id: str, request: Request, principal: Reader, at: AtParams
) -> dict[str, Any]:
    found = engine_of(request).data.get(
        principal.project_id, dataset_id, datapoint_id, **at.kwargs()
    )
    return out.datapoint(found)


@router.put("/datasets/{dataset_id}/datapoints/{datapoint_id}")
def replace_datapoint(
    dataset_id: str, datapoint_id: str, body: Record, request: Request, principal: Writer
) -> dict[str, Any]:
    """Replace a datapoint's content in the draft."""
    return _update(request, principal, dataset_id, datapoint_id, body, merge=False)


@router.patch("/datasets/{dataset_id}/datapoints/{datapoint_id}")
def patch_datapoint(
    dataset_id: str, datapoint_id: str, body: Record, request: Request, principal: Writer
) -> dict[str, Any]:
    """Change some top-level fields of a datapoint in the draft (null removes a field)."""
    return _update(request, principal, dataset_id, datapoint_id, body, merge=True)


def _update(
    request: Request,
    principal: Principal,
    dataset_id: str,
    datapoint_id: str,
    body: dict[str, Any],
    *,
    merge: bool,
) -> dict[str, Any]:
    engine = engine_of(request)
    result = engine.data.update(
        principal.project_id, dataset_id, [(datapoint_id, body)], merge=merge, meta=_meta(principal)
    )
    found = engine.data.get(
        principal.project_id, dataset_id, datapoint_id, version_id=result.version.id
    )
    return {**out.datapoint(found), "version_id": result.version.id}


@router.delete("/datasets/{dataset_id}/datapoints/{datapoint_id}", status_code=204)
def delete_datapoint(
    dataset_id: str, datapoint_id: str, request: Request, principal: Writer
) -> Response:
    engine_of(request).data.remove(
        principal.project_id, dataset_id, [datapoint_id], meta=_meta(principal)
    )
    return Response(status_code=204)


@router.get("/datasets/{dataset_id}/datapoints/{datapoint_id}/history")
def datapoint_history(
    dataset_id: str, datapoint_id: str, request: Request, principal: Reader
) -> dict[str, Any]:
    history = engine_of(request).data.history(principal.project_id, dataset_id, datapoint_id)
    return {"id": datapoint_id, "items": [out.revision(r) for r in history]}


@router.get("/datasets/{dataset_id}/diff")
def diff_versions(
    dataset_id: str,
    request: Request,
    principal: Reader,
    base: Annotated[str | None, Query(description="base version id (omit: empty)")] = None,
    target: Annotated[str | None, Query(description="target version id (omit: newest)")] = None,
) -> dict[str, Any]:
    """Added, removed and changed datapoints between two versions."""
    engine = engine_of(request)
    if target is None:
        newest = engine.datasets.newest(principal.project_id, dataset_id)
        target = newest.id if newest else None
    return out.diff(engine.data.diff(principal.project_id, dataset_id, base, target))


def _meta(principal: Principal) -> VersionMeta:
    return VersionMeta(author=principal.author)
