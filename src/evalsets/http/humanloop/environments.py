"""``/v5/datasets/{id}/environments``: deploy a version, remove a deployment, list them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from evalsets.http.auth import engine_of
from evalsets.http.humanloop.deps import Reader, Writer, views_of
from evalsets.http.humanloop.views import dataset_fields, environment_response

router = APIRouter(tags=["humanloop"])


@router.post("/datasets/{dataset_id}/environments/{environment_id}")
def set_deployment(
    dataset_id: str,
    environment_id: str,
    version_id: str,
    request: Request,
    principal: Writer,
) -> dict[str, Any]:
    """Deploy a version to an environment (its ``env_`` id, or its name)."""
    views = views_of(request, principal)
    views.engine.datasets.deploy(principal.project_id, dataset_id, environment_id, version_id)
    ds, version = views.version_of(dataset_id, version_id)
    return views.dataset(ds, version)


@router.delete("/datasets/{dataset_id}/environments/{environment_id}", status_code=204)
def remove_deployment(
    dataset_id: str, environment_id: str, request: Request, principal: Writer
) -> Response:
    """Remove the dataset's deployment from an environment (404 if there is none)."""
    engine_of(request).datasets.undeploy(principal.project_id, dataset_id, environment_id)
    return Response(status_code=204)


@router.get("/datasets/{dataset_id}/environments")
def list_environments(dataset_id: str, request: Request, principal: Reader) -> list[dict[str, Any]]:
    """Every environment of the project, with the version of the dataset deployed there."""
    engine = engine_of(request)
    ds = engine.datasets.get(principal.project_id, dataset_id)
    deployments = engine.datasets.deployments(principal.project_id, dataset_id)
    deployed = {d.environment.id: d.version_id for d in deployments}
    result = []
    for env in engine.admin.list_environments(principal.project_id):
        entry = environment_response(env)
        version_id = deployed.get(env.id)
        entry["file"] = (
            dataset_fields(
                ds,
                engine.datasets.version(principal.project_id, dataset_id, version_id),
                deployments,
            )
            if version_id
            else None
        )
        result.append(entry)
    return result
