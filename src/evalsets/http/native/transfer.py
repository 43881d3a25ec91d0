"""``/api/v1/datasets/{id}/import`` and ``/export``: streaming JSON Lines, CSV and Parquet."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import IO, Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import UploadFile
from starlette.responses import StreamingResponse

from evalsets.core.content import Record
from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput
from evalsets.core.model import WriteResult
from evalsets.core.versioning import VersionMeta
from evalsets.formats import csvfile, ndjson, parquetfile
from evalsets.http.auth import Principal, engine_of, read_access, write_access
from evalsets.http.native import serializers as out
from evalsets.http.native.params import AtParams
from evalsets.http.streaming import batched_bytes, copy_upload, spool_body, with_body_stream

router = APIRouter(tags=["import/export"])
Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]
Format = Literal["ndjson", "csv", "parquet"]

MEDIA_TYPES = {
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


def _format_of(request: Request, given: Format | None, filename: str | None = None) -> Format:
    if given:
        return given
    name = (filename or "").lower()
    ctype = request.headers.get("content-type", "").lower()
    if name.endswith(".csv") or "csv" in ctype:
        return "csv"
    if name.endswith(".parquet") or "parquet" in ctype:
        return "parquet"
    return "ndjson"


@router.post("/datasets/{dataset_id}/import", status_code=201)
async def import_file(
    dataset_id: str,
    request: Request,
    principal: Writer,
    format: Format | None = None,
    mode: Literal["append", "replace"] = "append",
    draft: bool = False,
    commit: bool = False,
    message: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Import records into one new version (or the draft), streamed; all or nothing.

    The body is JSON Lines, CSV or Parquet (raw, or a multipart ``file`` field).
    """
    engine = engine_of(request)
    meta = VersionMeta(
        commit=commit or message is not None, message=message, name=name, author=principal.author
    )

    def run(records: Iterator[object]) -> WriteResult:
        return engine.data.import_records(
            principal.project_id,
            dataset_id,
            records,
            replace=mode == "replace",
            into_draft=draft,
            meta=meta,
        )

    engine.datasets.get(principal.project_id, dataset_id)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        result = await _import_multipart(request, format, run)
    else:
        chosen = _format_of(request, format)
        if chosen == "ndjson":
            result = await with_body_stream(request, lambda chunks: run(ndjson.parse_lines(chunks)))
        else:
            spool = await spool_body(request)
            result = await anyio.to_thread.run_sync(lambda: run(_read(chosen, spool)))
    return {**out.version(result.version), "created": result.created}


async def _import_multipart(request: Request, format: Format | None, run: Any) -> WriteResult:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput("multipart upload needs a 'file' field", field="file")
    chosen = _format_of(request, format, upload.filename)
    spool = copy_upload(upload.file)
    await form.close()
    result: WriteResult = await anyio.to_thread.run_sync(lambda: run(_read(chosen, spool)))
    return result


def _read(chosen: Format, spool: IO[bytes]) -> Iterator[object]:
    try:
        if chosen == "csv":
            yield from csvfile.read_records(spool)
        elif chosen == "parquet":
            yield from parquetfile.read_records(spool)
        else:
            yield from ndjson.parse_lines(iter(lambda: spool.read(65536), b""))
    finally:
        spool.close()


@router.get("/datasets/{dataset_id}/export")
def export_file(
    dataset_id: str,
    request: Request,
    principal: Reader,
    at: AtParams,
    format: Format = "ndjson",
    deployed: Annotated[bool, Query(description="default to the deployed version")] = False,
) -> StreamingResponse:
    """Every datapoint of a version (newest by default), streamed."""
    engine = engine_of(request)
    ds = engine.datasets.get(principal.project_id, dataset_id)
    filename = f"{ds.name}.{'jsonl' if format == 'ndjson' else format}"
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if format == "ndjson":
        lines = engine.data.export_lines(
            principal.project_id, dataset_id, prefer_deployed=deployed, **at.kwargs()
        )
        # The first line resolves the version: an unknown one is a 404 before the body starts.
        head = next(lines, None)
        body = lines if head is None else itertools.chain((head,), lines)
        return StreamingResponse(
            batched_bytes(body), media_type=MEDIA_TYPES[format], headers=headers
        )
    records = _records(engine, principal.project_id, dataset_id, at, deployed)
    first = next(records, None)
    body = _encode(format, first, records)
    return StreamingResponse(batched_bytes(body), media_type=MEDIA_TYPES[format], headers=headers)


def _records(
    engine: Engine, project_id: int, dataset_id: str, at: Any, deployed: bool
) -> Iterator[Record]:
    for datapoint in engine.data.export(
        project_id, dataset_id, prefer_deployed=deployed, **at.kwargs()
    ):
        yield datapoint.record()


def _encode(format: Format, first: Record | None, rest: Iterator[Record]) -> Iterator[bytes]:
    def everything() -> Iterator[Record]:
        if first is not None:
            yield first
            yield from rest

    if format == "csv":
        return csvfile.write_records(everything())
    if format == "parquet":
        return parquetfile.write_records(everything())
    return (ndjson.dump_line(r) for r in everything())
