"""Humanloop's response shapes for the core's objects: ``DatasetResponse`` and friends.

A ``DatasetResponse`` describes one version of a dataset (Humanloop's "file version"): the
dataset's path and descriptive fields, plus the version's id, name, status, counts and the
environments it is deployed to. It carries both the old commit-model fields (``status``,
``commit_message``) and the new ones (``version_name``, ``version_description``); the SDK's
models accept extra fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalsets.core.engine import Engine
from evalsets.core.errors import NotFound
from evalsets.core.model import Dataset, Deployment, Environment, Version, VersionStatus
from evalsets.http.humanloop.mapping import datapoint_response


def environment_response(env: Environment) -> dict[str, Any]:
    """``EnvironmentResponse``: the default environment has tag ``default``."""
    return {
        "id": env.id,
        "created_at": env.created_at,
        "name": env.name,
        "tag": "default" if env.is_default else "other",
    }


def _user(author: str | None) -> dict[str, Any] | None:
    if author is None:
        return None
    return {"id": author, "email_address": None, "full_name": author}


#: The largest page number a list takes (422 past it; pages are int64 offsets in the database).
MAX_PAGE = 2**31


def paginated(records: list[dict[str, Any]], page: int, size: int, total: int) -> dict[str, Any]:
    """``PaginatedData``: a page past the end is simply empty."""
    return {"records": records, "page": page, "size": size, "total": total}


@dataclass(frozen=True)
class Views:
    """Builds responses that need more reads (deployments, datapoints) from the engine."""

    engine: Engine
    project_id: int

    def version_of(
        self,
        dataset_id: str,
        version_id: str | None = None,
        environment: str | None = None,
    ) -> tuple[Dataset, Version | None]:
        """The version a read means: the given one, the environment's, else the default's.

        Without either, the version deployed to the default environment, falling back to the
        newest version (None for a dataset without versions).
        """
        snap = self.engine.data.snapshot(
            self.project_id,
            dataset_id,
            version_id=version_id,
            environment=environment,
            prefer_deployed=True,
        )
        if snap.version is not None and snap.version.status is VersionStatus.DELETED:
            raise NotFound("version", snap.version.id)
        return snap.dataset, snap.version

    def dataset(
        self,
        ds: Dataset,
        version: Version | None,
        *,
        include_datapoints: bool = False,
        deployments: list[Deployment] | None = None,
    ) -> dict[str, Any]:
        """``DatasetResponse`` of one version (datapoints only if asked for)."""
        if deployments is None:
            deployments = self.engine.datasets.deployments(self.project_id, ds.id)
        body = dataset_fields(ds, version, deployments)
        if include_datapoints:
            body["datapoints"] = self.datapoints(ds.id, version)
        return body

    def datapoints(self, dataset_id: str, version: Version | None) -> list[dict[str, Any]]:
        """Every datapoint of a version, in order."""
        if version is None:
            return []
        found = self.engine.data.export(self.project_id, dataset_id, version_id=version.id)
        return [datapoint_response(d) for d in found]

    def current(self, ds: Dataset) -> dict[str, Any]:
        """``DatasetResponse`` of the version a plain GET shows."""
        _, version = self.version_of(ds.id)
        return self.dataset(ds, version)


def dataset_fields(
    ds: Dataset, version: Version | None, deployments: list[Deployment]
) -> dict[str, Any]:
    """The ``DatasetResponse`` fields, without datapoints."""
    deployed = [
        environment_response(d.environment)
        for d in deployments
        if version is not None and d.version_id == version.id
    ]
    return {
        "path": ds.path,
        "id": ds.id,
        "directory_id": None,
        "name": ds.name,
        "description": ds.description,
        "schema": ds.schema,
        "readme": ds.readme,
        "tags": list(ds.tags),
        "version_id": version.id if version else None,
        "type": "dataset",
        "environments": deployed,
        "created_at": version.created_at if version else ds.created_at,
        "updated_at": version.updated_at if version else ds.updated_at,
        "created_by": _user(version.author if version else ds.created_by),
        "last_used_at": ds.updated_at,
        "status": version.status.value if version else None,
        "commit_message": version.commit_message if version else None,
        "version_name": version.name if version else None,
        "version_description": version.description if version else None,
        "datapoints_count": version.datapoint_count if version else 0,
        "attributes": version.attributes if version else ds.attributes,
    }
