"""``/dataSetApi/dataSets`` and ``/dataSetApi/dataSet[/{dataSetId}]``: whole datasets."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from starlette.responses import Response

from evalsets.core import content as content_mod
from evalsets.core.changes import Add, Change, Remove, Update
from evalsets.core.current import Current
from evalsets.core.datasets import DatasetFields
from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput, NameTaken, NotFound
from evalsets.core.validation import clean_path
from evalsets.http.auth import Principal, engine_of
from evalsets.http.bulk import gc_paused
from evalsets.http.geai import mapping
from evalsets.http.geai import serializers as out
from evalsets.http.geai.common import (
    JsonBody,
    Reader,
    Writer,
    all_datasets,
    dataset_view,
    meta,
    parse_upload,
    reply,
    upload_bytes,
)
from evalsets.http.geai.schemas import DatasetIn, DatasetPatch, parse

router = APIRouter(tags=["globant datasets"])


@router.get("/dataSets")
def list_datasets(request: Request, principal: Reader) -> Response:
    """Every dataset of the caller's project, each with its rows (no paging, as documented)."""
    return reply(all_datasets(engine_of(request), principal.project_id))


@router.post("/dataSet")
@router.post("/dataSets", include_in_schema=False)
def create_dataset(body: JsonBody, request: Request, principal: Writer) -> Response:
    """A new dataset (200, with its generated ``dataSetId``); 409 if the name is taken."""
    spec = parse(DatasetIn, body, "dataset")
    with gc_paused():
        return reply(create_from(engine_of(request), principal, spec, require=False))


@router.post("/dataSet/FileUpload")
async def upload_dataset(request: Request, principal: Writer) -> Response:
    """A whole dataset from one JSON file (multipart or raw body), synchronously: 200."""
    raw = await upload_bytes(request)
    engine = engine_of(request)

    def work() -> Response:
        with gc_paused():
            spec = parse(DatasetIn, parse_upload(raw), "dataset file")
            return reply(create_from(engine, principal, spec, require=True))

    result: Response = await anyio.to_thread.run_sync(work)
    return result


@router.get("/dataSet/{dataSetId}")
def get_dataset(dataSetId: str, request: Request, principal: Reader) -> Response:
    dataset_id = mapping.dataset_id(dataSetId)
    return reply(dataset_view(engine_of(request), principal.project_id, dataset_id))


@router.put("/dataSet/{dataSetId}")
def update_dataset(dataSetId: str, body: JsonBody, request: Request, principal: Writer) -> Response:
    """Change name, description, type, active flag; a ``rows`` list is the new set of rows.

    The rows are written first (an unknown row id writes nothing), then the other fields.
    """
    engine, project_id = engine_of(request), principal.project_id
    dataset_id = mapping.dataset_id(dataSetId)
    spec = parse(DatasetPatch, body, "dataset")
    ds = engine.datasets.get(project_id, dataset_id)
    given = spec.model_fields_set
    updates: dict[str, Any] = {}
    if spec.name is not None:
        path = clean_path(spec.name)
        if path != ds.path:
            _check_free(engine, project_id, path)
            updates["path"] = path
    for key in ("description", "type"):
        if key in given:
            updates[key] = getattr(spec, key)
    if spec.active is not None:
        updates["active"] = spec.active
    if spec.rows is not None:
        rows = mapping.read_rows(spec.rows, "rows")
        if rows or engine.datasets.newest(project_id, dataset_id) is not None:
            engine.data.planned(
                project_id,
                dataset_id,
                lambda current: _row_changes(current, rows),
                meta=meta(principal),
            )
    if updates:
        engine.datasets.update(project_id, dataset_id, **updates)
    return reply(dataset_view(engine, project_id, dataset_id))


@router.delete("/dataSet/{dataSetId}")
def delete_dataset(dataSetId: str, request: Request, principal: Writer) -> dict[str, str]:
    engine_of(request).datasets.delete(principal.project_id, mapping.dataset_id(dataSetId))
    return out.message("Dataset deleted successfully")


def create_from(
    engine: Engine, principal: Principal, spec: DatasetIn, *, require: bool
) -> dict[str, Any]:
    """Create a dataset and its rows; everything is checked before anything is written.

    The rows go in as one change set (into the new dataset's draft) rather than a streamed
    import: the reply lists every row with its id, and the change set returns the ids, so
    the rows need not be read back (a fifth faster for a 100,000-row file).
    """
    project_id = principal.project_id
    contents = mapping.contents_of(spec.rows or [], "rows", require=require)
    path = clean_path(spec.name)
    _check_free(engine, project_id, path)
    fields = DatasetFields(
        description=spec.description,
        type=spec.type,
        active=True if spec.active is None else spec.active,
    )
    ds = engine.datasets.create(project_id, path, fields, principal.author)
    if not contents:
        return out.dataset(ds, (), None)
    # contents_of builds normalised contents (canonical types, no nulls, no ids)
    changes = [Add(c, content_mod.content_hash(c)) for c in contents]
    try:
        result = engine.data.write(project_id, ds.id, changes, meta=meta(principal))
    except BaseException:
        engine.datasets.delete(project_id, ds.id)
        raise
    rows = (out.row_of(i, c) for i, c in zip(result.datapoint_ids, contents, strict=True))
    return out.dataset(engine.datasets.get(project_id, ds.id), rows, result.version)


def _check_free(engine: Engine, project_id: int, path: str) -> None:
    if engine.datasets.find_by_path(project_id, path) is not None:
        raise NameTaken(f"a dataset named {path!r} already exists")


def _row_changes(now: Current, rows: list[dict[str, Any]]) -> list[Change]:
    """The merge rule of ``PUT`` with ``rows``: the list is the dataset's new set of rows.

    A row with a ``dataSetRowId`` replaces that row's Globant fields (other canonical fields
    such as ``metadata`` stay, as they are in the write transaction); a row without one is
    added; rows left out are deleted.
    """
    live = now.ids()
    current = now.get([mapping.row_id(r["id"]) for r in rows if r.get("id")])
    changes: list[Change] = []
    kept: set[str] = set()
    for index, row in enumerate(rows):
        what = f"rows[{index}]"
        given = row.get("id")
        if not given:
            content = content_mod.normalize(mapping.row_content(row, what))
            changes.append(Add(content, content_mod.content_hash(content)))
            continue
        ident = mapping.row_id(given)
        found = current.get(ident)
        if found is None:
            raise NotFound("dataSetRow", given)
        if ident in kept:
            raise InvalidInput(f"row {given} appears twice in rows")
        kept.add(ident)
        patch = mapping.row_patch(row, found.content, what, replace=True)
        content = content_mod.normalize(content_mod.merge(found.content, patch))
        changes.append(Update(ident, content, content_mod.content_hash(content)))
    changes.extend(Remove(ident) for ident in live if ident not in kept)
    return changes
