"""``/v5/datasets`` and ``/v5/datasets/{id}``: list, upsert, get, move, delete."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Request, Response

from evalsets.core.content import Record
from evalsets.core.datasets import UNSET
from evalsets.core.versioning import VersionMeta
from evalsets.http.auth import engine_of
from evalsets.http.bulk import gc_paused
from evalsets.http.humanloop.deps import Reader, Writer, views_of
from evalsets.http.humanloop.schemas import DATASET_REQUEST_SCHEMA, MoveRequest, UpsertOptions
from evalsets.http.humanloop.upsert_body import parse_upsert
from evalsets.http.humanloop.views import MAX_PAGE, paginated

router = APIRouter(tags=["humanloop"])


@router.get("/datasets")
def list_datasets(
    request: Request,
    principal: Reader,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=1000)] = 10,
    name: str | None = None,
    user_filter: str | None = None,
    sort_by: Literal["created_at", "updated_at", "name"] = "created_at",
    order: Literal["asc", "desc"] = "desc",
) -> dict[str, Any]:
    """A page of datasets, each shown at its default version (``user_filter`` is ignored)."""
    views = views_of(request, principal)
    found, total = views.engine.datasets.page(
        principal.project_id,
        name=name,
        sort_by=sort_by,
        descending=order == "desc",
        limit=size,
        offset=(page - 1) * size,
    )
    return paginated([views.current(ds) for ds in found], page, size, total)


@router.post(
    "/datasets",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DATASET_REQUEST_SCHEMA}},
        }
    },
)
async def upsert_dataset(
    request: Request,
    principal: Writer,
    version_id: str | None = None,
    environment: str | None = None,
    include_datapoints: bool = False,
) -> dict[str, Any]:
    """Create a dataset or a new version of it: ``set``, ``add`` or ``remove`` datapoints.

    The body is Humanloop's ``DatasetRequest`` (see ``upsert_body``).
    """
    views = views_of(request, principal)
    raw = await request.body()

    def run() -> dict[str, Any]:
        with gc_paused():
            return upsert(parse_upsert(raw))

    def upsert(parsed: tuple[UpsertOptions, list[Record]]) -> dict[str, Any]:
        options, records = parsed
        meta = VersionMeta(
            commit=options.commit_message is not None,
            message=options.commit_message,
            name=options.version_name,
            description=options.version_description,
            attributes=options.attributes or {},
            author=principal.author,
        )
        ds, result = views.engine.data.upsert(
            principal.project_id,
            records=records,
            dataset_id=options.id,
            path=options.path,
            action=options.action,
            version_id=version_id,
            environment=environment,
            meta=meta,
        )
        return views.dataset(ds, result.version, include_datapoints=include_datapoints)

    body: dict[str, Any] = await anyio.to_thread.run_sync(run)
    return body


@router.get("/datasets/{dataset_id}")
def get_dataset(
    dataset_id: str,
    request: Request,
    principal: Reader,
    version_id: str | None = None,
    environment: str | None = None,
    include_datapoints: bool = False,
) -> dict[str, Any]:
    """One version of a dataset: the given one, an environment's, else the default one."""
    views = views_of(request, principal)
    ds, version = views.version_of(dataset_id, version_id, environment)
    return views.dataset(ds, version, include_datapoints=include_datapoints)


@router.patch("/datasets/{dataset_id}")
def move_dataset(
    dataset_id: str, body: MoveRequest, request: Request, principal: Writer
) -> dict[str, Any]:
    """Move the dataset to another path and/or rename it."""
    views = views_of(request, principal)
    given = body.model_dump(exclude_unset=True)
    ds = views.engine.datasets.update(
        principal.project_id,
        dataset_id,
        path=given.get("path", UNSET),
        name=given.get("name", UNSET),
    )
    return views.current(ds)


@router.delete("/datasets/{dataset_id}", status_code=204)
def delete_dataset(dataset_id: str, request: Request, principal: Writer) -> Response:
    engine_of(request).datasets.delete(principal.project_id, dataset_id)
    return Response(status_code=204)
