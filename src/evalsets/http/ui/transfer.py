"""Import a file into a new or existing dataset, and export links, for signed-in browsers.

The upload is a plain multipart form (the page's script sends it with upload progress); the
records stream from a spooled copy into ``engine.data.import_records`` like the native import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Annotated, Any, Literal
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response, StreamingResponse

from evalsets.core.content import Record
from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput
from evalsets.core.versioning import VersionMeta
from evalsets.formats import csvfile, ndjson, parquetfile
from evalsets.http.auth import engine_of
from evalsets.http.responses import OrjsonResponse
from evalsets.http.streaming import batched_bytes, copy_upload
from evalsets.http.ui.session import Viewer, check_csrf, viewer, writer

router = APIRouter()
Format = Literal["ndjson", "csv", "parquet"]
MEDIA_TYPES = {
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
EXTENSIONS = {"ndjson": "jsonl", "csv": "csv", "parquet": "parquet"}


def format_of(filename: str | None) -> Format:
    """The file's format from its name (JSON Lines unless .csv or .parquet)."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return "ndjson"


def read_records(chosen: Format, spool: IO[bytes]) -> Iterator[object]:
    """The records of a spooled file, streamed; closes it at the end."""
    try:
        if chosen == "csv":
            yield from csvfile.read_records(spool)
        elif chosen == "parquet":
            yield from parquetfile.read_records(spool)
        else:
            yield from ndjson.parse_lines(iter(lambda: spool.read(65536), b""))
    finally:
        spool.close()


def import_into_path(
    engine: Engine,
    who: Viewer,
    path: str,
    records: Iterator[object],
    *,
    message: str | None,
    replace: bool,
) -> str:
    """Import into the dataset at ``path`` (created if new, and removed again on failure)."""
    found = engine.datasets.find_by_path(who.project_id, path)
    created = found is None
    ds = found or engine.datasets.create(who.project_id, path, author=who.principal.author)
    meta = VersionMeta(commit=True, message=message or "Import", author=who.principal.author)
    try:
        engine.data.import_records(who.project_id, ds.id, records, replace=replace, meta=meta)
    except Exception:
        if created:
            engine.datasets.delete(who.project_id, ds.id)
        raise
    return ds.id


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/import")
async def import_file(request: Request, who: Annotated[Viewer, Depends(writer)]) -> Response:
    """Create (or add a version to) a dataset from an uploaded file, all or nothing."""
    form = await request.form()
    try:
        check_csrf(who.session, form.get("csrf"))
        upload = form.get("file")
        path = _field(form, "path")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("choose a file to import", field="file")
        if not path:
            raise InvalidInput("the dataset path is required", field="path")
        chosen = format_of(upload.filename)
        spool = copy_upload(upload.file)
        message = _field(form, "message") or f"Import {upload.filename}"
        replace = _field(form, "mode") == "replace"
    finally:
        await form.close()
    engine = engine_of(request)
    dataset_id = await anyio.to_thread.run_sync(
        lambda: import_into_path(
            engine, who, path, read_records(chosen, spool), message=message, replace=replace
        )
    )
    target = f"/ui/datasets/{quote(dataset_id)}?done=imported"
    if request.headers.get("x-requested-with") == "fetch":
        return OrjsonResponse({"redirect": target, "dataset_id": dataset_id}, status_code=201)
    return RedirectResponse(target, status_code=303)


@router.get("/datasets/{dataset_id}/export")
def export_file(
    dataset_id: str,
    request: Request,
    who: Annotated[Viewer, Depends(viewer)],
    format: Format = "ndjson",
    version: str | None = None,
) -> StreamingResponse:
    """Download a version (the newest by default) as JSON Lines, CSV or Parquet."""
    engine = engine_of(request)
    ds = engine.datasets.get(who.project_id, dataset_id)
    datapoints = engine.data.export(who.project_id, dataset_id, version_id=version or None)
    first = next(datapoints, None)

    def records() -> Iterator[Record]:
        if first is not None:
            yield first.record()
            for d in datapoints:
                yield d.record()

    if format == "csv":
        body = csvfile.write_records(records())
    elif format == "parquet":
        body = parquetfile.write_records(records())
    else:
        body = (ndjson.dump_line(r) for r in records())
    filename = f"{ds.name}.{EXTENSIONS[format]}"
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(batched_bytes(body), media_type=MEDIA_TYPES[format], headers=headers)
