"""Arize operations on the engine, shared by the REST routes and the Flight server."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from evalsets.core import content as content_mod
from evalsets.core import cursors
from evalsets.core.clock import utcnow
from evalsets.core.content import Record
from evalsets.core.datasets import DatasetFields
from evalsets.core.engine import Engine
from evalsets.core.errors import Conflict, EvalsetsError, InvalidInput, NotFound, StaleVersion
from evalsets.core.model import Datapoint, Dataset, VersionStatus, WriteResult
from evalsets.core.versioning import VersionMeta
from evalsets.http.arize import ids
from evalsets.http.arize.filters import Predicate
from evalsets.http.arize.mapping import (
    ANNOTATIONS,
    ATTRIBUTE,
    check_new_example,
    choose_expected_column,
    expected_column_of,
    merged,
    to_content,
)
from evalsets.http.arize.serializers import example

SCAN_BATCH = 1000


def new_dataset(
    engine: Engine, project_id: int, name: str, expected_column: str, author: str
) -> Dataset:
    """An empty dataset for Arize (409 if the name is taken in the space)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name must not be empty", field="name")
    fields = DatasetFields(attributes={ATTRIBUTE: {"expected_column": expected_column}})
    return engine.datasets.create(project_id, name, fields, author)


def contents_of(examples: list[Any], expected_column: str) -> list[dict[str, Any]]:
    """Checked datapoint contents of new examples (InvalidInput names the bad one)."""
    contents = []
    for index, item in enumerate(examples):
        content = content_mod.normalize(to_content(check_new_example(item, index), expected_column))
        content_mod.dumps(content)
        contents.append(content)
    return contents


def create_dataset(
    engine: Engine, project_id: int, name: str, examples: list[Any], author: str
) -> Dataset:
    """A dataset with its first (uncommitted) version holding the examples."""
    column = choose_expected_column(e for e in examples if isinstance(e, Mapping))
    contents = contents_of(examples, column)
    ds = new_dataset(engine, project_id, name, column, author)
    try:
        engine.data.add(project_id, ds.id, contents, meta=VersionMeta(author=author))
    except EvalsetsError:
        engine.datasets.delete(project_id, ds.id)
        raise
    return engine.datasets.get(project_id, ds.id)


def import_dataset(
    engine: Engine,
    project_id: int,
    name: str,
    expected_column: str,
    records: Iterable[dict[str, Any]],
    author: str,
) -> Dataset:
    """A dataset from a stream of contents, in one version; nothing is left if it fails."""
    ds = new_dataset(engine, project_id, name, expected_column, author)
    try:
        result = engine.data.import_records(
            project_id, ds.id, records, meta=VersionMeta(author=author)
        )
        if result.version.datapoint_count == 0:
            raise InvalidInput("a dataset needs at least one example", field="examples")
    except Exception:
        engine.datasets.delete(project_id, ds.id)
        raise
    return engine.datasets.get(project_id, ds.id)


def version_param(value: str | None, project_id: int) -> str | None:
    """A ``dsv_`` id, or None for an absent or empty ``dataset_version_id`` (the latest)."""
    if value is None or not value.strip():
        return None
    return ids.parse_version(value.strip(), project_id)


IN_PLACE = (
    "only the latest dataset version can be changed in place; "
    "pass new_version to write a new version"
)


def check_in_place(
    engine: Engine, project_id: int, dataset_id: str, version_id: str | None
) -> None:
    """In-place writes go to the latest version (its draft); an older one is a conflict.

    The write itself checks again (``expected_head``, under ``latest_only``): another write
    may make a newer version in between.
    """
    if version_id is None:
        return
    version = engine.datasets.version(project_id, dataset_id, version_id)
    if version.status is VersionStatus.DELETED:
        raise NotFound("dataset version", version_id)
    newest = engine.datasets.newest(project_id, dataset_id)
    if newest is None or newest.id != version.id:
        raise Conflict(IN_PLACE)


@contextmanager
def latest_only() -> Iterator[None]:
    """An in-place write whose version stopped being the latest before it was made: 409."""
    try:
        yield
    except StaleVersion:
        raise Conflict(IN_PLACE) from None


def append(
    engine: Engine,
    project_id: int,
    ds: Dataset,
    examples: list[Any],
    version_id: str | None,
    author: str,
) -> WriteResult:
    """New examples in the latest version's draft."""
    contents = contents_of(examples, expected_column_of(ds))
    check_in_place(engine, project_id, ds.id, version_id)
    meta = VersionMeta(author=author)
    with latest_only():
        return engine.data.add(project_id, ds.id, contents, meta=meta, expected_head=version_id)


def update_examples(
    engine: Engine,
    project_id: int,
    ds: Dataset,
    patches: list[tuple[str | None, dict[str, Any]]],
    version_id: str | None,
    new_version: str | None,
    author: str,
) -> tuple[WriteResult, list[str]]:
    """Patch examples by ``dp_`` id (None or unknown ids are ignored): in place or as a
    new version named ``new_version``; returns the result and the ids that matched.

    Each example's columns are merged in the write transaction, so a concurrent patch of
    other columns of the same example is kept.
    """
    column = expected_column_of(ds)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for native, patch in patches:
        if native is not None:
            by_id.setdefault(native, []).append(patch)

    def edit(found: list[dict[str, Any]]) -> Callable[[Record], Record]:
        def apply(old: Record) -> Record:
            for patch in found:
                old = merged(old, patch, column)
            return old

        return apply

    options: dict[str, Any] = {"meta": VersionMeta(name=new_version, author=author)}
    if new_version is not None:
        options.update(new_version=True, base_version_id=version_id, force=True)
    else:
        options.update(expected_head=version_id)
    edits = [(native, edit(found)) for native, found in by_id.items()]
    with latest_only():
        return engine.data.edit(project_id, ds.id, edits, ignore_missing=True, **options)


def annotate(
    engine: Engine,
    project_id: int,
    dataset_id: str,
    records: list[tuple[str, list[dict[str, Any]]]],
    author: str,
) -> None:
    """Upsert annotations by name on examples of the latest version; unknown ids ignored.

    The annotations are merged in the write transaction (concurrent writes are kept).
    """
    by_id: dict[str, list[list[dict[str, Any]]]] = {}
    for record_id, values in records:
        native = ids.parse_example(record_id)
        if native is not None:
            by_id.setdefault(native, []).append(values)

    def edit(found: list[list[dict[str, Any]]]) -> Callable[[Record], Record]:
        def apply(old: Record) -> Record:
            content = dict(old)
            for values in found:
                content[ANNOTATIONS] = _annotated(content.get(ANNOTATIONS), values)
            return content

        return apply

    if by_id:
        engine.data.edit(
            project_id,
            dataset_id,
            [(native, edit(found)) for native, found in by_id.items()],
            ignore_missing=True,
            meta=VersionMeta(author=author),
        )


def _annotated(current: object, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Annotations with ``values`` upserted by name (omitted fields of a value are kept)."""
    entries = [dict(a) for a in current if isinstance(a, dict)] if isinstance(current, list) else []
    by_name = {e.get("name"): e for e in entries}
    now = utcnow().isoformat().replace("+00:00", "Z")
    for value in values:
        entry = by_name.get(value["name"])
        if entry is None:
            entry = {"name": value["name"]}
            entries.append(entry)
            by_name[value["name"]] = entry
        entry.update(value)
        entry["updated_at"] = now
    return entries


def encode_cursor(ordinal: int) -> str:
    return base64.b64encode(f"Cursor:0:{cursors.encode(ordinal)}".encode()).decode()


def decode_cursor(value: str | None) -> str | None:
    if not value:
        return None
    parts = ids.decode(value)
    if parts is None or parts[0] != "Cursor":
        raise InvalidInput("invalid cursor", field="cursor")
    return parts[2]


def page_examples(
    engine: Engine,
    project_id: int,
    ds: Dataset,
    *,
    version_id: str | None,
    limit: int,
    cursor: str | None,
    predicate: Predicate | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of examples in creation order (filtered if asked), and the next cursor."""
    column = expected_column_of(ds)
    after = decode_cursor(cursor)
    found: list[tuple[Datapoint, dict[str, Any]]] = []
    while len(found) <= limit:
        size = limit + 1 if predicate is None else SCAN_BATCH
        page = engine.data.page(
            project_id, ds.id, version_id=version_id, limit=size, cursor=after, with_total=False
        )
        for dp in page.items:
            body = example(dp, column, ds.created_at)
            if predicate is None or predicate(body):
                found.append((dp, body))
        if len(page.items) < size or not page.items:
            break
        after = cursors.encode(page.items[-1].ordinal)
    items = found[:limit]
    more = len(found) > limit
    return [b for _, b in items], encode_cursor(items[-1][0].ordinal) if more else None


def export_examples(
    engine: Engine, project_id: int, ds: Dataset, version_id: str | None
) -> Iterator[dict[str, Any]]:
    """Every example of a version, streamed."""
    column = expected_column_of(ds)
    for dp in engine.data.export(project_id, ds.id, version_id=version_id):
        yield example(dp, column, ds.created_at)
