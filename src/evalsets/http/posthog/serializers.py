"""The superset JSON of both PostHog generations: one shape serves the REST API and the SDK.

Datasets carry ``deleted`` and ``archived``, ``team`` and ``team_id``; items carry ``output`` and
``expected_output``, ``ref_*`` and ``source_*``, ``deleted`` and ``archived``, and the
revision fields the SDK requires. ``description`` is never null and ``metadata``/``input`` are
never null (``""``, ``{}``), as the SDK requires.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.items import ItemVersion
from evalsets.core.model import Dataset, Version
from evalsets.http.posthog import mapping
from evalsets.http.responses import OrjsonResponse


def user(author: str | None) -> dict[str, Any] | None:
    """A PostHog ``UserBasic`` for an evalsets author (``key:<name>``), or None."""
    if not author:
        return None
    return dict(_user(author))


@functools.lru_cache(maxsize=256)
def _user(author: str) -> dict[str, Any]:
    ident = uuid.uuid5(mapping.NAMESPACE, f"user/{author}")
    return {
        "id": ident.int % 2_147_483_647,
        "uuid": str(ident),
        "distinct_id": author,
        "first_name": author.split(":", 1)[-1],
        "last_name": "",
        "email": "",
        "is_email_verified": False,
        "hedgehog_config": None,
        "role_at_organization": None,
    }


def dataset(d: Dataset, head: Version | None, project_id: int) -> dict[str, Any]:
    """A dataset with its current revision (the newest version)."""
    metadata = mapping.metadata_of(d.attributes)
    return {
        "id": mapping.dataset_uuid(d.id),
        "name": d.path,
        "description": d.description or "",
        "metadata": metadata,
        "tags": list(d.tags),
        "archived": not d.active,
        "deleted": d.deleted_at is not None,
        "current_revision": head.number if head else None,
        "current_revision_id": mapping.version_uuid(head.id) if head else None,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "created_by": user(d.created_by),
        "team": project_id,
        "team_id": project_id,
    }


def revision(v: Version, project_id: int) -> dict[str, Any]:
    """A dataset revision: a version of the dataset, numbered from 1."""
    return {
        "id": mapping.version_uuid(v.id),
        "dataset_id": mapping.dataset_uuid(v.dataset_id),
        "revision": v.number,
        "status": v.status.value,
        "message": v.commit_message,
        "item_count": v.datapoint_count,
        "created_at": v.created_at,
        "created_by": user(v.author),
        "team": project_id,
        "team_id": project_id,
    }


def item(
    dataset_id: str, entry: ItemVersion, first: ItemVersion, project_id: int
) -> dict[str, Any]:
    """One version of an item (``entry``), ``first`` being the item's first version."""
    body: dict[str, Any] = {
        "id": mapping.item_uuid(entry.datapoint_id),
        "dataset": mapping.dataset_uuid(dataset_id),
    }
    body.update(mapping.fields_of(entry.content))
    body.update(
        {
            "deleted": entry.removed,
            "archived": entry.removed,
            "version": entry.number,
            "version_id": mapping.item_version_uuid(entry.datapoint_id, entry.seq),
            "dataset_revision": entry.version_number or 1,
            "dataset_revision_id": (
                mapping.version_uuid(entry.version_id) if entry.version_id else None
            ),
            "created_at": first.at,
            "updated_at": entry.at,
            "created_by": user(first.author),
            "version_created_at": entry.at,
            "version_created_by": user(entry.author),
            "team": project_id,
            "team_id": project_id,
        }
    )
    return body


def at_or_before(history: list[ItemVersion], seq: int | None) -> ItemVersion | None:
    """The version of an item current at change ``seq`` (the latest if None)."""
    if seq is None:
        return history[-1] if history else None
    found = None
    for entry in history:
        if entry.seq > seq:
            break
        found = entry
    return found


def page(
    request: Request, results: list[dict[str, Any]], count: int, limit: int, offset: int
) -> dict[str, Any]:
    """DRF's limit/offset page with absolute ``next``/``previous`` links.

    Links start with ``EVALSETS_PUBLIC_URL`` when it is set, else with the request's own URL.
    """
    url = request.url.remove_query_params("personal_api_key")
    public = request.app.state.settings.public_url
    if public:
        base = URL(public.rstrip("/") + url.path)
        url = url.replace(scheme=base.scheme, netloc=base.netloc, path=base.path)
    following = None
    if offset + limit < count and results:
        following = str(url.include_query_params(limit=limit, offset=offset + limit))
    previous = None
    if offset > 0:
        if offset - limit <= 0:
            previous = str(url.include_query_params(limit=limit).remove_query_params("offset"))
        else:
            previous = str(url.include_query_params(limit=limit, offset=offset - limit))
    return {"count": count, "next": following, "previous": previous, "results": results}


def respond(body: dict[str, Any], status_code: int = 200) -> Response:
    """JSON rendered by orjson directly (FastAPI's response validation is skipped)."""
    return OrjsonResponse(body, status_code=status_code)
