"""``…/datasets/``: list, create, retrieve, update, soft delete, archive, restore, revisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from evalsets.core.datasets import UNSET, DatasetFields
from evalsets.core.errors import InvalidInput
from evalsets.core.model import Dataset, Scope
from evalsets.core.validation import clean_path
from evalsets.http.posthog import mapping
from evalsets.http.posthog import openapi as doc
from evalsets.http.posthog import serializers as out
from evalsets.http.posthog.context import Ctx, context
from evalsets.http.posthog.errors import invalid, not_found
from evalsets.http.posthog.schemas import (
    body_object,
    dataset_changes,
    limit_offset,
    ordering,
    query_bool,
    query_tags,
)

router = APIRouter(tags=["posthog"])
JsonBody = Annotated[Any, Body()]
ALL = 1_000_000


def dataset_path_id(dataset_ref: str) -> str:
    """The ``ds_`` id of a URL's dataset UUID (404 for anything else)."""
    parsed = mapping.parse_uuid(dataset_ref)
    if parsed is None:
        raise not_found()
    return mapping.dataset_id(parsed)


def _name(value: str) -> str:
    try:
        return clean_path(value)
    except InvalidInput as exc:
        raise invalid("name", exc.message) from None


def _respond(ctx: Ctx, ds: Dataset) -> dict[str, Any]:
    heads = ctx.items.newest_versions(ctx.project_id, [ds.id])
    return out.dataset(ds, heads.get(ds.id), ctx.project_id)


def _ids(request: Request) -> list[str] | None:
    raw = request.query_params.get("id__in")
    if raw is None:
        return None
    ids = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        parsed = mapping.parse_uuid(part)
        if parsed is None:
            raise invalid("id__in", "Enter a valid UUID.")
        ids.append(mapping.dataset_id(parsed))
    return ids


def _tag_match(request: Request) -> str:
    match = request.query_params.get("tag_match", "any")
    if match not in ("any", "all"):
        raise invalid("tag_match", f'"{match}" is not a valid choice.', "invalid_choice")
    return match


@router.get("/datasets/", openapi_extra=doc.LIST_DATASETS)
def list_datasets(project_ref: str, request: Request) -> Response:
    """Datasets newest first; ``search``, ``order_by``, ``id__in``, ``archived``, ``tags``."""
    ctx = context(request, project_ref, Scope.READ)
    limit, offset = limit_offset(request)
    sort_by, descending = ordering(request)
    archived, tags, match = (
        query_bool(request, "archived"),
        query_tags(request),
        _tag_match(request),
    )
    narrowed = archived is not None or tags is not None
    found, total = ctx.engine.datasets.page(
        ctx.project_id,
        search=request.query_params.get("search") or None,
        ids=_ids(request),
        sort_by=sort_by,
        descending=descending,
        limit=ALL if narrowed else limit,
        offset=0 if narrowed else offset,
    )
    if narrowed:
        found = [d for d in found if _keeps(d, archived, tags, match)]
        total, found = len(found), found[offset : offset + limit]
    heads = ctx.items.newest_versions(ctx.project_id, [d.id for d in found])
    results = [out.dataset(d, heads.get(d.id), ctx.project_id) for d in found]
    return out.respond(out.page(request, results, total, limit, offset))


def _keeps(ds: Dataset, archived: bool | None, tags: list[str] | None, match: str) -> bool:
    if archived is not None and ds.active == archived:
        return False
    if tags:
        held = {t.lower() for t in ds.tags}
        wanted = set(tags)
        return bool(held & wanted) if match == "any" else wanted <= held
    return True


@router.post("/datasets/", status_code=201, openapi_extra=doc.CREATE_DATASET)
def create_dataset(project_ref: str, request: Request, body: JsonBody = None) -> Response:
    """A new, empty dataset (no revision until its first item)."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    changes = dataset_changes(body_object(body), partial=False)
    fields = DatasetFields(
        description=changes.get("description"),
        tags=tuple(changes.get("tags", ())),
        attributes=mapping.attributes_of(changes.get("metadata")),
    )
    ds = ctx.engine.datasets.create(ctx.project_id, _name(changes["name"]), fields, ctx.author)
    if changes.get("deleted"):
        ds = ctx.engine.datasets.update(ctx.project_id, ds.id, deleted=True)
    return out.respond(_respond(ctx, ds), 201)


@router.get("/datasets/{dataset_ref}/", openapi_extra=doc.GET_DATASET)
def get_dataset(project_ref: str, dataset_ref: str, request: Request) -> Response:
    ctx = context(request, project_ref, Scope.READ)
    found = ctx.engine.datasets.get(ctx.project_id, dataset_path_id(dataset_ref))
    return out.respond(_respond(ctx, found))


def _update(
    request: Request, project_ref: str, dataset_ref: str, body: Any, *, partial: bool
) -> Response:
    ctx = context(request, project_ref, Scope.WRITE, body)
    changes = dataset_changes(body_object(body), partial=partial)
    ds = ctx.engine.datasets.update(
        ctx.project_id,
        dataset_path_id(dataset_ref),
        include_deleted=True,
        path=_name(changes["name"]) if "name" in changes else UNSET,
        description=changes.get("description", UNSET),
        tags=changes.get("tags", UNSET),
        attributes=(mapping.attributes_of(changes["metadata"]) if "metadata" in changes else UNSET),
        deleted=changes.get("deleted", UNSET),
    )
    return out.respond(_respond(ctx, ds))


@router.patch("/datasets/{dataset_ref}/", openapi_extra=doc.UPDATE_DATASET)
def patch_dataset(
    project_ref: str, dataset_ref: str, request: Request, body: JsonBody = None
) -> Response:
    """Change some fields; ``{"deleted": true/false}`` soft-deletes or restores."""
    return _update(request, project_ref, dataset_ref, body, partial=True)


@router.put("/datasets/{dataset_ref}/", openapi_extra=doc.UPDATE_DATASET)
def put_dataset(
    project_ref: str, dataset_ref: str, request: Request, body: JsonBody = None
) -> Response:
    return _update(request, project_ref, dataset_ref, body, partial=False)


@router.delete("/datasets/{dataset_ref}/")
def delete_dataset(project_ref: str, dataset_ref: str, request: Request) -> Response:
    """Hard deletes are not allowed (405, no body): PATCH ``deleted`` instead."""
    context(request, project_ref, Scope.WRITE)
    return Response(status_code=405)


def _set_active(request: Request, project_ref: str, dataset_ref: str, active: bool) -> Response:
    ctx = context(request, project_ref, Scope.WRITE)
    ds = ctx.engine.datasets.update(ctx.project_id, dataset_path_id(dataset_ref), active=active)
    return out.respond(_respond(ctx, ds))


@router.post("/datasets/{dataset_ref}/archive/", openapi_extra=doc.GET_DATASET)
def archive_dataset(project_ref: str, dataset_ref: str, request: Request) -> Response:
    """Archive: the dataset stays readable but takes no item writes."""
    return _set_active(request, project_ref, dataset_ref, False)


@router.post("/datasets/{dataset_ref}/restore/", openapi_extra=doc.GET_DATASET)
def restore_dataset(project_ref: str, dataset_ref: str, request: Request) -> Response:
    return _set_active(request, project_ref, dataset_ref, True)


@router.get("/datasets/{dataset_ref}/revisions/", openapi_extra=doc.LIST_REVISIONS)
def list_revisions(project_ref: str, dataset_ref: str, request: Request) -> Response:
    """Revisions (the dataset's versions) newest first."""
    ctx = context(request, project_ref, Scope.READ)
    limit, offset = limit_offset(request)
    versions, total = ctx.items.versions_page(
        ctx.project_id, dataset_path_id(dataset_ref), limit, offset
    )
    results = [out.revision(v, ctx.project_id) for v in versions]
    return out.respond(out.page(request, results, total, limit, offset))
