"""``/v5/datasets/{id}/versions``: list, commit (old model), rename, delete."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response

from evalsets.core.datasets import UNSET
from evalsets.core.model import Version, VersionStatus
from evalsets.http.auth import engine_of
from evalsets.http.humanloop.deps import Reader, Writer, views_of
from evalsets.http.humanloop.schemas import VersionCommitRequest, VersionUpdateRequest

router = APIRouter(tags=["humanloop"])


@router.get("/datasets/{dataset_id}/versions")
def list_versions(
    dataset_id: str,
    request: Request,
    principal: Reader,
    status: Literal["uncommitted", "committed"] | None = None,
    include_datapoints: Literal["latest_committed", "latest_saved"] | None = None,
) -> dict[str, Any]:
    """Versions newest first, not paginated; optionally with the datapoints of one of them.

    ``latest_saved`` includes the datapoints of the newest version, ``latest_committed``
    those of the newest committed version.
    """
    views = views_of(request, principal)
    engine = views.engine
    ds = engine.datasets.get(principal.project_id, dataset_id)
    versions = engine.datasets.versions(principal.project_id, dataset_id)
    deployments = engine.datasets.deployments(principal.project_id, dataset_id)
    chosen = _with_datapoints(versions, include_datapoints)
    records = [
        views.dataset(ds, v, deployments=deployments, include_datapoints=v.id == chosen)
        for v in versions
        if status is None or v.status.value == status
    ]
    return {"records": records}


def _with_datapoints(versions: list[Version], include: str | None) -> str | None:
    """The id of the version whose datapoints the list includes, if any."""
    if include == "latest_saved":
        return versions[0].id if versions else None
    if include == "latest_committed":
        committed = [v for v in versions if v.status is VersionStatus.COMMITTED]
        return committed[0].id if committed else None
    return None


@router.post("/datasets/{dataset_id}/versions/{version_id}/commit")
def commit_version(
    dataset_id: str,
    version_id: str,
    body: VersionCommitRequest,
    request: Request,
    principal: Writer,
) -> dict[str, Any]:
    """Commit an uncommitted version (409 if it is committed already)."""
    views = views_of(request, principal)
    version = views.engine.datasets.commit(
        principal.project_id, dataset_id, version_id, message=body.commit_message
    )
    ds = views.engine.datasets.get(principal.project_id, dataset_id)
    return views.dataset(ds, version)


@router.patch("/datasets/{dataset_id}/versions/{version_id}")
def update_version(
    dataset_id: str,
    version_id: str,
    body: VersionUpdateRequest,
    request: Request,
    principal: Writer,
) -> dict[str, Any]:
    """Rename a version or change its description (names are unique per dataset: 409)."""
    views = views_of(request, principal)
    given = body.model_dump(exclude_unset=True)
    version = views.engine.datasets.update_version(
        principal.project_id,
        dataset_id,
        version_id,
        name=given.get("name", UNSET),
        description=given.get("description", UNSET),
    )
    ds = views.engine.datasets.get(principal.project_id, dataset_id)
    return views.dataset(ds, version)


@router.delete("/datasets/{dataset_id}/versions/{version_id}", status_code=204)
def delete_version(
    dataset_id: str, version_id: str, request: Request, principal: Writer
) -> Response:
    engine_of(request).datasets.delete_version(principal.project_id, dataset_id, version_id)
    return Response(status_code=204)
