"""Item writes: each changing write is one new committed version (one PostHog revision).

Item-level optimistic concurrency (``base_version``) sits on the core's dataset-level check:
the item's history is read, then the write names the head version it saw
(``expected_head``); if anything was written in between, the whole step is retried. A new
item without ``client_item_id`` reads nothing first, so it names no head (it never has to
retry, however busy the dataset).
Archiving removes the datapoint from the dataset (history keeps it); restoring adds it back with
the same id. ``client_item_id`` makes the item id a UUIDv5 of (dataset, client id), so a repeated
create finds the item by id.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from evalsets.core.changes import Add, Change, Remove, Update
from evalsets.core.content import Record, content_hash, normalize
from evalsets.core.errors import NotFound, StaleVersion
from evalsets.core.items import ItemVersion
from evalsets.core.versioning import VersionMeta
from evalsets.http.posthog import mapping
from evalsets.http.posthog.context import Ctx
from evalsets.http.posthog.errors import conflict, invalid

TRIES = 8
T = TypeVar("T")


def _retrying(step: Callable[[], T]) -> T:
    """Run ``step`` until no other write came in between (``TRIES`` times at most, with a
    short random pause after each miss so that writers in step part ways)."""
    for attempt in range(TRIES - 1):
        try:
            return step()
        except StaleVersion:
            time.sleep(random.uniform(0, 0.002 * 2**attempt))
    return step()


def _head(ctx: Ctx, dataset_id: str) -> str | None:
    newest = ctx.engine.datasets.newest(ctx.project_id, dataset_id)
    return newest.id if newest else None


def _commit(ctx: Ctx, dataset_id: str, changes: Sequence[Change], head: str | None) -> list[str]:
    result = ctx.engine.data.write(
        ctx.project_id,
        dataset_id,
        changes,
        new_version=True,
        meta=VersionMeta(commit=True, author=ctx.author),
        expected_head=head,
    )
    return result.datapoint_ids


def history(ctx: Ctx, dataset_id: str, item_id: str) -> list[ItemVersion]:
    """An item's versions, oldest first; NotFound if it never was in the dataset."""
    found = ctx.items.histories(ctx.project_id, dataset_id, [item_id]).get(item_id)
    if not found:
        raise NotFound("datapoint", item_id)
    return found


def writable(ctx: Ctx, dataset_id: str) -> None:
    """An archived dataset takes no item writes."""
    if not ctx.engine.datasets.get(ctx.project_id, dataset_id).active:
        raise conflict("dataset_archived", "This dataset is archived; restore it first.")


def _content(base: Record, fields: dict[str, Any]) -> Record:
    return normalize(mapping.apply(base, fields))


def create(
    ctx: Ctx, dataset_id: str, fields: dict[str, Any], *, deleted: bool = False
) -> tuple[str, bool]:
    """A new item (or, with a known ``client_item_id``, the existing one); (id, created)."""
    writable(ctx, dataset_id)
    content = _content({}, fields)
    client_id = fields.get("client_item_id")
    fixed = mapping.client_item_datapoint(dataset_id, client_id) if client_id else None

    def step() -> tuple[str, bool]:
        head = None
        if fixed is not None:  # the lookup of the client's id must still hold at the write
            head = _head(ctx, dataset_id)
            known = ctx.items.histories(ctx.project_id, dataset_id, [fixed]).get(fixed)
            if known:
                _same_client_item(known[-1], content)
                return fixed, False
        ids = _commit(ctx, dataset_id, [Add(content, content_hash(content), id=fixed)], head)
        return ids[0], True

    ident, created = _retrying(step)
    if created and deleted:
        _retrying(lambda: _commit(ctx, dataset_id, [Remove(ident)], _head(ctx, dataset_id)))
    return ident, created


def _same_client_item(current: ItemVersion, content: Record) -> None:
    if current.removed:
        raise conflict(
            "client_item_id_conflict", "An archived item already uses this client_item_id."
        )
    if content_hash(current.content) != content_hash(content):
        raise conflict(
            "client_item_id_conflict",
            "An item with this client_item_id exists with different content.",
            current_item_id=mapping.item_uuid(current.datapoint_id),
            current_version=current.number,
        )


def _check_base(entry: ItemVersion, base_version: int | None) -> None:
    if base_version is not None and base_version != entry.number:
        raise conflict(
            "stale_version",
            f"The item is at version {entry.number}, not {base_version}.",
            current_version=entry.number,
            current_item_id=mapping.item_uuid(entry.datapoint_id),
        )


def update(
    ctx: Ctx,
    dataset_id: str,
    item_id: str,
    fields: dict[str, Any],
    *,
    base_version: int | None = None,
    deleted: bool | None = None,
) -> None:
    """Change an item's content and/or its deleted state (one version per change)."""
    writable(ctx, dataset_id)

    def step() -> None:
        head = _head(ctx, dataset_id)
        current = history(ctx, dataset_id, item_id)[-1]
        _check_base(current, base_version)
        content = _content(current.content, fields)
        changed = content_hash(content) != content_hash(current.content)
        if current.removed:
            if base_version is not None and fields:
                raise conflict("item_archived", "This item is archived; restore it first.")
            if deleted is False or changed:
                _commit(ctx, dataset_id, [_revive(item_id, content)], head)
                if deleted is not False:  # edited while deleted: it stays deleted
                    _commit(ctx, dataset_id, [Remove(item_id)], None)
            return
        if changed:
            _commit(ctx, dataset_id, [Update(item_id, content, content_hash(content))], head)
            head = None
        if deleted:
            _commit(ctx, dataset_id, [Remove(item_id)], head)

    _retrying(step)


def _revive(item_id: str, content: Record) -> Add:
    return Add(content, content_hash(content), id=item_id)


def archive(ctx: Ctx, dataset_id: str, item_id: str, base_version: int) -> None:
    """Take an item out of the dataset (a new version); its history stays."""
    writable(ctx, dataset_id)

    def step() -> None:
        head = _head(ctx, dataset_id)
        current = history(ctx, dataset_id, item_id)[-1]
        _check_base(current, base_version)
        if current.removed:
            raise conflict("item_archived", "This item is already archived.")
        _commit(ctx, dataset_id, [Remove(item_id)], head)

    _retrying(step)


def restore(
    ctx: Ctx, dataset_id: str, item_id: str, base_version: int, source_version: int | None
) -> None:
    """Put an archived item back, with its last content or that of ``source_version``."""
    writable(ctx, dataset_id)

    def step() -> None:
        head = _head(ctx, dataset_id)
        versions = history(ctx, dataset_id, item_id)
        current = versions[-1]
        _check_base(current, base_version)
        if not current.removed:
            raise conflict("item_not_archived", "This item is not archived.")
        source = current
        if source_version is not None:
            if source_version > len(versions):
                raise invalid("source_version", "This item version does not exist.")
            source = versions[source_version - 1]
        _commit(ctx, dataset_id, [_revive(item_id, source.content)], head)

    _retrying(step)
