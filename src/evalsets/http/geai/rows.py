"""``/dataSetApi/dataSet/{dataSetId}/dataSetRow[s]``: rows, written to the dataset's draft."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from starlette.responses import Response

from evalsets.core import content as content_mod
from evalsets.http.auth import engine_of
from evalsets.http.bulk import gc_paused
from evalsets.http.geai import mapping
from evalsets.http.geai import serializers as out
from evalsets.http.geai.common import (
    JsonBody,
    Reader,
    Writer,
    meta,
    parse_upload,
    reply,
    upload_bytes,
)

router = APIRouter(tags=["globant rows"])
ROWS = "/dataSet/{dataSetId}/dataSetRow"
ROW = "/dataSet/{dataSetId}/dataSetRow/{dataSetRowId}"


@router.post(ROWS)
def create_row(
    dataSetId: str, body: JsonBody, request: Request, principal: Writer
) -> dict[str, Any]:
    """Add a row to the dataset's draft; the reply carries its generated ``dataSetRowId``."""
    dataset_id = mapping.dataset_id(dataSetId)
    content = content_mod.normalize(mapping.row_content(mapping.read_row(body, "row")))
    result = engine_of(request).data.add(
        principal.project_id, dataset_id, [content], meta=meta(principal)
    )
    return out.row_of(result.datapoint_ids[0], content)


@router.get("/dataSet/{dataSetId}/dataSetRows")
def list_rows(dataSetId: str, request: Request, principal: Reader) -> Response:
    """Every row of the newest version."""
    engine, project_id = engine_of(request), principal.project_id
    dataset_id = mapping.dataset_id(dataSetId)
    newest = engine.datasets.newest(project_id, dataset_id)
    if newest is None:
        return reply([])
    with gc_paused():
        rows = engine.data.export(project_id, dataset_id, version_id=newest.id)
        return reply([out.row(dp) for dp in rows])


@router.post(f"{ROWS}/FileUpload")
async def upload_rows(dataSetId: str, request: Request, principal: Writer) -> dict[str, Any]:
    """Rows from a JSON array file (multipart or raw body), streamed into the draft at once."""
    engine, project_id = engine_of(request), principal.project_id
    dataset_id = mapping.dataset_id(dataSetId)
    await anyio.to_thread.run_sync(lambda: engine.datasets.get(project_id, dataset_id))
    raw = await upload_bytes(request)

    def work() -> int:
        with gc_paused():
            contents = mapping.contents_of(parse_upload(raw), "rows file", require=True)
            if contents:
                engine.data.import_records(
                    project_id, dataset_id, contents, into_draft=True, meta=meta(principal)
                )
            return len(contents)

    count: int = await anyio.to_thread.run_sync(work)
    return out.upload_summary(count)


@router.get(ROW)
def get_row(
    dataSetId: str, dataSetRowId: str, request: Request, principal: Reader
) -> dict[str, Any]:
    found = engine_of(request).data.get(
        principal.project_id, mapping.dataset_id(dataSetId), mapping.row_id(dataSetRowId)
    )
    return out.row(found)


@router.put(ROW)
def update_row(
    dataSetId: str, dataSetRowId: str, body: JsonBody, request: Request, principal: Writer
) -> dict[str, Any]:
    """Change the fields given; the others stay."""
    engine, project_id = engine_of(request), principal.project_id
    dataset_id, row_id = mapping.dataset_id(dataSetId), mapping.row_id(dataSetRowId)
    row = mapping.read_row(body, "row")
    current = engine.data.get(project_id, dataset_id, row_id)
    patch = mapping.row_patch(row, current.content)
    result = engine.data.update(
        project_id, dataset_id, [(row_id, patch)], merge=True, meta=meta(principal)
    )
    return out.row(engine.data.get(project_id, dataset_id, row_id, version_id=result.version.id))


@router.delete(ROW)
def delete_row(
    dataSetId: str, dataSetRowId: str, request: Request, principal: Writer
) -> dict[str, str]:
    engine_of(request).data.remove(
        principal.project_id,
        mapping.dataset_id(dataSetId),
        [mapping.row_id(dataSetRowId)],
        meta=meta(principal),
    )
    return out.message("Dataset row deleted successfully")
