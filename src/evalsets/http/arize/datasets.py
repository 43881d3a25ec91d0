"""``/v2/datasets`` and ``/v2/spaces``: datasets (with their versions) and spaces (projects)."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from evalsets.core.errors import InvalidInput
from evalsets.http.arize import ids, service
from evalsets.http.arize import serializers as out
from evalsets.http.arize.schemas import CreateDataset, UpdateDataset
from evalsets.http.auth import Principal, engine_of, read_access, write_access

router = APIRouter()
Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    parts = ids.decode(cursor)
    if parts is None or parts[0] != "Offset":
        raise InvalidInput("invalid cursor", field="cursor")
    return parts[1]


def _cursor(offset: int) -> str:
    return base64.b64encode(f"Offset:{offset}:".encode()).decode()


@router.get("/datasets")
def list_datasets(
    request: Request,
    principal: Reader,
    space_id: str | None = None,
    space_name: str | None = None,
    name: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Datasets of the caller's space, newest first; ``name`` is a case-insensitive substring."""
    engine = engine_of(request)
    project = engine.admin.get_project(principal.project_id)
    if space_id:
        ids.parse_space(space_id, project.id)
    if space_name and space_name.lower() not in project.name.lower():
        return {"datasets": [], "pagination": out.pagination(None)}
    offset = _offset(cursor)
    wanted = (name or "").lower()
    items, total = engine.datasets.page(
        project.id, name=wanted.rsplit("/", 1)[-1] or None, limit=limit, offset=offset
    )
    shown = [d for d in items if wanted in d.path.lower()]
    more = offset + len(items) < total
    return {
        "datasets": [out.dataset(d) for d in shown],
        "pagination": out.pagination(_cursor(offset + len(items)) if more else None),
    }


@router.post("/datasets", status_code=201)
def create_dataset(body: CreateDataset, request: Request, principal: Writer) -> dict[str, Any]:
    """A dataset with 1 to 1000 examples in its first version; 409 if the name is taken."""
    ids.parse_space(body.space_id, principal.project_id)
    engine = engine_of(request)
    ds = service.create_dataset(
        engine, principal.project_id, body.name, body.examples, principal.author
    )
    return out.dataset(ds, engine.datasets.versions(principal.project_id, ds.id))


@router.get("/datasets/{dataset_id}")
def get_dataset(dataset_id: str, request: Request, principal: Reader) -> dict[str, Any]:
    """The dataset with its versions, newest first."""
    engine = engine_of(request)
    native = ids.parse_dataset(dataset_id, principal.project_id)
    ds = engine.datasets.get(principal.project_id, native)
    return out.dataset(ds, engine.datasets.versions(principal.project_id, native))


@router.patch("/datasets/{dataset_id}")
def update_dataset(
    dataset_id: str, body: UpdateDataset, request: Request, principal: Writer
) -> dict[str, Any]:
    """Rename (the name is the dataset's path; 409 if taken)."""
    if not body.name.strip():
        raise InvalidInput("name must not be empty", field="name")
    engine = engine_of(request)
    native = ids.parse_dataset(dataset_id, principal.project_id)
    ds = engine.datasets.update(principal.project_id, native, path=body.name)
    return out.dataset(ds, engine.datasets.versions(principal.project_id, native))


@router.delete("/datasets/{dataset_id}", status_code=204)
def delete_dataset(dataset_id: str, request: Request, principal: Writer) -> Response:
    native = ids.parse_dataset(dataset_id, principal.project_id)
    engine_of(request).datasets.delete(principal.project_id, native)
    return Response(status_code=204)


@router.get("/spaces")
def list_spaces(
    request: Request,
    principal: Reader,
    name: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
    org_id: str | None = None,
) -> dict[str, Any]:
    """The caller's project, as the one space it can see."""
    project = engine_of(request).admin.get_project(principal.project_id)
    matches = not name or name.lower() in project.name.lower()
    shown = [out.space(project)] if matches and not cursor else []
    return {"spaces": shown, "pagination": out.pagination(None)}


@router.get("/spaces/{space_id}")
def get_space(space_id: str, request: Request, principal: Reader) -> dict[str, Any]:
    ids.parse_space(space_id, principal.project_id)
    return out.space(engine_of(request).admin.get_project(principal.project_id))
