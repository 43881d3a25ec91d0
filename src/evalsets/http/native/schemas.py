"""Request bodies of the native API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProjectCreate(Strict):
    name: str = Field(min_length=1, max_length=200)


class KeyCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(default_factory=lambda: ["datasets:read", "datasets:write"])


class EnvironmentCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    is_default: bool = False


class DatasetCreate(Strict):
    path: str = Field(min_length=1, max_length=1000)
    description: str | None = None
    type: str | None = None
    readme: str | None = None
    tags: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    json_schema: dict[str, Any] | None = Field(default=None, alias="schema")
    active: bool = True


class DatasetUpdate(Strict):
    path: str | None = None
    name: str | None = None
    description: str | None = None
    type: str | None = None
    readme: str | None = None
    tags: list[str] | None = None
    attributes: dict[str, Any] | None = None
    json_schema: dict[str, Any] | None = Field(default=None, alias="schema")
    active: bool | None = None


class VersionWrite(Strict):
    """A set-based write: a new version from a base plus, minus or replaced by datapoints."""

    datapoints: list[dict[str, Any]]
    action: Literal["set", "add", "remove"] = "set"
    base_version_id: str | None = None
    environment: str | None = None
    commit: bool = False
    message: str | None = None
    name: str | None = None
    description: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    expected_head: str | None = None


class VersionUpdate(Strict):
    name: str | None = None
    description: str | None = None
    attributes: dict[str, Any] | None = None


class CommitRequest(Strict):
    message: str | None = None
    name: str | None = None
    description: str | None = None


class RestoreRequest(Strict):
    message: str | None = None
    name: str | None = None
    commit: bool = True


class DeployRequest(Strict):
    version_id: str


class DatapointsCreate(Strict):
    datapoints: list[dict[str, Any]] = Field(min_length=1)
    new_version: bool = False
    commit: bool = False
    message: str | None = None
    name: str | None = None
    expected_head: str | None = None


class DatapointIds(Strict):
    ids: list[str] = Field(min_length=1)
