"""``/v2/datasets/{id}/examples``: list, search, append, update by id, delete, annotate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from evalsets.core.errors import InvalidInput
from evalsets.core.versioning import VersionMeta
from evalsets.http.arize import filters, ids, service
from evalsets.http.arize import serializers as out
from evalsets.http.arize.mapping import ANNOTATIONS, SYSTEM_COLUMNS
from evalsets.http.arize.schemas import (
    AnnotateExamples,
    DeleteExamples,
    InsertExamples,
    SearchExamples,
    UpdateExamples,
)
from evalsets.http.auth import Principal, engine_of, read_access, write_access

router = APIRouter()
Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]


@router.get("/datasets/{dataset_id}/examples")
def list_examples(
    dataset_id: str,
    request: Request,
    principal: Reader,
    dataset_version_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """A page of a version's examples (the latest by default), oldest first."""
    engine = engine_of(request)
    ds = engine.datasets.get(
        principal.project_id, ids.parse_dataset(dataset_id, principal.project_id)
    )
    items, next_cursor = service.page_examples(
        engine,
        principal.project_id,
        ds,
        version_id=service.version_param(dataset_version_id, principal.project_id),
        limit=limit,
        cursor=cursor,
    )
    return {"examples": items, "pagination": out.pagination(next_cursor)}


@router.post("/datasets/{dataset_id}/examples/search")
def search_examples(
    dataset_id: str, body: SearchExamples, request: Request, principal: Reader
) -> dict[str, Any]:
    """Like the list, narrowed by the SQL-like ``filter``."""
    predicate = filters.parse(body.filter) if body.filter is not None else None
    engine = engine_of(request)
    ds = engine.datasets.get(
        principal.project_id, ids.parse_dataset(dataset_id, principal.project_id)
    )
    items, next_cursor = service.page_examples(
        engine,
        principal.project_id,
        ds,
        version_id=service.version_param(body.dataset_version_id, principal.project_id),
        limit=body.limit,
        cursor=body.cursor,
        predicate=predicate,
    )
    return {"examples": items, "pagination": out.pagination(next_cursor)}


@router.post("/datasets/{dataset_id}/examples", status_code=201)
def append_examples(
    dataset_id: str,
    body: InsertExamples,
    request: Request,
    principal: Writer,
    dataset_version_id: str | None = None,
) -> dict[str, Any]:
    """Append to the latest version (its draft); new ids and the version come back."""
    engine = engine_of(request)
    project_id = principal.project_id
    ds = engine.datasets.get(project_id, ids.parse_dataset(dataset_id, project_id))
    version_id = service.version_param(dataset_version_id, project_id)
    result = service.append(engine, project_id, ds, body.examples, version_id, principal.author)
    ds = engine.datasets.get(project_id, ds.id)
    return out.written(ds, result, result.datapoint_ids)


def _patches(examples: list[Any]) -> list[tuple[str | None, dict[str, Any]]]:
    patches = []
    for index, item in enumerate(examples):
        if not isinstance(item, dict) or "id" not in item:
            raise InvalidInput(
                f"examples[{index}] must be an object with an 'id'", field="examples"
            )
        taken = [k for k in (*SYSTEM_COLUMNS[1:], ANNOTATIONS) if k in item]
        if taken:
            raise InvalidInput(
                f"examples[{index}] contains system-managed field '{taken[0]}'", field="examples"
            )
        patches.append((ids.parse_example(item["id"]), item))
    return patches


@router.patch("/datasets/{dataset_id}/examples")
def update_examples(
    dataset_id: str,
    body: UpdateExamples,
    request: Request,
    principal: Writer,
    dataset_version_id: str | None = None,
) -> dict[str, Any]:
    """Patch examples by id (unknown ids ignored); in place, or as version ``new_version``."""
    engine = engine_of(request)
    project_id = principal.project_id
    ds = engine.datasets.get(project_id, ids.parse_dataset(dataset_id, project_id))
    version_id = service.version_param(dataset_version_id, project_id)
    patches = _patches(body.examples)
    new_version = (body.new_version or "").strip() or None
    if new_version is None:
        service.check_in_place(engine, project_id, ds.id, version_id)
    result, updated = service.update_examples(
        engine, project_id, ds, patches, version_id, new_version, principal.author
    )
    ds = engine.datasets.get(project_id, ds.id)
    return out.written(ds, result, updated)


@router.delete("/datasets/{dataset_id}/examples")
def delete_examples(
    dataset_id: str, body: DeleteExamples, request: Request, principal: Writer
) -> dict[str, Any]:
    """Remove examples from the latest version in place; unknown ids are reported."""
    if any(not i.strip() for i in body.example_ids):
        raise InvalidInput("example_ids must not contain empty ids", field="example_ids")
    if len(set(body.example_ids)) != len(body.example_ids):
        raise InvalidInput("example_ids must not contain duplicates", field="example_ids")
    version_id = service.version_param(body.dataset_version_id, principal.project_id)
    if version_id is None:
        raise InvalidInput("dataset_version_id is required", field="dataset_version_id")
    engine = engine_of(request)
    project_id = principal.project_id
    native = ids.parse_dataset(dataset_id, project_id)
    engine.datasets.get(project_id, native)
    service.check_in_place(engine, project_id, native, version_id)
    by_native = {ids.parse_example(i): i for i in body.example_ids}
    wanted = [n for n in by_native if n is not None]
    with service.latest_only():
        _, removed, _ = engine.data.remove(
            project_id,
            native,
            wanted,
            ignore_missing=True,
            meta=VersionMeta(author=principal.author),
            expected_head=version_id,
        )
    deleted = [by_native[n] for n in removed]
    return {
        "completed": True,
        "deleted_example_ids": deleted,
        "not_deleted_example_ids": [i for i in body.example_ids if i not in set(deleted)],
    }


@router.post("/datasets/{dataset_id}/examples/annotate", status_code=202, response_class=Response)
def annotate_examples(
    dataset_id: str, body: AnnotateExamples, request: Request, principal: Writer
) -> Response:
    """Upsert annotations by name on examples of the latest version; unknown ids ignored."""
    engine = engine_of(request)
    project_id = principal.project_id
    native = ids.parse_dataset(dataset_id, project_id)
    engine.datasets.get(project_id, native)
    records = [
        (r.record_id, [v.model_dump(exclude_none=True) for v in r.values]) for r in body.annotations
    ]
    service.annotate(engine, project_id, native, records, principal.author)
    return Response(status_code=202)
