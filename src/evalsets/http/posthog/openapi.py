"""OpenAPI documentation of the PostHog routes, which parse their query and body by hand.

The handlers read DRF-style query parameters and JSON bodies themselves (to answer with DRF's
error shapes), so FastAPI cannot infer them; these fragments document them for
``docs/openapi/posthog.json`` (and the schemathesis fuzz tests that run from it).
"""

from __future__ import annotations

from typing import Any

_UUID = {"type": "string", "format": "uuid"}
_TEXT = {"type": "string"}
_ANY: dict[str, Any] = {}
_USER = {"anyOf": [{"type": "object"}, {"type": "null"}]}


def _query(**params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in params.items()
    ]


_PAGING = {"limit": {"type": "integer"}, "offset": {"type": "integer"}}


def _body(properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties}
    return {"requestBody": {"content": {"application/json": {"schema": schema}}}}


DATASET_FIELDS: dict[str, Any] = {
    "name": _TEXT,
    "description": {"type": ["string", "null"]},
    "metadata": _ANY,
    "tags": {"type": "array", "items": _TEXT},
    "deleted": {"type": "boolean"},
}
ITEM_FIELDS: dict[str, Any] = {
    "dataset": _UUID,
    "input": _ANY,
    "output": _ANY,
    "expected_output": _ANY,
    "metadata": _ANY,
    "ref_trace_id": {"type": ["string", "null"]},
    "ref_timestamp": {"type": ["string", "null"]},
    "ref_source_id": {"type": ["string", "null"]},
    "client_item_id": {"type": ["string", "null"]},
    "deleted": {"type": "boolean"},
}

DATASET = {
    "type": "object",
    "required": ["id", "name", "metadata", "tags", "archived", "deleted", "created_at"],
    "properties": {
        "id": _UUID,
        "name": _TEXT,
        "description": _TEXT,
        "tags": {"type": "array", "items": _TEXT},
        "archived": {"type": "boolean"},
        "deleted": {"type": "boolean"},
        "current_revision": {"type": ["integer", "null"]},
        "current_revision_id": {"anyOf": [_UUID, {"type": "null"}]},
        "created_at": _TEXT,
        "updated_at": _TEXT,
        "created_by": _USER,
        "team": {"type": "integer"},
        "team_id": {"type": "integer"},
    },
}
ITEM = {
    "type": "object",
    "required": ["id", "dataset", "deleted", "version", "created_at"],
    "properties": {
        "id": _UUID,
        "dataset": _UUID,
        "deleted": {"type": "boolean"},
        "archived": {"type": "boolean"},
        "version": {"type": "integer"},
        "version_id": _UUID,
        "dataset_revision": {"type": "integer"},
        "created_at": _TEXT,
        "updated_at": _TEXT,
        "team": {"type": "integer"},
        "team_id": {"type": "integer"},
    },
}
REVISION = {
    "type": "object",
    "required": ["id", "dataset_id", "revision", "status", "item_count"],
    "properties": {
        "id": _UUID,
        "dataset_id": _UUID,
        "revision": {"type": "integer"},
        "status": _TEXT,
        "message": {"type": ["string", "null"]},
        "item_count": {"type": "integer"},
    },
}


def _page(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": ["string", "null"]},
            "previous": {"type": ["string", "null"]},
            "results": {"type": "array", "items": result},
        },
    }


def _ok(schema: dict[str, Any], status: int = 200) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return {"responses": {str(status): {"description": "OK", "content": content}}}


def extra(*parts: dict[str, Any]) -> dict[str, Any]:
    """Merge fragments into one ``openapi_extra``."""
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, list):
                merged[key] = [*merged.get(key, []), *value]
            elif isinstance(value, dict):
                merged[key] = {**merged.get(key, {}), **value}
            else:
                merged[key] = value
    return merged


LIST_DATASETS = extra(
    {
        "parameters": _query(
            **_PAGING,
            search=_TEXT,
            order_by=_TEXT,
            id__in=_TEXT,
            archived={"type": "boolean"},
            tags=_TEXT,
            tag_match={"type": "string", "enum": ["any", "all"]},
        )
    },
    _ok(_page(DATASET)),
)
CREATE_DATASET = extra(_body(DATASET_FIELDS), _ok(DATASET, 201))
GET_DATASET = _ok(DATASET)
UPDATE_DATASET = extra(_body(DATASET_FIELDS), _ok(DATASET))
LIST_REVISIONS = extra({"parameters": _query(**_PAGING)}, _ok(_page(REVISION)))

LIST_ITEMS = extra(
    {
        "parameters": _query(
            **_PAGING, dataset=_UUID, revision={"type": "integer"}, archived={"type": "boolean"}
        )
    },
    _ok(_page(ITEM)),
)
CREATE_ITEM = extra(_body(ITEM_FIELDS), _ok(ITEM, 201))
GET_ITEM = extra({"parameters": _query(revision={"type": "integer"})}, _ok(ITEM))
UPDATE_ITEM = extra(_body(ITEM_FIELDS), _ok(ITEM))
LIST_ITEM_VERSIONS = extra({"parameters": _query(**_PAGING)}, _ok(_page(ITEM)))
