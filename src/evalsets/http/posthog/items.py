"""``…/dataset_items/``: list (any revision, archived or not), CRUD, archive, restore, versions.

Items are listed newest first (descending position in the dataset). Without ``dataset`` the
list runs over every dataset of the project, newest dataset first.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from evalsets.core.errors import NotFound
from evalsets.core.items import ItemVersion, Listing
from evalsets.core.model import Scope
from evalsets.http.posthog import mapping, writes
from evalsets.http.posthog import openapi as doc
from evalsets.http.posthog import serializers as out
from evalsets.http.posthog.context import Ctx, context
from evalsets.http.posthog.datasets import ALL
from evalsets.http.posthog.errors import PostHogError, invalid, not_found, required
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


def _revision_number(ctx: Ctx) -> int | None:
    """``?revision=n`` (None: the newest)."""
    raw = ctx.request.query_params.get("revision")
    if raw is None or raw == "":
        return None
    try:
        return positive(int(raw), "revision")
    except ValueError:
        raise invalid("revision", "A valid integer is required.") from None


def _missing_revision(number: int | None) -> PostHogError:
    return invalid("revision", f"Dataset revision {number} does not exist.")


def _listed(ctx: Ctx, dataset_id: str, listing: Listing) -> list[Any]:
    """The listed items as they are at the listing's version."""
    seq = listing.version.seq if listing.version else 0
    results = []
    for point in listing.points:
        history = listing.histories[point.id]
        entry = out.at_or_before(history, seq)
        if entry is not None:
            entry = entry._replace(content=point.content)
            results.append(out.item(dataset_id, entry, history[0], ctx.project_id))
    return results


def _dataset_page(
    ctx: Ctx, dataset_id: str, archived: bool, limit: int, offset: int
) -> tuple[list[Any], int]:
    number = _revision_number(ctx)
    try:
        listing = ctx.items.listing(
            ctx.project_id,
            dataset_id,
            number=number,
            removed=archived,
            offset=offset,
            limit=limit,
        )
    except NotFound as exc:
        if exc.kind == "version":
            raise _missing_revision(number) from None
        raise invalid(
            "dataset", "Select a valid choice. That choice is not one of the available choices."
        ) from None
    return _listed(ctx, dataset_id, listing), listing.total


def _project_page(ctx: Ctx, limit: int, offset: int) -> tuple[list[Any], int]:
    """Live items of every dataset of the project, newest dataset first."""
    found, _ = ctx.engine.datasets.page(ctx.project_id, limit=ALL)
    heads = ctx.items.newest_versions(ctx.project_id, [d.id for d in found])
    results: list[Any] = []
    total, skip = 0, offset
    for ds in found:
        size = heads[ds.id].datapoint_count if ds.id in heads else 0
        total += size
        if len(results) >= limit or skip >= size:
            skip = max(skip - size, 0)
            continue
        listing = ctx.items.listing(
            ctx.project_id,
            ds.id,
            number=heads[ds.id].number,
            removed=False,
            offset=skip,
            limit=limit - len(results),
        )
        results.extend(_listed(ctx, ds.id, listing))
        skip = 0
    return results, total


@router.get("/dataset_items/", openapi_extra=doc.LIST_ITEMS)
def list_items(project_ref: str, request: Request) -> Response:
    """Items of a ``dataset`` (at a ``revision``, ``archived`` or not), or of the project."""
    ctx = context(request, project_ref, Scope.READ)
    limit, offset = limit_offset(request)
    archived = bool(query_bool(request, "archived"))
    raw = request.query_params.get("dataset")
    if raw:
        dataset_id = dataset_ref(raw)
        results, total = _dataset_page(ctx, dataset_id, archived, limit, offset)
    elif archived:
        results, total = [], 0
    else:
        results, total = _project_page(ctx, limit, offset)
    return out.respond(out.page(request, results, total, limit, offset))


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


@router.post("/dataset_items/", status_code=201, openapi_extra=doc.CREATE_ITEM)
def create_item(project_ref: str, request: Request, body: JsonBody = None) -> Response:
    """A new item: one new revision. A known ``client_item_id`` returns the existing item."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    data = body_object(body)
    dataset_id = _existing_dataset(ctx, data.get("dataset"))
    fields = item_fields(data)
    deleted = boolean(data["deleted"], "deleted") if "deleted" in data else False
    item_id, created = writes.create(ctx, dataset_id, fields, deleted=deleted)
    return out.respond(_latest(ctx, dataset_id, item_id), 201 if created else 200)


@router.get("/dataset_items/{item_ref}/", openapi_extra=doc.GET_ITEM)
def get_item(project_ref: str, item_ref: str, request: Request) -> Response:
    """An item as it is now (404 if deleted), or at ``?revision=n``."""
    ctx = context(request, project_ref, Scope.READ)
    dataset_id, item_id = _locate(ctx, item_ref)
    history = writes.history(ctx, dataset_id, item_id)
    number = _revision_number(ctx)
    seq = None
    if number is not None:
        try:
            seq = ctx.items.version_by_number(ctx.project_id, dataset_id, number).seq
        except NotFound:
            raise _missing_revision(number) from None
    entry = out.at_or_before(history, seq)
    if entry is None or (entry.removed and number is None):
        raise not_found()
    return out.respond(out.item(dataset_id, entry, history[0], ctx.project_id))


def _update(
    request: Request, project_ref: str, item_ref: str, body: Any, *, partial: bool
) -> Response:
    ctx = context(request, project_ref, Scope.WRITE, body)
    data = body_object(body)
    if not partial and "dataset" not in data:
        raise required("dataset")
    dataset_id, item_id = _locate(ctx, item_ref)
    if "dataset" in data and dataset_ref(data["dataset"]) != dataset_id:
        raise invalid("dataset", "An item cannot move to another dataset.")
    base = positive(data["base_version"], "base_version") if "base_version" in data else None
    fields = item_fields(data)
    if base is not None and "input" in fields and fields["input"] is None:
        raise invalid("input", "This field may not be null.", "null")
    deleted = boolean(data["deleted"], "deleted") if "deleted" in data else None
    writes.update(ctx, dataset_id, item_id, fields, base_version=base, deleted=deleted)
    return out.respond(_latest(ctx, dataset_id, item_id))


@router.patch("/dataset_items/{item_ref}/", openapi_extra=doc.UPDATE_ITEM)
def patch_item(
    project_ref: str, item_ref: str, request: Request, body: JsonBody = None
) -> Response:
    """Change fields (with ``base_version``: only if the item is still at that version)."""
    return _update(request, project_ref, item_ref, body, partial=True)


@router.put("/dataset_items/{item_ref}/", openapi_extra=doc.UPDATE_ITEM)
def put_item(project_ref: str, item_ref: str, request: Request, body: JsonBody = None) -> Response:
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
) -> Response:
    """Take the item out of the dataset: a new item version and revision."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    base = _base_version(body_object(body))
    dataset_id, item_id = _locate(ctx, item_ref)
    writes.archive(ctx, dataset_id, item_id, base)
    return out.respond(_latest(ctx, dataset_id, item_id))


@router.post("/dataset_items/{item_ref}/restore/")
def restore_item(
    project_ref: str, item_ref: str, request: Request, body: JsonBody = None
) -> Response:
    """Put an archived item back (optionally with the content of ``source_version``)."""
    ctx = context(request, project_ref, Scope.WRITE, body)
    data = body_object(body)
    base = _base_version(data)
    raw_source = data.get("source_version")
    source = None if raw_source is None else positive(raw_source, "source_version")
    dataset_id, item_id = _locate(ctx, item_ref)
    writes.restore(ctx, dataset_id, item_id, base, source)
    return out.respond(_latest(ctx, dataset_id, item_id))


@router.get("/dataset_items/{item_ref}/versions/", openapi_extra=doc.LIST_ITEM_VERSIONS)
def list_item_versions(project_ref: str, item_ref: str, request: Request) -> Response:
    """Every version of the item, newest first."""
    ctx = context(request, project_ref, Scope.READ)
    limit, offset = limit_offset(request)
    dataset_id, item_id = _locate(ctx, item_ref)
    history: list[ItemVersion] = writes.history(ctx, dataset_id, item_id)
    newest_first = list(reversed(history))[offset : offset + limit]
    results = [out.item(dataset_id, e, history[0], ctx.project_id) for e in newest_first]
    return out.respond(out.page(request, results, len(history), limit, offset))
