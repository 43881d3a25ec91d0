"""What the Globant routers share: callers, bodies, uploads and the dataset view."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Body, Depends
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput
from evalsets.core.versioning import VersionMeta
from evalsets.http.auth import Principal, read_access, write_access
from evalsets.http.bulk import gc_paused
from evalsets.http.geai import serializers as out
from evalsets.http.responses import OrjsonResponse

Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]
JsonBody = Annotated[Any, Body()]
LIST_PAGE = 1000


def reply(body: Any) -> Response:
    """A JSON reply encoded by orjson directly (FastAPI's encoder is slow on 100k rows)."""
    return OrjsonResponse(body)


def meta(principal: Principal) -> VersionMeta:
    """Row writes go to the draft, attributed to the caller."""
    return VersionMeta(author=principal.author)


def dataset_view(engine: Engine, project_id: int, dataset_id: str) -> dict[str, Any]:
    """A dataset with every row of its newest version."""
    ds = engine.datasets.get(project_id, dataset_id)
    newest = engine.datasets.newest(project_id, dataset_id)
    if newest is None:
        return out.dataset(ds, (), None)
    with gc_paused():
        rows = engine.data.export(project_id, dataset_id, version_id=newest.id)
        return out.dataset(ds, (out.row(dp) for dp in rows), newest)


def all_datasets(engine: Engine, project_id: int) -> list[dict[str, Any]]:
    """Every dataset of the project, oldest first, each with its rows."""
    result: list[dict[str, Any]] = []
    offset = 0
    while True:
        page, total = engine.datasets.page(
            project_id, sort_by="created_at", descending=False, limit=LIST_PAGE, offset=offset
        )
        result.extend(dataset_view(engine, project_id, ds.id) for ds in page)
        offset += len(page)
        if not page or offset >= total:
            return result


async def upload_bytes(request: Request) -> bytes:
    """The file of an upload: a multipart file part, or the raw body (pygeai, notebooks)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await _multipart_file(request)
    return await request.body()


def parse_upload(raw: bytes) -> Any:
    """The JSON inside an uploaded file; InvalidInput (400) if it is empty or not JSON."""
    if not raw.strip():
        raise InvalidInput("the uploaded file is empty")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"the uploaded file is not valid JSON: {exc}") from None


async def _multipart_file(request: Request) -> bytes:
    form = await request.form()
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            upload = next((v for _, v in form.multi_items() if isinstance(v, UploadFile)), None)
        if upload is None:
            raise InvalidInput("the multipart upload has no file part", field="file")
        return await upload.read()
    finally:
        await form.close()
