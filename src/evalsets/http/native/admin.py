"""``/api/v1/projects``, keys and environments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from evalsets.core.admin import DEFAULT_PROJECT_ID
from evalsets.core.errors import NotFound
from evalsets.http.auth import Principal, admin_access, engine_of, read_access
from evalsets.http.native import serializers as out
from evalsets.http.native.schemas import EnvironmentCreate, KeyCreate, ProjectCreate

router = APIRouter(tags=["projects"])
Admin = Annotated[Principal, Depends(admin_access)]
Reader = Annotated[Principal, Depends(read_access)]


def _is_server_admin(principal: Principal) -> bool:
    """Admin keys of the default project manage every project."""
    return principal.project_id == DEFAULT_PROJECT_ID


#: A project id in the path (a BIGINT: larger numbers are a 422, not a database error).
ProjectId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _check_project(principal: Principal, project_id: int) -> None:
    if project_id != principal.project_id and not _is_server_admin(principal):
        raise NotFound("project", project_id)


@router.post("/projects", status_code=201)
def create_project(body: ProjectCreate, request: Request, principal: Admin) -> dict[str, Any]:
    """Create a project (server admins only: admin keys of the default project)."""
    if not _is_server_admin(principal):
        raise NotFound("project", "new")
    return out.project(engine_of(request).admin.create_project(body.name))


@router.get("/projects")
def list_projects(request: Request, principal: Admin) -> dict[str, Any]:
    """Projects the key can manage."""
    projects = engine_of(request).admin.list_projects()
    if not _is_server_admin(principal):
        projects = [p for p in projects if p.id == principal.project_id]
    return {"items": [out.project(p) for p in projects]}


@router.get("/projects/{project_id}")
def get_project(project_id: ProjectId, request: Request, principal: Admin) -> dict[str, Any]:
    _check_project(principal, project_id)
    return out.project(engine_of(request).admin.get_project(project_id))


@router.post("/projects/{project_id}/keys", status_code=201)
def create_key(
    project_id: ProjectId, body: KeyCreate, request: Request, principal: Admin
) -> dict[str, Any]:
    """Create a key; its secret is in ``key`` and is shown only in this response."""
    _check_project(principal, project_id)
    key, secret = engine_of(request).admin.create_key(project_id, body.name, body.scopes)
    return {**out.api_key(key), "key": secret}


@router.get("/projects/{project_id}/keys")
def list_keys(project_id: ProjectId, request: Request, principal: Admin) -> dict[str, Any]:
    _check_project(principal, project_id)
    return {"items": [out.api_key(k) for k in engine_of(request).admin.list_keys(project_id)]}


@router.delete("/projects/{project_id}/keys/{key_id}")
def revoke_key(
    project_id: ProjectId, key_id: str, request: Request, principal: Admin
) -> dict[str, Any]:
    """Revoke a key: it stops working at once."""
    _check_project(principal, project_id)
    return out.api_key(engine_of(request).admin.revoke_key(project_id, key_id))


@router.get("/environments")
def list_environments(request: Request, principal: Reader) -> dict[str, Any]:
    envs = engine_of(request).admin.list_environments(principal.project_id)
    return {"items": [out.environment(e) for e in envs]}


@router.post("/environments", status_code=201)
def create_environment(
    body: EnvironmentCreate, request: Request, principal: Admin
) -> dict[str, Any]:
    env = engine_of(request).admin.create_environment(
        principal.project_id, body.name, default=body.is_default
    )
    return out.environment(env)


@router.get("/me")
def whoami(principal: Reader) -> dict[str, Any]:
    """The calling key and its project."""
    return out.api_key(principal.key)
