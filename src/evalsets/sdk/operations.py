"""Every native (``/api/v1``) operation, once, for both clients (see :mod:`evalsets.sdk.calls`).

Each method is a generator that yields the steps it needs and returns the result; ``Client``
and ``AsyncClient`` bind them as their public methods, so these docstrings are theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from evalsets.sdk import jsonl
from evalsets.sdk.calls import Call, Download, Gather, Op, Pages, RecordDownload, Save
from evalsets.sdk.errors import NotFound
from evalsets.sdk.models import Dataset, Deployment, Diff, Page, Record, Version
from evalsets.sdk.sources import record_rows

if TYPE_CHECKING:
    import datasets as hf
    import pandas
    import pyarrow

DatasetRef = str | Dataset
ExportFormat = Literal["ndjson", "csv", "parquet"]
PAGE_SIZE = 1000


class ImportOptions(TypedDict, total=False):
    """Options of a streamed import (``import_bytes``, ``import_rows``, ``import_records``)."""

    mode: Literal["append", "replace"]
    draft: bool
    commit: bool
    message: str | None
    name: str | None


def export_format_of(path: Path) -> ExportFormat:
    """The export format for a file name: .csv, .parquet, else JSON Lines."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "ndjson"


def _id(ref: DatasetRef) -> str | None:
    if isinstance(ref, Dataset):
        return ref.id
    return ref if ref.startswith("ds_") else None


def _at(version: str | None, environment: str | None) -> dict[str, str]:
    params = {}
    if version:
        params["version_id"] = version
    if environment:
        params["environment"] = environment
    return params


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _items(body: Any) -> list[dict[str, Any]]:
    return list(body["items"])


def _object(call: Call) -> Op[dict[str, Any]]:
    """A call answered with a JSON object."""
    found: dict[str, Any] = yield call
    return found


class Operations:
    """The operations of one client; it remembers dataset ids already looked up by path."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def _forget(self, ident: str) -> None:
        self.ids = {p: i for p, i in self.ids.items() if i != ident}

    # --- identity, projects, keys, environments -----------------------------------------

    def me(self) -> Op[dict[str, Any]]:
        """The calling key (id, project, scopes)."""
        return (yield from _object(Call("GET", "/me")))

    def projects(self) -> Op[list[dict[str, Any]]]:
        return _items((yield Call("GET", "/projects")))

    def create_project(self, name: str) -> Op[dict[str, Any]]:
        return (yield from _object(Call("POST", "/projects", json={"name": name})))

    def keys(self, project_id: int) -> Op[list[dict[str, Any]]]:
        return _items((yield Call("GET", f"/projects/{project_id}/keys")))

    def create_key(
        self, project_id: int, name: str, scopes: list[str] | None = None
    ) -> Op[dict[str, Any]]:
        """A new key; its secret is in ``["key"]`` (shown once)."""
        body = _clean({"name": name, "scopes": scopes})
        return (yield from _object(Call("POST", f"/projects/{project_id}/keys", json=body)))

    def revoke_key(self, project_id: int, key_id: str) -> Op[dict[str, Any]]:
        return (yield from _object(Call("DELETE", f"/projects/{project_id}/keys/{key_id}")))

    def environments(self) -> Op[list[dict[str, Any]]]:
        return _items((yield Call("GET", "/environments")))

    def create_environment(self, name: str, *, default: bool = False) -> Op[dict[str, Any]]:
        body = {"name": name, "is_default": default}
        return (yield from _object(Call("POST", "/environments", json=body)))

    # --- datasets ------------------------------------------------------------------------

    def datasets(
        self,
        *,
        search: str | None = None,
        tags: list[str] | None = None,
        sort_by: str = "path",
        order: str = "asc",
        page_size: int = 100,
    ) -> Op[Pages[Dataset]]:
        """Every dataset of the key's project, paged transparently."""
        yield from ()
        params = {"search": search, "tag": tags, "sort_by": sort_by, "order": order}
        params = _clean({**params, "limit": page_size, "offset": 0})
        return Pages(Call("GET", "/datasets", params=params), Dataset.from_json)

    def dataset_id(self, ref: DatasetRef) -> Op[str]:
        """The ``ds_`` id of a dataset named by id, path or object (NotFound if none)."""
        found = _id(ref)
        if found:
            return found
        assert isinstance(ref, str)
        path = ref.strip("/")
        name = path.rsplit("/", 1)[-1]
        offset = 0
        while path not in self.ids:
            params = {"name": name, "limit": 1000, "offset": offset}
            body = yield Call("GET", "/datasets", params=params)
            for item in body["items"]:
                self.ids[item["path"]] = item["id"]
            offset += len(body["items"])
            if not body["items"] or offset >= body["total"]:
                break
        if path not in self.ids:
            raise NotFound(404, "not_found", f"no dataset at path {path!r}", {"path": path})
        return self.ids[path]

    def _dataset_path(self, ref: DatasetRef, tail: str = "") -> Op[str]:
        return f"/datasets/{(yield from self.dataset_id(ref))}{tail}"

    def find_dataset(self, ref: DatasetRef) -> Op[Dataset | None]:
        """The dataset, or None when there is none at that id or path."""
        try:
            return (yield from self.dataset(ref))
        except NotFound:
            return None

    def dataset(self, ref: DatasetRef) -> Op[Dataset]:
        """One dataset, with where it is deployed."""
        return Dataset.from_json((yield Call("GET", (yield from self._dataset_path(ref)))))

    def create_dataset(
        self,
        path: str,
        *,
        description: str | None = None,
        tags: list[str] | None = None,
        attributes: dict[str, Any] | None = None,
        schema: dict[str, Any] | None = None,
        type: str | None = None,
        readme: str | None = None,
    ) -> Op[Dataset]:
        """A new, empty dataset at ``path`` (NameTaken if the path is used)."""
        fields = {"description": description, "tags": tags, "attributes": attributes}
        body = _clean({"path": path, **fields, "schema": schema, "type": type, "readme": readme})
        ds = Dataset.from_json((yield Call("POST", "/datasets", json=body)))
        self.ids[ds.path] = ds.id
        return ds

    def ensure_dataset(self, /, path: str, **fields: Any) -> Op[Dataset]:
        """The dataset at ``path``, created (with ``fields``) if there is none."""
        found = yield from self.find_dataset(path)
        return found if found is not None else (yield from self.create_dataset(path, **fields))

    def update_dataset(self, /, ref: DatasetRef, **changes: Any) -> Op[Dataset]:
        """Change a dataset: ``path`` (move), ``name`` (rename), ``description``, ``tags``…"""
        path = yield from self._dataset_path(ref)
        ds = Dataset.from_json((yield Call("PATCH", path, json=changes)))
        self._forget(ds.id)
        return ds

    def move_dataset(self, ref: DatasetRef, path: str) -> Op[Dataset]:
        return (yield from self.update_dataset(ref, path=path))

    def delete_dataset(self, ref: DatasetRef) -> Op[None]:
        ident = yield from self.dataset_id(ref)
        yield Call("DELETE", f"/datasets/{ident}")
        self._forget(ident)

    # --- versions ------------------------------------------------------------------------

    def versions(self, ref: DatasetRef, *, statuses: list[str] | None = None) -> Op[list[Version]]:
        """Versions newest first (like ``git log``)."""
        params = {"status": statuses} if statuses else None
        body = yield Call("GET", (yield from self._dataset_path(ref, "/versions")), params=params)
        return [Version.from_json(v) for v in body["items"]]

    def version(self, ref: DatasetRef, version_id: str) -> Op[Version]:
        path = yield from self._dataset_path(ref, f"/versions/{version_id}")
        return Version.from_json((yield Call("GET", path)))

    def newest_version(self, ref: DatasetRef) -> Op[Version | None]:
        found = yield from self.versions(ref)
        return found[0] if found else None

    def resolve_version(self, ref: DatasetRef, spec: str | None) -> Op[Version | None]:
        """A version from an id, a number (``3`` or ``v3``), a name or an environment.

        None (or ``""``) means the newest version; None is returned for a dataset with none.
        """
        versions = yield from self.versions(ref)
        if not spec:
            return versions[0] if versions else None
        number = spec[1:] if spec[:1] in "vV" and spec[1:].isdigit() else spec
        for version in versions:
            if spec == version.id or (number.isdigit() and int(number) == version.number):
                return version
        for version in versions:
            if version.name == spec:
                return version
        for deployment in (yield from self.deployments(ref)):
            if deployment.environment == spec:
                return next(v for v in versions if v.id == deployment.version_id)
        raise NotFound(404, "not_found", f"no version or environment {spec!r}", {"version": spec})

    def write_version(
        self,
        ref: DatasetRef,
        datapoints: list[Record],
        *,
        action: Literal["set", "add", "remove"] = "set",
        base_version_id: str | None = None,
        commit: bool = False,
        message: str | None = None,
        name: str | None = None,
        description: str | None = None,
        attributes: dict[str, Any] | None = None,
        expected_head: str | None = None,
    ) -> Op[Version]:
        """A set-based write; ``created`` is False when nothing changed."""
        body: dict[str, Any] = {"datapoints": datapoints, "action": action}
        body |= {"base_version_id": base_version_id, "expected_head": expected_head}
        body |= {"commit": commit, "message": message, "name": name, "description": description}
        body |= {"attributes": attributes}
        path = yield from self._dataset_path(ref, "/versions")
        return Version.from_json((yield Call("POST", path, json=_clean(body))))

    def update_version(self, /, ref: DatasetRef, version_id: str, **changes: Any) -> Op[Version]:
        """Change a version's ``name``, ``description`` or ``attributes``."""
        path = yield from self._dataset_path(ref, f"/versions/{version_id}")
        return Version.from_json((yield Call("PATCH", path, json=changes)))

    def delete_version(self, ref: DatasetRef, version_id: str) -> Op[None]:
        yield Call("DELETE", (yield from self._dataset_path(ref, f"/versions/{version_id}")))

    def commit(
        self,
        ref: DatasetRef,
        version_id: str | None = None,
        *,
        message: str | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> Op[Version]:
        """Commit the draft (or the given uncommitted version)."""
        body = _clean({"message": message, "name": name, "description": description})
        tail = f"/versions/{version_id}/commit" if version_id else "/commit"
        path = yield from self._dataset_path(ref, tail)
        return Version.from_json((yield Call("POST", path, json=body)))

    def restore(
        self,
        ref: DatasetRef,
        version_id: str,
        *,
        message: str | None = None,
        name: str | None = None,
        commit: bool = True,
    ) -> Op[Version]:
        """A new version equal to an old one."""
        body = _clean({"message": message, "name": name, "commit": commit})
        path = yield from self._dataset_path(ref, f"/versions/{version_id}/restore")
        return Version.from_json((yield Call("POST", path, json=body)))

    # --- deployments ---------------------------------------------------------------------

    def deployments(self, ref: DatasetRef) -> Op[list[Deployment]]:
        body = yield Call("GET", (yield from self._dataset_path(ref, "/deployments")))
        return [Deployment.from_json(d) for d in body["items"]]

    def deploy(self, ref: DatasetRef, environment: str, version_id: str) -> Op[Deployment]:
        """Point an environment (created if new) at a version."""
        path = yield from self._dataset_path(ref, f"/deployments/{environment}")
        return Deployment.from_json((yield Call("PUT", path, json={"version_id": version_id})))

    def undeploy(self, ref: DatasetRef, environment: str) -> Op[None]:
        yield Call("DELETE", (yield from self._dataset_path(ref, f"/deployments/{environment}")))

    # --- datapoints ----------------------------------------------------------------------

    def page(
        self,
        ref: DatasetRef,
        *,
        version: str | None = None,
        environment: str | None = None,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        offset: int | None = None,
        filter: str | None = None,
        search: str | None = None,
    ) -> Op[Page]:
        """One page of datapoints (``cursor`` or ``offset``)."""
        query = {"limit": limit, "cursor": cursor, "offset": offset}
        params = _clean({**_at(version, environment), **query, "filter": filter, "search": search})
        body = yield Call("GET", (yield from self._dataset_path(ref, "/datapoints")), params=params)
        return Page(body["items"], body["total"], body["next_cursor"])

    def datapoints(
        self,
        ref: DatasetRef,
        *,
        version: str | None = None,
        environment: str | None = None,
        page_size: int = PAGE_SIZE,
        filter: str | None = None,
        search: str | None = None,
    ) -> Op[Pages[Record]]:
        """Every datapoint of a version (newest by default), paging by cursor."""
        query = {"limit": page_size, "filter": filter, "search": search}
        params = _clean({**_at(version, environment), **query})
        call = Call("GET", (yield from self._dataset_path(ref, "/datapoints")), params=params)
        return Pages(call, dict, cursor=True)

    def datapoint(
        self,
        ref: DatasetRef,
        datapoint_id: str,
        *,
        version: str | None = None,
        environment: str | None = None,
    ) -> Op[Record]:
        path = yield from self._dataset_path(ref, f"/datapoints/{datapoint_id}")
        return (yield from _object(Call("GET", path, params=_at(version, environment))))

    def add(
        self,
        ref: DatasetRef,
        datapoints: list[Record],
        *,
        new_version: bool = False,
        commit: bool = False,
        message: str | None = None,
        name: str | None = None,
    ) -> Op[tuple[Version, list[str]]]:
        """Add datapoints to the draft; returns the version and the new ids."""
        body = {"datapoints": datapoints, "new_version": new_version, "commit": commit}
        body = _clean({**body, "message": message, "name": name})
        path = yield from self._dataset_path(ref, "/datapoints")
        found = yield Call("POST", path, json=body)
        return Version.from_json(found["version"]), list(found["ids"])

    def replace_datapoint(self, ref: DatasetRef, datapoint_id: str, content: Record) -> Op[Record]:
        path = yield from self._dataset_path(ref, f"/datapoints/{datapoint_id}")
        return (yield from _object(Call("PUT", path, json=content)))

    def patch_datapoint(self, ref: DatasetRef, datapoint_id: str, changes: Record) -> Op[Record]:
        """Change top-level fields of a datapoint in the draft (None removes one)."""
        path = yield from self._dataset_path(ref, f"/datapoints/{datapoint_id}")
        return (yield from _object(Call("PATCH", path, json=changes)))

    def delete_datapoints(self, ref: DatasetRef, ids: list[str]) -> Op[dict[str, Any]]:
        """Remove datapoints from the draft; ``missing`` lists unknown ids."""
        path = yield from self._dataset_path(ref, "/datapoints/delete")
        return (yield from _object(Call("POST", path, json={"ids": ids})))

    def history(self, ref: DatasetRef, datapoint_id: str) -> Op[list[dict[str, Any]]]:
        path = yield from self._dataset_path(ref, f"/datapoints/{datapoint_id}/history")
        return _items((yield Call("GET", path)))

    def diff(self, ref: DatasetRef, base: str | None, target: str | None = None) -> Op[Diff]:
        """What changed from ``base`` (None: empty) to ``target`` (None: newest)."""
        params = _clean({"base": base, "target": target})
        body = yield Call("GET", (yield from self._dataset_path(ref, "/diff")), params=params)
        return Diff.from_json(body)

    # --- streaming import and export -----------------------------------------------------

    def import_bytes(
        self, ref: DatasetRef, chunks: Any, **options: Unpack[ImportOptions]
    ) -> Op[Version]:
        """Stream JSON Lines bytes (any chunking) into one new version (or the draft)."""
        chosen: dict[str, Any] = {"mode": "append", "draft": False, "commit": False, **options}
        params = _clean({"format": "ndjson", **chosen})
        path = yield from self._dataset_path(ref, "/import")
        headers = {"content-type": "application/x-ndjson"}
        call = Call("POST", path, params=params, content=chunks, headers=headers)
        return Version.from_json((yield call))

    def export(
        self,
        ref: DatasetRef,
        *,
        version: str | None = None,
        environment: str | None = None,
        format: ExportFormat = "ndjson",
        chunk_size: int = 1 << 16,
    ) -> Op[Download]:
        """The bytes of an export (newest version by default), streamed."""
        params = {**_at(version, environment), "format": format}
        path = yield from self._dataset_path(ref, "/export")
        return Download(Call("GET", path, params=params), chunk_size)

    def export_records(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> Op[RecordDownload]:
        """Every datapoint of a version as dicts, streamed (constant memory)."""
        download = yield from self.export(ref, version=version, environment=environment)
        assert download.call is not None
        return RecordDownload(download.call)

    def export_file(
        self,
        ref: DatasetRef,
        path: str | Path,
        *,
        version: str | None = None,
        environment: str | None = None,
        format: ExportFormat | None = None,
    ) -> Op[int]:
        """Write an export to a file (format from the extension); returns the bytes written."""
        target = Path(path)
        chosen = format or export_format_of(target)
        download = yield from self.export(
            ref, version=version, environment=environment, format=chosen
        )
        written: int = yield Save(download, target)
        return written

    # --- dataframes ----------------------------------------------------------------------

    def _records(
        self, ref: DatasetRef, version: str | None, environment: str | None
    ) -> Op[Iterable[Record]]:
        source = yield from self.export_records(ref, version=version, environment=environment)
        records: Iterable[Record] = yield Gather(source)
        return records

    def to_pandas(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> Op[pandas.DataFrame]:
        """A version as a pandas DataFrame (one column per top-level field; needs ``pandas``)."""
        from evalsets.sdk import convert

        return convert.to_pandas((yield from self._records(ref, version, environment)))

    def to_arrow(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> Op[pyarrow.Table]:
        """A version as a pyarrow Table."""
        from evalsets.sdk import convert

        return convert.to_arrow((yield from self._records(ref, version, environment)))

    def to_hf(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> Op[hf.Dataset]:
        """A version as a Hugging Face ``datasets.Dataset`` (needs the ``hf`` extra)."""
        from evalsets.sdk import convert

        return convert.to_hf((yield from self._records(ref, version, environment)))

    def _upload(self, path: str, records: Iterable[Record], options: dict[str, Any]) -> Op[Version]:
        ds = yield from self.ensure_dataset(path)
        options.setdefault("commit", True)
        return (yield from self.import_bytes(ds, jsonl.chunks(record_rows(records)), **options))

    def from_pandas(self, /, path: str, frame: pandas.DataFrame, **options: Any) -> Op[Version]:
        """Import a DataFrame's rows into the dataset at ``path`` (created if needed)."""
        from evalsets.sdk import convert

        return (yield from self._upload(path, convert.from_pandas(frame), options))

    def from_arrow(self, /, path: str, table: pyarrow.Table, **options: Any) -> Op[Version]:
        """Import a pyarrow Table's rows into the dataset at ``path`` (created if needed)."""
        from evalsets.sdk import convert

        return (yield from self._upload(path, convert.from_arrow(table), options))

    def from_hf(self, /, path: str, data: hf.Dataset, **options: Any) -> Op[Version]:
        """Import a Hugging Face Dataset into the dataset at ``path`` (created if needed)."""
        from evalsets.sdk import convert

        return (yield from self._upload(path, convert.from_hf(data), options))
