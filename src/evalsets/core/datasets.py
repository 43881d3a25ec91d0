"""Datasets and their versions: create, find, list, move, delete; commit, name, deploy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from evalsets.core import resolve, validation
from evalsets.core.clock import utcnow
from evalsets.core.errors import InvalidInput, NotFound, VersionCommitted
from evalsets.core.ids import DATASET, new_id
from evalsets.core.model import Dataset, Deployment, Version, VersionStatus
from evalsets.store import datasets as repo
from evalsets.store import projects as projects_repo
from evalsets.store.datasets import DatasetState
from evalsets.store.store import Store

UNSET: Any = object()
"""Marks an argument that was not given (as opposed to given as None)."""


@dataclass(frozen=True)
class DatasetFields:
    """Descriptive fields of a dataset a client may set."""

    description: str | None = None
    type: str | None = None
    readme: str | None = None
    tags: tuple[str, ...] = ()
    attributes: dict[str, Any] | None = None
    schema: dict[str, Any] | None = None
    active: bool = True


def new_dataset_values(
    project_id: int, path: str, fields: DatasetFields, author: str | None
) -> dict[str, Any]:
    """The row of a new dataset."""
    path = validation.clean_path(path)
    now = utcnow()
    return {
        "id": new_id(DATASET),
        "project_id": project_id,
        "path": path,
        "name": validation.name_of(path),
        "description": fields.description,
        "type": fields.type,
        "readme": fields.readme,
        "tags": validation.clean_tags(list(fields.tags)),
        "attributes": validation.check_object(dict(fields.attributes or {}), "attributes"),
        "json_schema": validation.check_schema(fields.schema),
        "active": fields.active,
        "head_seq": 0,
        "head_version_id": None,
        "next_ordinal": 0,
        "version_count": 0,
        "created_by": author,
        "created_at": now,
        "updated_at": now,
    }


class Datasets:
    """Dataset metadata, version life cycle and deployments."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- datasets -----------------------------------------------------------------------

    def create(
        self,
        project_id: int,
        path: str,
        fields: DatasetFields | None = None,
        author: str | None = None,
    ) -> Dataset:
        """A new, empty dataset; NameTaken if the path is in use."""
        values = new_dataset_values(project_id, path, fields or DatasetFields(), author)
        with self.store.write() as conn:
            projects_repo.get_project(conn, project_id)
            return repo.insert_dataset(conn, values).dataset

    def get(self, project_id: int, dataset_id: str, *, include_deleted: bool = False) -> Dataset:
        with self.store.read() as conn:
            return repo.load(conn, project_id, dataset_id, include_deleted=include_deleted).dataset

    def find_by_path(self, project_id: int, path: str) -> Dataset | None:
        with self.store.read() as conn:
            state = repo.find_by_path(conn, project_id, validation.clean_path(path))
        return None if state is None else state.dataset

    def page(
        self,
        project_id: int,
        *,
        name: str | None = None,
        search: str | None = None,
        tags: list[str] | None = None,
        ids: list[str] | None = None,
        include_deleted: bool = False,
        sort_by: str = "created_at",
        descending: bool = True,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[Dataset], int]:
        """A page of datasets and the total matching."""
        if limit < 0 or offset < 0:
            raise InvalidInput("limit and offset must not be negative")
        with self.store.read() as conn:
            return repo.list_datasets(
                conn,
                project_id,
                name=name,
                search=search,
                tags=tags,
                ids=ids,
                include_deleted=include_deleted,
                sort_by=sort_by,
                descending=descending,
                limit=limit,
                offset=offset,
            )

    def update(
        self, project_id: int, dataset_id: str, *, include_deleted: bool = False, **changes: Any
    ) -> Dataset:
        """Change descriptive fields, the path (a move) or the name (a rename in place).

        ``deleted=True/False`` soft-deletes or restores the dataset.
        """
        values = self._update_values(changes)
        with self.store.write() as conn:
            state = repo.load(
                conn, project_id, dataset_id, lock=True, include_deleted=include_deleted
            )
            if "path" in values or "name" in values:
                values.update(_moved(state, values.pop("path", None), values.pop("name", None)))
            if not values:
                return state.dataset
            values["updated_at"] = utcnow()
            return repo.update_dataset(conn, state.pk, values).dataset

    @staticmethod
    def _update_values(changes: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if value is UNSET:
                continue
            if key == "tags":
                values["tags"] = validation.clean_tags(value)
            elif key == "schema":
                values["json_schema"] = validation.check_schema(value)
            elif key == "attributes":
                values["attributes"] = validation.check_object(value, "attributes")
            elif key == "deleted":
                values["deleted_at"] = utcnow() if value else None
            elif key in ("path", "name", "description", "type", "readme", "active"):
                values[key] = value
            else:
                raise InvalidInput(f"unknown dataset field {key!r}", field=key)
        return values

    def delete(self, project_id: int, dataset_id: str) -> None:
        """Soft-delete: the dataset disappears from reads, its path is free again."""
        self.update(project_id, dataset_id, deleted=True)

    # --- versions -----------------------------------------------------------------------

    def versions(
        self, project_id: int, dataset_id: str, *, statuses: list[str] | None = None
    ) -> list[Version]:
        """The dataset's versions, newest first (deleted ones only if asked for)."""
        wanted = (
            statuses
            if statuses is not None
            else [
                VersionStatus.UNCOMMITTED.value,
                VersionStatus.COMMITTED.value,
            ]
        )
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            return repo.list_versions(conn, state, statuses=wanted)

    def version(self, project_id: int, dataset_id: str, version_id: str) -> Version:
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            return repo.load_version(conn, state, version_id).version

    def newest(self, project_id: int, dataset_id: str) -> Version | None:
        """The newest version that is not deleted."""
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            found = repo.newest_version(conn, state)
        return None if found is None else found.version

    def draft(self, project_id: int, dataset_id: str) -> Version | None:
        """The open draft, if the newest version is uncommitted."""
        with self.store.read() as conn:
            found = resolve.draft_or_none(conn, repo.load(conn, project_id, dataset_id))
        return None if found is None else found.version

    def deployed_or_newest(self, project_id: int, dataset_id: str) -> Version | None:
        with self.store.read() as conn:
            found = resolve.deployed_or_newest(conn, repo.load(conn, project_id, dataset_id))
        return None if found is None else found.version

    def commit(
        self,
        project_id: int,
        dataset_id: str,
        version_id: str | None = None,
        *,
        message: str | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> Version:
        """Freeze a version (the draft if no id is given); VersionCommitted if already frozen."""
        with self.store.write() as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            if version_id is None:
                draft = resolve.draft_or_none(conn, state)
                if draft is None:
                    raise NotFound("draft", dataset_id)
                version_id = draft.version.id
            return commit_version(
                conn, state, version_id, message=message, name=name, description=description
            )

    def update_version(
        self,
        project_id: int,
        dataset_id: str,
        version_id: str,
        *,
        name: Any = UNSET,
        description: Any = UNSET,
        commit_message: Any = UNSET,
        attributes: Any = UNSET,
    ) -> Version:
        """Rename or describe a version (names are unique per dataset)."""
        values: dict[str, Any] = {}
        if name is not UNSET:
            values["name"] = validation.clean_version_name(name)
        if description is not UNSET:
            values["description"] = description
        if commit_message is not UNSET:
            values["commit_message"] = commit_message
        if attributes is not UNSET:
            values["attributes"] = validation.check_object(attributes, "attributes")
        with self.store.write() as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            current = repo.load_version(conn, state, version_id).version
            if current.status is VersionStatus.DELETED:
                raise NotFound("version", version_id)
            if values:
                values["updated_at"] = utcnow()
                repo.update_version(conn, version_id, values)
            return repo.load_version(conn, state, version_id).version

    def delete_version(self, project_id: int, dataset_id: str, version_id: str) -> None:
        """Mark a version deleted; it leaves lists and deployments, its name is free again."""
        with self.store.write() as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            current = repo.load_version(conn, state, version_id).version
            if current.status is VersionStatus.DELETED:
                raise NotFound("version", version_id)
            repo.update_version(
                conn, version_id, {"status": VersionStatus.DELETED.value, "updated_at": utcnow()}
            )
            repo.drop_deployments_of_version(conn, version_id)

    # --- deployments --------------------------------------------------------------------

    def deploy(
        self, project_id: int, dataset_id: str, environment: str, version_id: str
    ) -> Deployment:
        """Point an environment (name or id) at a version of the dataset."""
        now = utcnow()
        with self.store.write() as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            env = projects_repo.find_environment(conn, project_id, environment)
            version = repo.load_version(conn, state, version_id).version
            if version.status is VersionStatus.DELETED:
                raise NotFound("version", version_id)
            repo.deploy(conn, state, env.id, version.id, now)
            return Deployment(dataset_id, env, version.id, now)

    def undeploy(self, project_id: int, dataset_id: str, environment: str) -> None:
        """Remove the dataset's deployment from an environment; NotFound if there is none."""
        with self.store.write() as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            env = projects_repo.find_environment(conn, project_id, environment)
            if not repo.undeploy(conn, state, env.id):
                raise NotFound("deployment", f"{dataset_id} in {env.name}")

    def deployments(self, project_id: int, dataset_id: str) -> list[Deployment]:
        with self.store.read() as conn:
            return repo.deployments_of(conn, repo.load(conn, project_id, dataset_id))

    def deployments_by_dataset(self, project_id: int) -> dict[str, list[tuple[str, str]]]:
        """(environment name, version id) pairs for every deployed dataset of the project."""
        with self.store.read() as conn:
            return repo.deployed_per_dataset(conn, project_id)


def commit_version(
    conn: Connection,
    state: DatasetState,
    version_id: str,
    *,
    message: str | None,
    name: str | None = None,
    description: str | None = None,
) -> Version:
    """Freeze one version inside an open write transaction."""
    current = repo.load_version(conn, state, version_id).version
    if current.status is VersionStatus.COMMITTED:
        raise VersionCommitted(f"version {version_id} is already committed")
    if current.status is VersionStatus.DELETED:
        raise NotFound("version", version_id)
    now = utcnow()
    values: dict[str, Any] = {
        "status": VersionStatus.COMMITTED.value,
        "committed_at": now,
        "updated_at": now,
        "commit_message": message,
    }
    if name is not None:
        values["name"] = validation.clean_version_name(name)
    if description is not None:
        values["description"] = description
    repo.update_version(conn, version_id, values)
    return repo.load_version(conn, state, version_id).version


def _moved(state: DatasetState, path: str | None, name: str | None) -> dict[str, Any]:
    """New path and name after a move (path) and/or rename (name)."""
    new_path = validation.clean_path(path) if path is not None else state.dataset.path
    if name is not None:
        if not isinstance(name, str) or not name.strip() or "/" in name:
            raise InvalidInput("name must be non-empty and cannot contain '/'", field="name")
        folder = new_path.rsplit("/", 1)[0] if "/" in new_path else ""
        new_path = f"{folder}/{name.strip()}" if folder else name.strip()
    return {"path": new_path, "name": validation.name_of(new_path)}
