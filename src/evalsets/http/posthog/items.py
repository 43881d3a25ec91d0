"""``…/dataset_items/``: list (any revision, archived or not), CRUD, archive, restore, versions.

Items are listed newest first (descending position in the dataset). Without ``dataset`` the
list runs over every dataset of the project, newest dataset first.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from evalsets.core.errors import NotFound
from evalsets.core.items import ItemVersion
from evalsets.core.model import Datapoint, Scope, Version
from evalsets.http.posthog import mapping, writes
from evalsets.http.posthog import serializers as out
from evalsets.http.posthog.context import Ctx, context
from evalsets.http.posthog.datasets import ALL
from evalsets.http.posthog.errors import invalid, not_found, required
from evalsets.http.posthog.schemas import (
    body_object,
    boolean,
    dataset_ref,
    item_fields,
    limit_offset,
    positive,
    query_bool,
)

router = APIRouter(tags=["posthog"])
JsonBody = Annotated[Any, Body()]


def _item_id(item_ref: str) -> str:
    parsed = mapping.parse_uuid(item_ref)
    if parsed is None:
        raise not_found()
    return mapping.item_id(parsed)


def _locate(ctx: Ctx, item_ref: str) -> tuple[str, str]:
    """(dataset id, datapoint id) of a URL's item UUID."""
    ident = _item_id(item_ref)
    return ctx.items.locate(ctx.project_id, ident), ident


def _revision(ctx: Ctx, dataset_id: str) -> Version | None:
    """The version a read looks at: ``?revision=n``, else the newest."""
    raw = ctx.request.query_params.get("revision")
    if raw is None or raw == "":
        return ctx.engine.datasets.newest(ctx.project_id, dataset_id)
    try:
        number = positive(int(raw), "revision")
    except ValueError:
        raise invalid("revision", "A valid integer is required.") from None
    try:
        return ctx.items.version_by_number(ctx.project_id, dataset_id, number)
    except NotFound:
        raise invalid("revision", f"Dataset revision {number} does not exist.") from None


def _serialize(ctx: Ctx, dataset_id: str, points: list[Datapoint], seq: int) -> list[Any]:
    histories = ctx.items.histories(ctx.project_id, dataset_id, [p.id for p in points])
    results = []
    for point in points:
        history = histories[point.id]
        entry = out.at_or_before(history, seq)
        if entry is not None:
            results.append(out.item(dataset_id, entry, history[0], ctx.project_id))
    return results


def _newest_first(
    ctx: Ctx, dataset_id: str, version: Version, offset: int, limit: int
) -> list[Datapoint]:
    """Live datapoints of a version at a newest-first offset (a reversed ascending page)."""
    start = version.datapoint_count - offset - limit
    size = limit + min(start, 0)
    if size <= 0:
        return []
    page = ctx.engine.data.page(
        ctx.project_id,
        dataset_id,
        version_id=version.id,
        offset=max(start, 0),
        limit=size,
        with_total=False,
    )
    return list(reversed(page.items))


def _dataset_page(
    ctx: Ctx, dataset_id: str, archived: bool, limit: int, offset: int
) -> tuple[list[Any], int]:
    version = _revision(ctx, dataset_id)
    if version is None:
        return [], 0
    if archived:
        points, total = ctx.items.removed(ctx.project_id, dataset_id, version, limit, offset)
    else:
        total = version.datapoint_count
        points = _newest_first(ctx, dataset_id, version, offset, limit)
    return _serialize(ctx, dataset_id, points, version.seq), total


def _project_page(ctx: Ctx, limit: int, offset: int) -> tuple[list[Any], int]:
    """Live items of every dataset of the project, newest dataset first."""
    found, _ = ctx.engine.datasets.page(ctx.project_id, limit=ALL)
    heads = ctx.items.newest_versions(ctx.project_id, [d.id for d in found])
    results: list[Any] = []
    total, skip = 0, offset
    for ds in found:
        head = heads.get(ds.id)
        size = head.datapoint_count if head else 0
        total += size
        if head is None or len(results) >= limit or skip >= size:
            skip = max(skip - size, 0)
            continue
        points = _newest_first(ctx, ds.id, head, skip, limit - len(results))
        results.extend(_serialize(ctx, ds.id, points, head.seq))
        skip = 0
    return results, total


@router.get("/dataset_items/")
def list_items(project_ref: str, request: Request) -> dict[str, Any]:
    """Items of a ``dataset`` (at a ``revision``, ``archived`` or not), or of the project."""
    ctx = context(request, project_ref, Scope.READ)
    limit, offset = limit_offset(request)
    archived = bool(query_bool(request, "archived"))
    raw = request.query_params.get("dataset")
    if raw:
        dataset_id = dataset_ref(raw)
        try:
            ctx.engine.datasets.get(ctx.project_id, dataset_id)
        except NotFound:
            raise invalid(
                "dataset", "Select a valid choice. That choice is not one of the available choices."
            ) from None
        results, total = _dataset_page(ctx, dataset_id, archived, limit, offset)
    elif archived:
        results, total = [], 0
    else:
        results, total = _project_page(ctx, limit, offset)
    return out.page(request, results, total, limit, offset)


def _latest(ctx: Ctx, dataset_id: str, item_id: str) -> dict[str, Any]:
    history = writes.history(ctx, dataset_id, item_id)
    return out.item(dataset_id, history[-1], history[0], ctx.project_id)


def _existing_dataset(ctx: Ctx, value: Any) -> str:
    dataset_id = dataset_ref(value)
    try:
        ctx.engine.datasets.get(ctx.project_id, dataset_id)
    except NotFound:
        raise invalid(
            "dataset", f'Invalid pk "{value}" - object does not exist.', "does_not_exist"
        ) from None
    return dataset_id


@router.post("/dataset_items/", status_code=201)
def create_item(
    project_ref: str, request: Request, response: Response, body: JsonBody = None
) -> dict[str, Any]:
    """A new item: one new revision. A known ``client_item_id`` returns the existing item."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    data = body_object(body)
    dataset_id = _existing_dataset(ctx, data.get("dataset"))
    fields = item_fields(data)
    deleted = boolean(data["deleted"], "deleted") if "deleted" in data else False
    item_id, created = writes.create(ctx, dataset_id, fields, deleted=deleted)
    if not created:
        response.status_code = 200
    return _latest(ctx, dataset_id, item_id)


@router.get("/dataset_items/{item_ref}/")
def get_item(project_ref: str, item_ref: str, request: Request) -> dict[str, Any]:
    """An item as it is now (404 if deleted), or at ``?revision=n``."""
    ctx = context(request, project_ref, Scope.READ)
    dataset_id, item_id = _locate(ctx, item_ref)
    history = writes.history(ctx, dataset_id, item_id)
    pinned = "revision" in request.query_params
    version = _revision(ctx, dataset_id)
    entry = out.at_or_before(history, version.seq if version else 0)
    if entry is None or (entry.removed and not pinned):
        raise not_found()
    return out.item(dataset_id, entry, history[0], ctx.project_id)


def _update(
    request: Request, project_ref: str, item_ref: str, body: Any, *, partial: bool
) -> dict[str, Any]:
    ctx = context(request, project_ref, Scope.WRITE, body)
    data = body_object(body)
    if not partial and "dataset" not in data:
        raise required("dataset")
    dataset_id, item_id = _locate(ctx, item_ref)
    base = positive(data["base_version"], "base_version") if "base_version" in data else None
    fields = item_fields(data)
    if base is not None and "input" in fields and fields["input"] is None:
        raise invalid("input", "This field may not be null.", "null")
    deleted = boolean(data["deleted"], "deleted") if "deleted" in data else None
    writes.update(ctx, dataset_id, item_id, fields, base_version=base, deleted=deleted)
    return _latest(ctx, dataset_id, item_id)


@router.patch("/dataset_items/{item_ref}/")
def patch_item(
    project_ref: str, item_ref: str, request: Request, body: JsonBody = None
) -> dict[str, Any]:
    """Change fields (with ``base_version``: only if the item is still at that version)."""
    return _update(request, project_ref, item_ref, body, partial=True)


@router.put("/dataset_items/{item_ref}/")
def put_item(
    project_ref: str, item_ref: str, request: Request, body: JsonBody = None
) -> dict[str, Any]:
    return _update(request, project_ref, item_ref, body, partial=False)


@router.delete("/dataset_items/{item_ref}/")
def delete_item(project_ref: str, item_ref: str, request: Request) -> Response:
    """Hard deletes are not allowed (405, no body): PATCH ``deleted`` or archive instead."""
    context(request, project_ref, Scope.WRITE)
    return Response(status_code=405)


def _base_version(data: dict[str, Any]) -> int:
    if "base_version" not in data:
        raise required("base_version")
    return positive(data["base_version"], "base_version")


@router.post("/dataset_items/{item_ref}/archive/")
def archive_item(
    project_ref: str, item_ref: str, request: Request, body: JsonBody = None
) -> dict[str, Any]:
    """Take the item out of the dataset: a new item version and revision."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    base = _base_version(body_object(body))
    dataset_id, item_id = _locate(ctx, item_ref)
    writes.archive(ctx, dataset_id, item_id, base)
    return _latest(ctx, dataset_id, item_id)


@router.post("/dataset_items/{item_ref}/restore/")
def restore_item(
    project_ref: str, item_ref: str, request: Request, body: JsonBody = None
) -> dict[str, Any]:
    """Put an archived item back (optionally with the content of ``source_version``)."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    data = body_object(body)
    base = _base_version(data)
    raw_source = data.get("source_version")
    source = None if raw_source is None else positive(raw_source, "source_version")
    dataset_id, item_id = _locate(ctx, item_ref)
    writes.restore(ctx, dataset_id, item_id, base, source)
    return _latest(ctx, dataset_id, item_id)


@router.get("/dataset_items/{item_ref}/versions/")
def list_item_versions(project_ref: str, item_ref: str, request: Request) -> dict[str, Any]:
    """Every version of the item, newest first."""
    ctx = context(request, project_ref, Scope.READ)
    limit, offset = limit_offset(request)
    dataset_id, item_id = _locate(ctx, item_ref)
    history: list[ItemVersion] = writes.history(ctx, dataset_id, item_id)
    newest_first = list(reversed(history))[offset : offset + limit]
    results = [out.item(dataset_id, e, history[0], ctx.project_id) for e in newest_first]
    return out.page(request, results, len(history), limit, offset)
