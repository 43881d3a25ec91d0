"""Humanloop v5 request bodies (FastAPI-style: bad bodies are 422 with a ``detail`` list)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ROLES = ("user", "assistant", "system", "tool", "developer")
"""The chat roles Humanloop accepts in a datapoint's ``messages``."""


class UpsertOptions(BaseModel):
    """``POST /datasets``: the upsert body besides its ``datapoints``.

    Both version models: the old one's ``commit_message``, the new one's ``version_name`` and
    ``version_description``. The datapoints themselves are checked by ``upsert_body`` (fast:
    an upsert may carry 100,000 of them).
    """

    path: str | None = None
    id: str | None = None
    action: Literal["set", "add", "remove"] = "set"
    attributes: dict[str, Any] | None = None
    commit_message: str | None = None
    version_name: str | None = None
    version_description: str | None = None


_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": True}
_TEXT: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

DATASET_REQUEST_SCHEMA: dict[str, Any] = {
    "title": "DatasetRequest",
    "type": "object",
    "required": ["datapoints"],
    "properties": {
        "datapoints": {
            "type": "array",
            "items": {
                "title": "CreateDatapointRequest",
                "type": "object",
                "additionalProperties": True,
                "properties": {
                    "inputs": _OBJECT,
                    "messages": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": True,
                            "required": ["role"],
                            "properties": {"role": {"enum": list(ROLES)}},
                        },
                    },
                    "target": _OBJECT,
                },
            },
        },
        "path": _TEXT,
        "id": _TEXT,
        "action": {"enum": ["set", "add", "remove"], "default": "set"},
        "attributes": {"anyOf": [_OBJECT, {"type": "null"}]},
        "commit_message": _TEXT,
        "version_name": _TEXT,
        "version_description": _TEXT,
    },
}
"""The upsert body as the OpenAPI document describes it (``upsert_body`` checks it by hand)."""


class MoveRequest(BaseModel):
    """``PATCH /datasets/{id}``: move to another path and/or rename."""

    path: str | None = Field(default=None, min_length=1)
    name: str | None = Field(default=None, min_length=1)


class VersionUpdateRequest(BaseModel):
    """``PATCH /datasets/{id}/versions/{version_id}``."""

    name: str | None = None
    description: str | None = None


class VersionCommitRequest(BaseModel):
    """``POST /datasets/{id}/versions/{version_id}/commit`` (the old commit model)."""

    commit_message: str
