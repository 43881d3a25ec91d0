"""``Client``: every operation of the native API (``/api/v1``) of an evalsets server."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx
import orjson

from evalsets.sdk.errors import EvalsetsConnectionError, NotFound, error_of
from evalsets.sdk.models import Dataset, Deployment, Diff, Page, Record, Version
from evalsets.sdk.sources import Row, record_rows

if TYPE_CHECKING:
    import datasets as hf
    import pandas
    import pyarrow

DatasetRef = str | Dataset
ExportFormat = Literal["ndjson", "csv", "parquet"]
PAGE_SIZE = 1000


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


def export_format_of(path: Path) -> ExportFormat:
    """The export format for a file name: .csv, .parquet, else JSON Lines."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "ndjson"


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class Client:
    """A client of one evalsets server and API key.

    ``url`` and ``key`` default to ``EVALSETS_URL`` and ``EVALSETS_API_KEY``. Datasets are
    named by ``ds_`` id, by path (``team/qa``) or by a :class:`Dataset`.
    """

    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        *,
        timeout: float = 300.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        url = url or os.environ.get("EVALSETS_URL") or "http://127.0.0.1:8000"
        key = key if key is not None else os.environ.get("EVALSETS_API_KEY", "")
        self.url = url.rstrip("/")
        headers = {"user-agent": "evalsets-python"}
        if key:
            headers["authorization"] = f"Bearer {key}"
        self._http = httpx.Client(
            base_url=f"{self.url}/api/v1", headers=headers, timeout=timeout, transport=transport
        )
        self._ids: dict[str, str] = {}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; error answers raise the typed error of their code."""
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise EvalsetsConnectionError(f"cannot reach {self.url}: {exc}") from exc
        if response.is_error:
            raise error_of(response)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.request(method, path, **kwargs).json()

    # --- identity, projects, keys, environments -----------------------------------------

    def me(self) -> dict[str, Any]:
        """The calling key (id, project, scopes)."""
        found: dict[str, Any] = self._json("GET", "/me")
        return found

    def projects(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/projects")["items"])

    def create_project(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self._json("POST", "/projects", json={"name": name})
        return found

    def keys(self, project_id: int) -> list[dict[str, Any]]:
        return list(self._json("GET", f"/projects/{project_id}/keys")["items"])

    def create_key(
        self, project_id: int, name: str, scopes: list[str] | None = None
    ) -> dict[str, Any]:
        """A new key; its secret is in ``["key"]`` (shown once)."""
        body = _clean({"name": name, "scopes": scopes})
        found: dict[str, Any] = self._json("POST", f"/projects/{project_id}/keys", json=body)
        return found

    def revoke_key(self, project_id: int, key_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._json("DELETE", f"/projects/{project_id}/keys/{key_id}")
        return found

    def environments(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/environments")["items"])

    def create_environment(self, name: str, *, default: bool = False) -> dict[str, Any]:
        body = {"name": name, "is_default": default}
        found: dict[str, Any] = self._json("POST", "/environments", json=body)
        return found

    # --- datasets ------------------------------------------------------------------------

    def datasets(
        self,
        *,
        search: str | None = None,
        tags: list[str] | None = None,
        sort_by: str = "path",
        order: str = "asc",
        page_size: int = 100,
    ) -> Iterator[Dataset]:
        """Every dataset of the key's project, paged transparently."""
        offset = 0
        while True:
            params = _clean(
                {
                    "search": search,
                    "tag": tags,
                    "sort_by": sort_by,
                    "order": order,
                    "limit": page_size,
                    "offset": offset,
                }
            )
            body = self._json("GET", "/datasets", params=params)
            for item in body["items"]:
                yield Dataset.from_json(item)
            offset += len(body["items"])
            if not body["items"] or offset >= body["total"]:
                return

    def dataset_id(self, ref: DatasetRef) -> str:
        """The ``ds_`` id of a dataset named by id, path or object (NotFound if none)."""
        found = _id(ref)
        if found:
            return found
        assert isinstance(ref, str)
        path = ref.strip("/")
        if path not in self._ids:
            name = path.rsplit("/", 1)[-1]
            offset = 0
            while path not in self._ids:
                params = {"name": name, "limit": 1000, "offset": offset}
                body = self._json("GET", "/datasets", params=params)
                for item in body["items"]:
                    self._ids[item["path"]] = item["id"]
                offset += len(body["items"])
                if not body["items"] or offset >= body["total"]:
                    break
            if path not in self._ids:
                raise NotFound(404, "not_found", f"no dataset at path {path!r}", {"path": path})
        return self._ids[path]

    def find_dataset(self, ref: DatasetRef) -> Dataset | None:
        """The dataset, or None when there is none at that id or path."""
        try:
            return self.dataset(ref)
        except NotFound:
            return None

    def dataset(self, ref: DatasetRef) -> Dataset:
        """One dataset, with where it is deployed."""
        return Dataset.from_json(self._json("GET", f"/datasets/{self.dataset_id(ref)}"))

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
    ) -> Dataset:
        """A new, empty dataset at ``path`` (NameTaken if the path is used)."""
        body = _clean(
            {
                "path": path,
                "description": description,
                "tags": tags,
                "attributes": attributes,
                "schema": schema,
                "type": type,
                "readme": readme,
            }
        )
        ds = Dataset.from_json(self._json("POST", "/datasets", json=body))
        self._ids[ds.path] = ds.id
        return ds

    def ensure_dataset(self, path: str, **fields: Any) -> Dataset:
        """The dataset at ``path``, created (with ``fields``) if there is none."""
        found = self.find_dataset(path)
        return found if found is not None else self.create_dataset(path, **fields)

    def update_dataset(self, ref: DatasetRef, **changes: Any) -> Dataset:
        """Change a dataset: ``path`` (move), ``name`` (rename), ``description``, ``tags``…"""
        ds = Dataset.from_json(
            self._json("PATCH", f"/datasets/{self.dataset_id(ref)}", json=changes)
        )
        self._ids = {p: i for p, i in self._ids.items() if i != ds.id}
        return ds

    def move_dataset(self, ref: DatasetRef, path: str) -> Dataset:
        return self.update_dataset(ref, path=path)

    def delete_dataset(self, ref: DatasetRef) -> None:
        ident = self.dataset_id(ref)
        self.request("DELETE", f"/datasets/{ident}")
        self._ids = {p: i for p, i in self._ids.items() if i != ident}

    # --- versions ------------------------------------------------------------------------

    def versions(self, ref: DatasetRef, *, statuses: list[str] | None = None) -> list[Version]:
        """Versions newest first (like ``git log``)."""
        params = {"status": statuses} if statuses else None
        body = self._json("GET", f"/datasets/{self.dataset_id(ref)}/versions", params=params)
        return [Version.from_json(v) for v in body["items"]]

    def version(self, ref: DatasetRef, version_id: str) -> Version:
        path = f"/datasets/{self.dataset_id(ref)}/versions/{version_id}"
        return Version.from_json(self._json("GET", path))

    def newest_version(self, ref: DatasetRef) -> Version | None:
        found = self.versions(ref)
        return found[0] if found else None

    def resolve_version(self, ref: DatasetRef, spec: str | None) -> Version | None:
        """A version from an id, a number (``3`` or ``v3``), a name or an environment.

        None (or ``""``) means the newest version; None is returned for a dataset with none.
        """
        versions = self.versions(ref)
        if not spec:
            return versions[0] if versions else None
        number = spec[1:] if spec[:1] in "vV" and spec[1:].isdigit() else spec
        for version in versions:
            if spec == version.id or (number.isdigit() and int(number) == version.number):
                return version
        for version in versions:
            if version.name == spec:
                return version
        for deployment in self.deployments(ref):
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
    ) -> Version:
        """A set-based write; ``created`` is False when nothing changed."""
        body = _clean(
            {
                "datapoints": datapoints,
                "action": action,
                "base_version_id": base_version_id,
                "commit": commit,
                "message": message,
                "name": name,
                "description": description,
                "attributes": attributes,
                "expected_head": expected_head,
            }
        )
        path = f"/datasets/{self.dataset_id(ref)}/versions"
        return Version.from_json(self._json("POST", path, json=body))

    def update_version(self, ref: DatasetRef, version_id: str, **changes: Any) -> Version:
        """Change a version's ``name``, ``description`` or ``attributes``."""
        path = f"/datasets/{self.dataset_id(ref)}/versions/{version_id}"
        return Version.from_json(self._json("PATCH", path, json=changes))

    def delete_version(self, ref: DatasetRef, version_id: str) -> None:
        self.request("DELETE", f"/datasets/{self.dataset_id(ref)}/versions/{version_id}")

    def commit(
        self,
        ref: DatasetRef,
        version_id: str | None = None,
        *,
        message: str | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> Version:
        """Commit the draft (or the given uncommitted version)."""
        body = _clean({"message": message, "name": name, "description": description})
        base = f"/datasets/{self.dataset_id(ref)}"
        path = f"{base}/versions/{version_id}/commit" if version_id else f"{base}/commit"
        return Version.from_json(self._json("POST", path, json=body))

    def restore(
        self,
        ref: DatasetRef,
        version_id: str,
        *,
        message: str | None = None,
        name: str | None = None,
        commit: bool = True,
    ) -> Version:
        """A new version equal to an old one."""
        body = _clean({"message": message, "name": name, "commit": commit})
        path = f"/datasets/{self.dataset_id(ref)}/versions/{version_id}/restore"
        return Version.from_json(self._json("POST", path, json=body))

    # --- deployments ---------------------------------------------------------------------

    def deployments(self, ref: DatasetRef) -> list[Deployment]:
        body = self._json("GET", f"/datasets/{self.dataset_id(ref)}/deployments")
        return [Deployment.from_json(d) for d in body["items"]]

    def deploy(self, ref: DatasetRef, environment: str, version_id: str) -> Deployment:
        """Point an environment (created if new) at a version."""
        path = f"/datasets/{self.dataset_id(ref)}/deployments/{environment}"
        return Deployment.from_json(self._json("PUT", path, json={"version_id": version_id}))

    def undeploy(self, ref: DatasetRef, environment: str) -> None:
        self.request("DELETE", f"/datasets/{self.dataset_id(ref)}/deployments/{environment}")

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
    ) -> Page:
        """One page of datapoints (``cursor`` or ``offset``)."""
        params = _clean(
            {
                **_at(version, environment),
                "limit": limit,
                "cursor": cursor,
                "offset": offset,
                "filter": filter,
                "search": search,
            }
        )
        body = self._json("GET", f"/datasets/{self.dataset_id(ref)}/datapoints", params=params)
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
    ) -> Iterator[Record]:
        """Every datapoint of a version (newest by default), paging by cursor."""
        ident = self.dataset_id(ref)
        cursor: str | None = None
        while True:
            found = self.page(
                ident,
                version=version,
                environment=environment,
                limit=page_size,
                cursor=cursor,
                filter=filter,
                search=search,
            )
            yield from found.items
            cursor = found.next_cursor
            if cursor is None:
                return

    def datapoint(
        self,
        ref: DatasetRef,
        datapoint_id: str,
        *,
        version: str | None = None,
        environment: str | None = None,
    ) -> Record:
        path = f"/datasets/{self.dataset_id(ref)}/datapoints/{datapoint_id}"
        found: Record = self._json("GET", path, params=_at(version, environment))
        return found

    def add(
        self,
        ref: DatasetRef,
        datapoints: list[Record],
        *,
        new_version: bool = False,
        commit: bool = False,
        message: str | None = None,
        name: str | None = None,
    ) -> tuple[Version, list[str]]:
        """Add datapoints to the draft; returns the version and the new ids."""
        body = _clean(
            {
                "datapoints": datapoints,
                "new_version": new_version,
                "commit": commit,
                "message": message,
                "name": name,
            }
        )
        found = self._json("POST", f"/datasets/{self.dataset_id(ref)}/datapoints", json=body)
        return Version.from_json(found["version"]), list(found["ids"])

    def replace_datapoint(self, ref: DatasetRef, datapoint_id: str, content: Record) -> Record:
        path = f"/datasets/{self.dataset_id(ref)}/datapoints/{datapoint_id}"
        found: Record = self._json("PUT", path, json=content)
        return found

    def patch_datapoint(self, ref: DatasetRef, datapoint_id: str, changes: Record) -> Record:
        """Change top-level fields of a datapoint in the draft (None removes one)."""
        path = f"/datasets/{self.dataset_id(ref)}/datapoints/{datapoint_id}"
        found: Record = self._json("PATCH", path, json=changes)
        return found

    def delete_datapoints(self, ref: DatasetRef, ids: list[str]) -> dict[str, Any]:
        """Remove datapoints from the draft; ``missing`` lists unknown ids."""
        path = f"/datasets/{self.dataset_id(ref)}/datapoints/delete"
        found: dict[str, Any] = self._json("POST", path, json={"ids": ids})
        return found

    def history(self, ref: DatasetRef, datapoint_id: str) -> list[dict[str, Any]]:
        path = f"/datasets/{self.dataset_id(ref)}/datapoints/{datapoint_id}/history"
        return list(self._json("GET", path)["items"])

    def diff(self, ref: DatasetRef, base: str | None, target: str | None = None) -> Diff:
        """What changed from ``base`` (None: empty) to ``target`` (None: newest)."""
        params = _clean({"base": base, "target": target})
        return Diff.from_json(
            self._json("GET", f"/datasets/{self.dataset_id(ref)}/diff", params=params)
        )

    # --- streaming import and export -----------------------------------------------------

    def import_rows(
        self,
        ref: DatasetRef,
        rows: Iterable[Row] | Iterable[bytes],
        **options: Any,
    ) -> Version:
        """Stream rows (or single lines of JSON) as one JSON Lines body: all or nothing."""

        def body() -> Iterator[bytes]:
            batch: list[bytes] = []
            size = 0
            for row in rows:
                line = row.json if isinstance(row, Row) else row.rstrip(b"\n")
                batch.append(line)
                size += len(line)
                if size >= 1 << 20:
                    yield b"\n".join(batch) + b"\n"
                    batch, size = [], 0
            if batch:
                yield b"\n".join(batch) + b"\n"

        return self.import_bytes(ref, body(), **options)

    def import_bytes(
        self,
        ref: DatasetRef,
        chunks: Iterable[bytes],
        *,
        mode: Literal["append", "replace"] = "append",
        draft: bool = False,
        commit: bool = False,
        message: str | None = None,
        name: str | None = None,
    ) -> Version:
        """Stream JSON Lines bytes (any chunking) into one new version (or the draft)."""
        params = _clean(
            {
                "format": "ndjson",
                "mode": mode,
                "draft": draft,
                "commit": commit,
                "message": message,
                "name": name,
            }
        )
        path = f"/datasets/{self.dataset_id(ref)}/import"
        headers = {"content-type": "application/x-ndjson"}
        return Version.from_json(
            self._json("POST", path, params=params, content=iter(chunks), headers=headers)
        )

    def import_records(self, ref: DatasetRef, records: Iterable[Record], **options: Any) -> Version:
        """Stream records (dicts) into one new version (or the draft with ``draft=True``)."""
        return self.import_rows(ref, record_rows(records), **options)

    def import_file(self, ref: DatasetRef, path: str | Path, **options: Any) -> Version:
        """Import a JSON Lines, CSV or Parquet file, resumably; see ``evalsets.sdk.imports``."""
        from evalsets.sdk.imports import import_file

        return import_file(self, self.dataset_id(ref), Path(path), **options)

    def export(
        self,
        ref: DatasetRef,
        *,
        version: str | None = None,
        environment: str | None = None,
        format: ExportFormat = "ndjson",
        chunk_size: int = 1 << 16,
    ) -> Iterator[bytes]:
        """The bytes of an export (newest version by default), streamed."""
        params = {**_at(version, environment), "format": format}
        path = f"/datasets/{self.dataset_id(ref)}/export"
        try:
            with self._http.stream("GET", path, params=params) as response:
                if response.is_error:
                    response.read()
                    raise error_of(response)
                yield from response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise EvalsetsConnectionError(f"cannot reach {self.url}: {exc}") from exc

    def export_records(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> Iterator[Record]:
        """Every datapoint of a version as dicts, streamed (constant memory)."""
        pending = b""
        for chunk in self.export(ref, version=version, environment=environment):
            pending += chunk
            lines = pending.split(b"\n")
            pending = lines.pop()
            for line in lines:
                if line:
                    yield orjson.loads(line)
        if pending.strip():
            yield orjson.loads(pending)

    def export_file(
        self,
        ref: DatasetRef,
        path: str | Path,
        *,
        version: str | None = None,
        environment: str | None = None,
        format: ExportFormat | None = None,
    ) -> int:
        """Write an export to a file (format from the extension); returns the bytes written."""
        target = Path(path)
        chosen: ExportFormat = format or export_format_of(target)
        written = 0
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as out:
            for chunk in self.export(ref, version=version, environment=environment, format=chosen):
                out.write(chunk)
                written += len(chunk)
        partial.replace(target)
        return written

    # --- dataframes ----------------------------------------------------------------------

    def to_pandas(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> pandas.DataFrame:
        """A version as a pandas DataFrame (one column per top-level field; needs ``pandas``)."""
        from evalsets.sdk import convert

        return convert.to_pandas(self.export_records(ref, version=version, environment=environment))

    def to_arrow(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> pyarrow.Table:
        """A version as a pyarrow Table."""
        from evalsets.sdk import convert

        return convert.to_arrow(self.export_records(ref, version=version, environment=environment))

    def to_hf(
        self, ref: DatasetRef, *, version: str | None = None, environment: str | None = None
    ) -> hf.Dataset:
        """A version as a Hugging Face ``datasets.Dataset`` (needs the ``hf`` extra)."""
        from evalsets.sdk import convert

        return convert.to_hf(self.export_records(ref, version=version, environment=environment))

    def _upload(self, path: str, records: Iterable[Record], options: dict[str, Any]) -> Version:
        ds = self.ensure_dataset(path)
        options.setdefault("commit", True)
        return self.import_records(ds, records, **options)

    def from_pandas(self, path: str, frame: pandas.DataFrame, **options: Any) -> Version:
        """Import a DataFrame's rows into the dataset at ``path`` (created if needed)."""
        from evalsets.sdk import convert

        return self._upload(path, convert.from_pandas(frame), options)

    def from_arrow(self, path: str, table: pyarrow.Table, **options: Any) -> Version:
        """Import a pyarrow Table's rows into the dataset at ``path`` (created if needed)."""
        from evalsets.sdk import convert

        return self._upload(path, convert.from_arrow(table), options)

    def from_hf(self, path: str, data: hf.Dataset, **options: Any) -> Version:
        """Import a Hugging Face Dataset into the dataset at ``path`` (created if needed)."""
        from evalsets.sdk import convert

        return self._upload(path, convert.from_hf(data), options)

    def from_jsonl(self, path: str, file: str | Path, **options: Any) -> Version:
        """Import a JSON Lines file into the dataset at ``path`` (created if needed)."""
        ds = self.ensure_dataset(path)
        return self.import_file(ds, file, **options)
