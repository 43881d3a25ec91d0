"""``/v5/datasets/{id}/datapoints``: list a version's datapoints, upload a CSV."""

from __future__ import annotations

from typing import IO, Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from starlette.datastructures import FormData, UploadFile

from evalsets.core.errors import InvalidInput
from evalsets.core.versioning import VersionMeta
from evalsets.http.bulk import gc_paused
from evalsets.http.humanloop import csvupload
from evalsets.http.humanloop.deps import Reader, Writer, views_of
from evalsets.http.humanloop.mapping import datapoint_response
from evalsets.http.humanloop.views import MAX_PAGE, paginated

router = APIRouter(tags=["humanloop"])


@router.get("/datasets/{dataset_id}/datapoints")
def list_datapoints(
    dataset_id: str,
    request: Request,
    principal: Reader,
    version_id: str | None = None,
    environment: str | None = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=10_000)] = 50,
) -> dict[str, Any]:
    """A page of the datapoints of a version (by default the deployed one, else the newest)."""
    views = views_of(request, principal)
    _, version = views.version_of(dataset_id, version_id, environment)
    if version is None:
        return paginated([], page, size, 0)
    found = views.engine.data.page(
        principal.project_id,
        dataset_id,
        version_id=version.id,
        limit=size,
        offset=(page - 1) * size,
    )
    return paginated([datapoint_response(d) for d in found.items], page, size, found.total)


@router.post("/datasets/{dataset_id}/datapoints/csv")
async def upload_csv(
    dataset_id: str,
    request: Request,
    principal: Writer,
    version_id: str | None = None,
    environment: str | None = None,
) -> dict[str, Any]:
    """A new version: the base version (given, environment's, else deployed) plus the CSV rows.

    Form fields: ``file``; the old model's ``commit_message`` (commits the version) or the new
    model's ``version_name`` and ``version_description``.
    """
    views = views_of(request, principal)
    await anyio.to_thread.run_sync(views.engine.datasets.get, principal.project_id, dataset_id)
    form = await csvupload.read_form(request)
    message = _field(form, "commit_message")
    meta = VersionMeta(
        commit=message is not None,
        message=message,
        name=_field(form, "version_name"),
        description=_field(form, "version_description"),
        author=principal.author,
    )

    def run(stream: IO[bytes]) -> dict[str, Any]:
        with gc_paused():
            ds, result = views.engine.data.upsert(
                principal.project_id,
                records=csvupload.read_records(stream),
                dataset_id=dataset_id,
                action="add",
                version_id=version_id,
                environment=environment,
                meta=meta,
            )
            return views.dataset(ds, result.version)

    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("the upload needs a 'file' field", "file")
        body: dict[str, Any] = await anyio.to_thread.run_sync(run, upload.file)
    finally:
        await form.close()
    return body


def _field(form: FormData, name: str) -> str | None:
    """A text field of the form; empty counts as absent."""
    value = form.get(name)
    return value if isinstance(value, str) and value else None
