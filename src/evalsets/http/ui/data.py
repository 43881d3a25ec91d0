"""The data of each UI page: plain dicts built with the native API's serializers.

Each function makes the same core calls as the native endpoints and returns the same shapes
(plus what a page needs around them), so a template only lays out what the API also returns.
Every page is also served as JSON with ``?format=json``.
"""

from __future__ import annotations

from typing import Any

from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.model import Deployment, Version, VersionStatus
from evalsets.http.native import serializers as out

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE = 50
SORTS = ("created_at", "updated_at", "name", "path")
COLUMNS = ("inputs", "messages", "expected", "metadata", "context", "other")
DEFAULT_COLUMNS = ("inputs", "expected", "metadata")
DIFF_SHOWN = 200


def datasets_page(
    engine: Engine,
    project_id: int,
    *,
    search: str | None = None,
    tag: str | None = None,
    sort_by: str = "updated_at",
    order: str = "desc",
    offset: int = 0,
    limit: int = DEFAULT_PAGE,
) -> dict[str, Any]:
    """The datasets list: like ``GET /api/v1/datasets``, plus version counts per dataset."""
    if sort_by not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}", field="sort")
    if order not in ("asc", "desc"):
        raise InvalidInput("order must be asc or desc", field="order")
    items, total = engine.datasets.page(
        project_id,
        search=search or None,
        tags=[tag] if tag else None,
        sort_by=sort_by,
        descending=order == "desc",
        limit=limit,
        offset=offset,
    )
    deployed = engine.datasets.deployments_by_dataset(project_id)
    body = []
    for ds in items:
        versions = engine.datasets.versions(project_id, ds.id)
        numbers = {v.id: v.number for v in versions}
        entry = out.dataset(ds)
        entry["deployed"] = {env: vid for env, vid in deployed.get(ds.id, [])}
        entry["deployed_numbers"] = {env: numbers.get(vid) for env, vid in deployed.get(ds.id, [])}
        entry["version_count"] = len(versions)
        entry["newest"] = out.version(versions[0]) if versions else None
        body.append(entry)
    return {
        "items": body,
        "total": total,
        "limit": limit,
        "offset": offset,
        "search": search or "",
        "tag": tag or "",
        "sort_by": sort_by,
        "order": order,
    }


def _pick_version(versions: list[Version], version_id: str | None) -> Version | None:
    if version_id:
        for v in versions:
            if v.id == version_id:
                return v
        raise NotFound("version", version_id)
    return versions[0] if versions else None


def _versions(versions: list[Version], deployments: list[Deployment]) -> list[dict[str, Any]]:
    where: dict[str, list[str]] = {}
    for d in deployments:
        where.setdefault(d.version_id, []).append(d.environment.name)
    return [{**out.version(v), "deployed_to": sorted(where.get(v.id, []))} for v in versions]


def dataset_page(
    engine: Engine,
    project_id: int,
    dataset_id: str,
    *,
    version_id: str | None = None,
    offset: int = 0,
    limit: int = DEFAULT_PAGE,
    search: str | None = None,
) -> dict[str, Any]:
    """A dataset: its versions (newest first) and one page of one version's datapoints.

    The page is ``GET /api/v1/datasets/{id}/datapoints?offset=…`` of the chosen version (the
    newest by default). Only the newest version is ``editable``: edits go to the draft, which is
    the newest version or opened on top of it; older committed versions are read-only.
    """
    if offset < 0:
        raise InvalidInput("offset must not be negative", field="offset")
    if limit not in PAGE_SIZES:
        raise InvalidInput(f"page size must be one of {PAGE_SIZES}", field="limit")
    ds = engine.datasets.get(project_id, dataset_id)
    deployments = engine.datasets.deployments(project_id, dataset_id)
    raw_versions = engine.datasets.versions(project_id, dataset_id)
    chosen = _pick_version(raw_versions, version_id)
    versions = _versions(raw_versions, deployments)
    newest = raw_versions[0] if raw_versions else None
    page: dict[str, Any] = {"items": [], "total": 0, "next_cursor": None}
    if chosen is not None:
        found = engine.data.page(
            project_id,
            dataset_id,
            version_id=chosen.id,
            offset=offset,
            limit=limit,
            search=search or None,
        )
        page = out.datapoint_page(found)
    page.update(offset=offset, limit=limit, search=search or "")
    return {
        "dataset": out.dataset(ds, deployments),
        "versions": versions,
        "version": next((v for v in versions if chosen and v["id"] == chosen.id), None),
        "newest_id": newest.id if newest else None,
        "draft_id": newest.id if newest and newest.status is VersionStatus.UNCOMMITTED else None,
        "editable": chosen is None or (newest is not None and chosen.id == newest.id),
        "page": page,
        "environments": [out.environment(e) for e in engine.admin.list_environments(project_id)],
    }


def datapoint_page(
    engine: Engine,
    project_id: int,
    dataset_id: str,
    datapoint_id: str,
    *,
    version_id: str | None = None,
) -> dict[str, Any]:
    """One datapoint as in a version (``GET …/datapoints/{id}``) and its history."""
    ds = engine.datasets.get(project_id, dataset_id)
    raw_versions = engine.datasets.versions(project_id, dataset_id)
    chosen = _pick_version(raw_versions, version_id)
    history = engine.data.history(project_id, dataset_id, datapoint_id)
    record = None
    if chosen is not None:
        try:
            record = out.datapoint(
                engine.data.get(project_id, dataset_id, datapoint_id, version_id=chosen.id)
            )
        except NotFound:
            record = None
    numbers = {v.id: v.number for v in raw_versions}
    newest = raw_versions[0] if raw_versions else None
    newest_id = newest.id if newest else None
    editable = record is not None and chosen is not None and chosen.id == newest_id
    return {
        "dataset": out.dataset(ds),
        "version": out.version(chosen) if chosen else None,
        "datapoint": record,
        "id": datapoint_id,
        "history": [
            {**out.revision(r), "version_number": numbers.get(r.version_id or "")} for r in history
        ],
        "editable": editable,
        "newest_id": newest_id,
    }


def diff_page(
    engine: Engine,
    project_id: int,
    dataset_id: str,
    *,
    base: str | None = None,
    target: str | None = None,
) -> dict[str, Any]:
    """Two versions compared (``GET …/diff``): by default the newest against its parent."""
    ds = engine.datasets.get(project_id, dataset_id)
    raw_versions = engine.datasets.versions(project_id, dataset_id)
    if not target and raw_versions:
        target = raw_versions[0].id
    if target and not base:
        chosen = _pick_version(raw_versions, target)
        base = chosen.parent_id if chosen else None
    if target:
        _pick_version(raw_versions, target)
    if base:
        _pick_version(raw_versions, base)
    diff = out.diff(engine.data.diff(project_id, dataset_id, base or None, target or None))
    shown = {k: diff[k][:DIFF_SHOWN] for k in ("added", "removed", "changed")}
    return {
        "dataset": out.dataset(ds),
        "versions": [out.version(v) for v in raw_versions],
        "base": base,
        "target": target,
        "diff": {**diff, **shown},
        "truncated": any(diff["stats"][k] > DIFF_SHOWN for k in shown),
    }
