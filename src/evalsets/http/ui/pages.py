"""The UI's pages (GET): datasets, a dataset and its versions, a datapoint, a diff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from evalsets.core.errors import InvalidInput
from evalsets.http.auth import engine_of
from evalsets.http.ui import data
from evalsets.http.ui.render import page, pretty
from evalsets.http.ui.session import Viewer, viewer

router = APIRouter()
Signed = Annotated[Viewer, Depends(viewer)]


def _columns(cols: list[str] | None) -> list[str]:
    if not cols:
        return list(data.DEFAULT_COLUMNS)
    unknown = [c for c in cols if c not in data.COLUMNS]
    if unknown:
        raise InvalidInput(f"unknown column {unknown[0]!r}", field="cols")
    return [c for c in data.COLUMNS if c in cols]


@router.get("/")
def datasets_list(
    request: Request,
    who: Signed,
    search: str = "",
    tag: str = "",
    sort: str = "updated_at",
    order: str = "desc",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Every dataset of the signed-in project: search, tag filter, sort, counts, deployments."""
    found = data.datasets_page(
        engine_of(request),
        who.project_id,
        search=search,
        tag=tag,
        sort_by=sort,
        order=order,
        offset=offset,
    )
    return page(request, "datasets.html", found, title="Datasets")


@router.get("/datasets/{dataset_id}")
def dataset(
    dataset_id: str,
    request: Request,
    who: Signed,
    version: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: int = data.DEFAULT_PAGE,
    row: Annotated[int | None, Query(ge=1)] = None,
    search: str = "",
    cols: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """A dataset: versions timeline and a page of any version's datapoints (any depth)."""
    if row is not None:
        offset = (row - 1) // max(limit, 1) * max(limit, 1)
    found = data.dataset_page(
        engine_of(request),
        who.project_id,
        dataset_id,
        version_id=version,
        offset=offset,
        limit=limit,
        search=search,
    )
    return page(
        request,
        "dataset.html",
        found,
        title=found["dataset"]["path"],
        columns=_columns(cols),
        all_columns=data.COLUMNS,
        page_sizes=data.PAGE_SIZES,
    )


@router.get("/datasets/{dataset_id}/datapoints/new")
def new_datapoint(dataset_id: str, request: Request, who: Signed) -> Response:
    """The form to add a datapoint to the draft."""
    found = data.dataset_page(engine_of(request), who.project_id, dataset_id, limit=25)
    found["page"] = None
    text = '{\n  "inputs": {},\n  "expected": null,\n  "metadata": {}\n}'
    return page(
        request, "edit.html", found, title="Add a datapoint", text=text, error=None, editing=False
    )


@router.get("/datasets/{dataset_id}/datapoints/{datapoint_id}")
def datapoint(
    dataset_id: str, datapoint_id: str, request: Request, who: Signed, version: str | None = None
) -> Response:
    """One datapoint as in a version, and its history."""
    found = data.datapoint_page(
        engine_of(request), who.project_id, dataset_id, datapoint_id, version_id=version
    )
    return page(request, "datapoint.html", found, title=f"Datapoint {datapoint_id}")


@router.get("/datasets/{dataset_id}/datapoints/{datapoint_id}/edit")
def edit_datapoint(dataset_id: str, datapoint_id: str, request: Request, who: Signed) -> Response:
    """The form to change a datapoint (of the newest version) in the draft."""
    found = data.datapoint_page(engine_of(request), who.project_id, dataset_id, datapoint_id)
    if not found["editable"] or found["datapoint"] is None:
        raise InvalidInput("this datapoint is not in the newest version, so it cannot be edited")
    content = {k: v for k, v in found["datapoint"].items() if k != "id"}
    return page(
        request,
        "edit.html",
        found,
        title="Edit datapoint",
        text=pretty(content),
        error=None,
        editing=True,
    )


@router.get("/datasets/{dataset_id}/diff")
def diff(
    dataset_id: str,
    request: Request,
    who: Signed,
    base: str | None = None,
    target: str | None = None,
) -> Response:
    """Two versions compared: added, removed and changed datapoints, changed fields marked."""
    found = data.diff_page(
        engine_of(request), who.project_id, dataset_id, base=base or None, target=target or None
    )
    return page(request, "diff.html", found, title="Compare versions")


@router.get("/import")
def import_form(request: Request, who: Signed, dataset: str | None = None) -> Response:
    """Upload a JSON Lines, CSV or Parquet file into a new or existing dataset."""
    engine = engine_of(request)
    path = ""
    if dataset:
        path = engine.datasets.get(who.project_id, dataset).path
    return page(request, "import.html", {"path": path}, title="Import a file")
