"""Datapoints: set-based and row-based writes, imports, and reads of any version or moment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from functools import partial
from itertools import chain, islice
from typing import Any, Literal

from sqlalchemy import Connection

from evalsets.core import buckets, cursors, planning, resolve
from evalsets.core import content as content_mod
from evalsets.core.changes import Add, Change, Remove, Update
from evalsets.core.content import Record
from evalsets.core.current import Current
from evalsets.core.datasets import DatasetFields, new_dataset_values
from evalsets.core.errors import InvalidInput, NameTaken, NotFound, VersionCommitted
from evalsets.core.ids import uuid7_batch
from evalsets.core.model import (
    ChangedDatapoint,
    Datapoint,
    DatapointRevision,
    Dataset,
    Diff,
    Page,
    RawPage,
    Snapshot,
    Version,
    VersionStatus,
    WriteResult,
)
from evalsets.core.validation import (
    RecordValidator,
    check_object,
    clean_path,
    clean_version_name,
)
from evalsets.core.versioning import (
    Target,
    VersionMeta,
    apply_changes,
    check_head,
    draft_target,
    finish,
    new_version_target,
)
from evalsets.store import datasets as repo
from evalsets.store import revisions, rows, writer
from evalsets.store.datasets import DatasetState, VersionState
from evalsets.store.revisions import Query
from evalsets.store.schema import OPEN_SEQ
from evalsets.store.store import Store

Action = Literal["set", "add", "remove"]
MAX_PAGE = 10_000
IMPORT_CHUNK = 5_000
ANALYZE_AFTER = 100_000
"""Imports at least this large refresh the planner's statistics (PostgreSQL)."""
_END = object()


def _normalized(records: Iterable[object], validate: RecordValidator) -> list[Record]:
    result = []
    for index, record in enumerate(records):
        content = content_mod.normalize(record)
        validate(content, index)
        result.append(content)
    return result


Edit = Callable[[Record], object]
"""A datapoint's new content as a function of its current content."""
Planner = Callable[[Current], Sequence[Change]]
"""A change set made from the dataset as it is in the write transaction."""


def _patched(patch: object, old: Record) -> Record:
    """``old`` with the top-level keys of ``patch`` (a null removes a key)."""
    if not isinstance(patch, dict):
        raise InvalidInput("a datapoint must be a JSON object")
    return content_mod.merge(old, patch)


def _replaced(record: object, old: Record) -> object:
    """The new content of a replacement (it must be an object)."""
    if not isinstance(record, dict):
        raise InvalidInput("a datapoint must be a JSON object")
    return record


def _meta(meta: VersionMeta) -> VersionMeta:
    check_object(meta.attributes, "attributes")
    if meta.name is not None:
        return VersionMeta(
            commit=meta.commit,
            message=meta.message,
            name=clean_version_name(meta.name),
            description=meta.description,
            attributes=meta.attributes,
            author=meta.author,
        )
    return meta


class Data:
    """Reads and writes of datapoints."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- set-based writes ---------------------------------------------------------------

    def upsert(
        self,
        project_id: int,
        *,
        records: Sequence[object],
        dataset_id: str | None = None,
        path: str | None = None,
        action: Action = "set",
        version_id: str | None = None,
        environment: str | None = None,
        meta: VersionMeta | None = None,
        expected_head: str | None = None,
        fields: DatasetFields | None = None,
    ) -> tuple[Dataset, WriteResult]:
        """Humanloop's upsert: create the dataset if needed, then a version from a base ± records.

        Identical content gives no new version; ``add`` of nothing new and ``remove`` of
        nothing present give none either. ``commit`` of an identical, committed version is
        VersionCommitted; of an identical uncommitted one, commits it. A dataset this upsert
        creates (by path) has no base: ``add`` to it is a ``set``, ``remove`` an empty ``set``,
        so it always gets its first version (decided under the dataset's lock: an upsert that
        finds the path taken meanwhile adds to that dataset).
        """
        meta = _meta(meta or VersionMeta())
        if action not in ("set", "add", "remove"):
            raise InvalidInput("action must be one of set, add, remove", field="action")
        with self.store.write() as conn:
            state, created = self._locate(conn, project_id, dataset_id, path, fields, meta.author)
            if created and action != "set":
                records = records if action == "add" else []
                action = "set"
            validate = RecordValidator(state.dataset.schema)
            contents = _normalized(records, validate)
            check_head(conn, state, expected_head)
            if action == "set":
                base = repo.newest_version(conn, state)
            else:
                base = resolve.base_version(
                    conn,
                    state,
                    version_id=version_id,
                    environment=environment,
                    prefer_deployed=True,
                )
            base_seq = base.version.seq if base else 0
            plan = {
                "set": planning.plan_set,
                "add": planning.plan_add,
                "remove": planning.plan_remove,
            }
            changes = plan[action](conn, state.pk, base_seq, contents)
            if not changes and base is not None:
                result = self._unchanged(conn, state, base, meta)
                return repo.load_by_pk(conn, state.pk).dataset, result
            version, added = apply_changes(
                conn, state, new_version_target(state, base), changes, meta
            )
            return repo.load_by_pk(conn, state.pk).dataset, WriteResult(version, True, added)

    def _locate(
        self,
        conn: Connection,
        project_id: int,
        dataset_id: str | None,
        path: str | None,
        fields: DatasetFields | None,
        author: str | None,
    ) -> tuple[DatasetState, bool]:
        """The dataset of an upsert, locked, and whether this upsert created it."""
        if dataset_id:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            if path is not None and clean_path(path) != state.dataset.path:
                values = {"path": clean_path(path), "name": clean_path(path).rsplit("/", 1)[-1]}
                state = repo.update_dataset(conn, state.pk, values)
            return state, False
        if path is None:
            raise InvalidInput("either a dataset id or a path is required", field="path")
        found = repo.find_by_path(conn, project_id, clean_path(path), lock=True)
        if found is not None:
            return found, False
        values = new_dataset_values(project_id, path, fields or DatasetFields(), author)
        try:
            return repo.insert_dataset(conn, values), True
        except NameTaken:
            # Another writer created the path since the lookup: upsert into its dataset.
            found = repo.find_by_path(conn, project_id, clean_path(path), lock=True)
            if found is None:
                raise
            return found, False

    @staticmethod
    def _unchanged(
        conn: Connection, state: DatasetState, base: VersionState, meta: VersionMeta
    ) -> WriteResult:
        version: Version = base.version
        if meta.commit:
            if version.status is VersionStatus.COMMITTED:
                raise VersionCommitted(f"version {version.id} is already committed")
            from evalsets.core.datasets import commit_version

            version = commit_version(
                conn,
                state,
                version.id,
                message=meta.message,
                name=meta.name,
                description=meta.description,
            )
        return WriteResult(version, False, [])

    # --- change-set writes --------------------------------------------------------------

    def write(
        self,
        project_id: int,
        dataset_id: str,
        changes: Sequence[Change],
        *,
        new_version: bool = False,
        base_version_id: str | None = None,
        meta: VersionMeta | None = None,
        expected_head: str | None = None,
        force: bool = False,
    ) -> WriteResult:
        """Apply a change set to the draft (default) or as a new version on a base.

        With no changes nothing is written (unless ``force``) and the current version is
        returned with ``created=False``.
        """
        return self.planned(
            project_id,
            dataset_id,
            lambda _: changes,
            new_version=new_version,
            base_version_id=base_version_id,
            meta=meta,
            expected_head=expected_head,
            force=force,
        )

    def planned(
        self,
        project_id: int,
        dataset_id: str,
        plan: Planner,
        *,
        new_version: bool = False,
        base_version_id: str | None = None,
        meta: VersionMeta | None = None,
        expected_head: str | None = None,
        force: bool = False,
    ) -> WriteResult:
        """``write`` of the change set ``plan`` makes from the dataset as it is now.

        ``plan`` reads the datapoints at the write's base in the write transaction, under the
        dataset's lock: no write comes in between, so a change made from what it read undoes
        none (a read-modify-write made from an earlier read could).
        """
        meta = _meta(meta or VersionMeta())
        with self.store.write() as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            check_head(conn, state, expected_head)
            target = self._target(conn, state, new_version, base_version_id)
            changes = plan(Current(conn, state.pk, target.base_seq))
            checked = self._checked(conn, state, target, changes)
            if not checked and not force:
                found = target.draft or target.base
                if found is None:
                    raise NotFound("version", dataset_id)
                return WriteResult(found.version, False, [])
            version, added = apply_changes(conn, state, target, checked, meta)
            return WriteResult(version, target.draft is None, added)

    @staticmethod
    def _target(
        conn: Connection, state: DatasetState, new_version: bool, base_version_id: str | None
    ) -> Target:
        if not new_version:
            return draft_target(conn, state)
        base = (
            repo.load_version(conn, state, base_version_id)
            if base_version_id
            else repo.newest_version(conn, state)
        )
        return new_version_target(state, base)

    @staticmethod
    def _checked(
        conn: Connection, state: DatasetState, target: Target, changes: Sequence[Change]
    ) -> list[Change]:
        """Validate contents, fail on unknown ids, drop updates that change nothing."""
        validate = RecordValidator(state.dataset.schema)
        edited = [c.id for c in changes if not isinstance(c, Add)]
        uids = [u for u in (rows.id_to_uid(i) for i in edited) if u is not None]
        live = revisions.live_rows(conn, state.pk, target.base_seq, uids) if uids else {}
        result: list[Change] = []
        for index, change in enumerate(changes):
            if isinstance(change, Add | Update):
                validate(change.content, index)
            if isinstance(change, Add):
                result.append(change)
                continue
            uid = rows.id_to_uid(change.id)
            row = live.get(uid) if uid else None
            if row is None:
                raise NotFound("datapoint", change.id)
            if isinstance(change, Update) and row.content_hash == change.content_hash:
                continue
            result.append(change)
        return result

    def add(
        self, project_id: int, dataset_id: str, records: Sequence[object], **options: Any
    ) -> WriteResult:
        """Row-based: add datapoints (duplicates allowed) to the draft or a new version."""
        contents = [content_mod.normalize(r) for r in records]
        changes = [Add(c, content_mod.content_hash(c)) for c in contents]
        return self.write(project_id, dataset_id, changes, **options)

    def update(
        self,
        project_id: int,
        dataset_id: str,
        updates: Sequence[tuple[str, object]],
        *,
        merge: bool = False,
        ignore_missing: bool = False,
        **options: Any,
    ) -> WriteResult:
        """Row-based: replace (or, with ``merge``, patch) datapoints by id."""
        if not merge and not ignore_missing:
            changes: list[Change] = []
            for ident, record in updates:
                new = content_mod.normalize(record)
                changes.append(Update(ident, new, content_mod.content_hash(new)))
            return self.write(project_id, dataset_id, changes, **options)
        edits = [
            (ident, partial(_patched if merge else _replaced, record)) for ident, record in updates
        ]
        result, _ = self.edit(
            project_id, dataset_id, edits, ignore_missing=ignore_missing, **options
        )
        return result

    def edit(
        self,
        project_id: int,
        dataset_id: str,
        edits: Sequence[tuple[str, Edit]],
        *,
        ignore_missing: bool = False,
        **options: Any,
    ) -> tuple[WriteResult, list[str]]:
        """Row-based: each datapoint's new content, made by its edit from its current content.

        The edits run in the write transaction (a write of the same datapoints that came
        first is seen, never undone). Unknown ids are NotFound, or skipped with
        ``ignore_missing``. Returns the result and the ids edited.
        """
        edited: list[str] = []

        def plan(now: Current) -> list[Change]:
            current = now.get([i for i, _ in edits])
            edited.clear()
            changes: list[Change] = []
            for ident, change in edits:
                old = current.get(ident)
                if old is None:
                    if ignore_missing:
                        continue
                    raise NotFound("datapoint", ident)
                new = content_mod.normalize(change(old.content))
                changes.append(Update(ident, new, content_mod.content_hash(new)))
                edited.append(ident)
            return changes

        return self.planned(project_id, dataset_id, plan, **options), edited

    def remove(
        self,
        project_id: int,
        dataset_id: str,
        ids: Sequence[str],
        *,
        ignore_missing: bool = False,
        **options: Any,
    ) -> tuple[WriteResult, list[str], list[str]]:
        """Row-based: remove datapoints by id; returns the result, removed and missing ids."""
        wanted = list(dict.fromkeys(ids))
        present: list[str] = []
        missing: list[str] = []

        def plan(now: Current) -> list[Change]:
            current = now.get(wanted)
            present[:] = [i for i in wanted if i in current]
            missing[:] = [i for i in wanted if i not in current]
            if missing and not ignore_missing:
                raise NotFound("datapoint", missing[0])
            return [Remove(i) for i in present]

        result = self.planned(project_id, dataset_id, plan, **options)
        return result, present, missing

    def restore(
        self, project_id: int, dataset_id: str, version_id: str, meta: VersionMeta | None = None
    ) -> WriteResult:
        """A new version whose contents equal an old version's."""
        meta = meta or VersionMeta(commit=True, message=f"Restore {version_id}")
        return self.write(
            project_id,
            dataset_id,
            [],
            new_version=True,
            base_version_id=version_id,
            meta=VersionMeta(
                commit=meta.commit,
                message=meta.message,
                name=meta.name,
                description=meta.description,
                attributes={**meta.attributes, "restored_from": version_id},
                author=meta.author,
            ),
            force=True,
        )

    # --- streaming import ---------------------------------------------------------------

    def import_records(
        self,
        project_id: int,
        dataset_id: str,
        records: Iterable[object],
        *,
        replace: bool = False,
        into_draft: bool = False,
        meta: VersionMeta | None = None,
        expected_head: str | None = None,
    ) -> WriteResult:
        """Stream records into one new version (or the draft), in chunks, in one transaction.

        Memory stays bounded by the chunk size; a failure anywhere leaves nothing behind.
        """
        meta = _meta(meta or VersionMeta())
        iterator = iter(records)
        first = next(iterator, _END)
        with self.store.write(bulk=True) as conn:
            state = repo.load(conn, project_id, dataset_id, lock=True)
            check_head(conn, state, expected_head)
            validate = RecordValidator(state.dataset.schema)
            target = (
                draft_target(conn, state)
                if into_draft
                else new_version_target(state, repo.newest_version(conn, state))
            )
            if first is _END and not replace:
                current = target.draft or target.base
                if current is None:
                    raise InvalidInput("nothing to import")
                return WriteResult(current.version, False, [])
            writer.rebase(conn, state.pk, target.base_seq, state.head_seq, target.new_seq)
            counts, size = target.counts(), target.count()
            if replace:
                writer.close_all_open(conn, state.pk, target.new_seq)
                counts, size = buckets.empty(), 0
            start = state.next_ordinal
            stream = chain([first], iterator) if first is not _END else iterator
            stop = self._stream_rows(conn, state.pk, target.new_seq, start, stream, validate)
            if stop - start >= ANALYZE_AFTER:
                revisions.refresh_statistics(conn)
            counts = buckets.add_range(counts, start, stop)
            version = finish(conn, state, target, counts, size + stop - start, stop, meta)
            return WriteResult(version, target.draft is None, [])

    @staticmethod
    def _stream_rows(
        conn: Connection,
        pk: int,
        seq: int,
        ordinal: int,
        records: Iterable[object],
        validate: RecordValidator,
    ) -> int:
        """Insert rows chunk by chunk; the next chunk is prepared while the last is written.

        The database works on one chunk (in a helper thread, outside the GIL for the most part)
        while this thread parses, validates and hashes the next: two cores for one import.
        """
        iterator = iter(records)
        done = 0
        with ThreadPoolExecutor(1, thread_name_prefix="evalsets-import") as pool:
            pending: Future[None] | None = None
            try:
                while chunk := list(islice(iterator, IMPORT_CHUNK)):
                    batch = _rows_of(chunk, pk, seq, ordinal, done, validate)
                    ordinal += len(chunk)
                    done += len(chunk)
                    if pending is not None:
                        pending.result()
                    pending = pool.submit(writer.insert_rows, conn, batch)
                if pending is not None:
                    pending.result()
            except BaseException:
                if pending is not None:
                    wait([pending])
                raise
        return ordinal

    # --- reads --------------------------------------------------------------------------

    def snapshot(
        self,
        project_id: int,
        dataset_id: str,
        *,
        version_id: str | None = None,
        environment: str | None = None,
        as_of: datetime | None = None,
        prefer_deployed: bool = False,
    ) -> Snapshot:
        """What a read of this version, environment or moment sees."""
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            snap, _ = resolve.snapshot(
                conn,
                state,
                version_id=version_id,
                environment=environment,
                as_of=as_of,
                prefer_deployed=prefer_deployed,
            )
            return snap

    def page(self, project_id: int, dataset_id: str, **options: Any) -> Page:
        """A page of datapoints in order: keyset (``cursor``) or ``offset`` paging.

        Options: version_id, environment, as_of, prefer_deployed (which state), limit, cursor
        or offset (where), field and value, search (which datapoints), with_total.
        """
        found, total, next_cursor = self._page_rows(project_id, dataset_id, **options)
        return Page([rows.datapoint(r) for r in found], total, next_cursor)

    def page_json(self, project_id: int, dataset_id: str, **options: Any) -> RawPage:
        """Like ``page``, with each datapoint as JSON bytes straight from storage."""
        found, total, next_cursor = self._page_rows(project_id, dataset_id, **options)
        return RawPage([json_object(r) for r in found], total, next_cursor)

    def _page_rows(
        self,
        project_id: int,
        dataset_id: str,
        *,
        version_id: str | None = None,
        environment: str | None = None,
        as_of: datetime | None = None,
        prefer_deployed: bool = False,
        limit: int = 100,
        cursor: str | None = None,
        offset: int | None = None,
        field: str | None = None,
        value: Any = None,
        search: str | None = None,
        with_total: bool = True,
    ) -> tuple[list[Any], int, str | None]:
        if not 0 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 0 and {MAX_PAGE}", field="limit")
        if offset is not None and offset < 0:
            raise InvalidInput("offset must not be negative", field="offset")
        query = Query(field=field, value=value, search=search)
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            snap, counts = resolve.snapshot(
                conn,
                state,
                version_id=version_id,
                environment=environment,
                as_of=as_of,
                prefer_deployed=prefer_deployed,
            )
            if snap.seq == 0:
                return [], 0, None
            if offset is not None:
                found = revisions.page_at_offset(
                    conn, state.pk, snap.seq, offset, limit, counts, query
                )
            else:
                after = cursors.decode(cursor) if cursor else -1
                found = revisions.page_after(conn, state.pk, snap.seq, after, limit, query)
            total = -1
            if with_total:
                if query.empty and snap.version is not None:
                    total = snap.version.datapoint_count
                else:
                    total = revisions.count(conn, state.pk, snap.seq, query)
            full = len(found) == limit and found
            next_cursor = cursors.encode(found[-1].ordinal) if full else None
            return found, total, next_cursor

    def get(
        self,
        project_id: int,
        dataset_id: str,
        datapoint_id: str,
        *,
        version_id: str | None = None,
        environment: str | None = None,
        as_of: datetime | None = None,
    ) -> Datapoint:
        """One datapoint as it is in a version (the newest by default)."""
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            snap, _ = resolve.snapshot(
                conn, state, version_id=version_id, environment=environment, as_of=as_of
            )
            uid = rows.id_to_uid(datapoint_id)
            found = revisions.live_rows(conn, state.pk, snap.seq, [uid]) if uid and snap.seq else {}
            if uid not in found:
                raise NotFound("datapoint", datapoint_id)
            return rows.datapoint(found[uid])

    def history(
        self, project_id: int, dataset_id: str, datapoint_id: str
    ) -> list[DatapointRevision]:
        """Every change of one datapoint, oldest first: created, updated, removed."""
        uid = rows.id_to_uid(datapoint_id)
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            found = revisions.history(conn, state.pk, uid) if uid else []
            if not found:
                raise NotFound("datapoint", datapoint_id)
            return _history_entries(conn, state, datapoint_id, found)

    def diff(
        self,
        project_id: int,
        dataset_id: str,
        base_version_id: str | None,
        target_version_id: str | None,
    ) -> Diff:
        """Datapoints added, removed and changed from one version to another (None: empty)."""
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            low = (
                repo.load_version(conn, state, base_version_id).version.seq
                if base_version_id
                else 0
            )
            high = (
                repo.load_version(conn, state, target_version_id).version.seq
                if target_version_id
                else 0
            )
            if low == high:
                return Diff(base_version_id, target_version_id)
            forward = low < high
            a, b = (low, high) if forward else (high, low)
            appeared = {bytes(r.uid): r for r in revisions.appeared_between(conn, state.pk, a, b)}
            vanished = {bytes(r.uid): r for r in revisions.vanished_between(conn, state.pk, a, b)}
            if not forward:
                appeared, vanished = vanished, appeared
            return _diff(base_version_id, target_version_id, vanished, appeared)

    def export_lines(self, project_id: int, dataset_id: str, **where: Any) -> Iterator[bytes]:
        """Every datapoint as a JSON Lines line (``{"id": …, …content}``), straight from storage.

        ``where``: version_id, environment, as_of or prefer_deployed, as for ``export``.
        """
        return (json_line(row) for row in self._live_rows(project_id, dataset_id, **where))

    def export(self, project_id: int, dataset_id: str, **where: Any) -> Iterator[Datapoint]:
        """Every datapoint of a version in order, streamed in batches from one snapshot.

        ``where``: version_id, environment, as_of (which state; the newest version by default)
        and prefer_deployed (default to the deployed version instead).
        """
        return (rows.datapoint(row) for row in self._live_rows(project_id, dataset_id, **where))

    def _live_rows(
        self,
        project_id: int,
        dataset_id: str,
        *,
        version_id: str | None = None,
        environment: str | None = None,
        as_of: datetime | None = None,
        prefer_deployed: bool = False,
    ) -> Iterator[Any]:
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            snap, _ = resolve.snapshot(
                conn,
                state,
                version_id=version_id,
                environment=environment,
                as_of=as_of,
                prefer_deployed=prefer_deployed,
            )
            if snap.seq:
                yield from revisions.iter_live(conn, state.pk, snap.seq, batch=5000)


def _rows_of(
    chunk: list[object], pk: int, seq: int, first: int, done: int, validate: RecordValidator
) -> list[writer.RowTuple]:
    """Revision rows for a chunk of records: the first gets ordinal ``first``; ``done``
    records of the import came before it (for error messages)."""
    uids = uuid7_batch(len(chunk))
    batch: list[writer.RowTuple] = []
    for offset, record in enumerate(chunk):
        try:
            content = content_mod.normalize(record)
            validate(content)
        except InvalidInput as exc:
            message = f"record {done + offset + 1}: {exc.message}"
            raise InvalidInput(message, field=exc.field, index=done + offset) from None
        digest = content_mod.content_hash(content)
        text = content_mod.dumps(content)
        batch.append((pk, uids[offset], first + offset, seq, OPEN_SEQ, digest, text))
    return batch


def json_object(row: Any) -> bytes:
    """A stored row as a JSON object with its id first, without re-encoding the content."""
    # Unpacked, not read by name: a row's attribute lookups cost more than the rest (pages of
    # thousands of rows). The order is the store's revision columns.
    _rid, uid, _ordinal, _from, _to, _hash, content = row
    text: bytes = content if isinstance(content, bytes) else content.encode()
    head: bytes = b'{"id":"dp_' + uid.hex().encode()
    return head + (b'"}' if text == b"{}" else b'",' + text[1:])


def json_line(row: Any) -> bytes:
    """A stored row as one JSON Lines line."""
    return json_object(row) + b"\n"


def _history_entries(
    conn: Connection, state: DatasetState, ident: str, found: list[Any]
) -> list[DatapointRevision]:
    seqs = [r.from_seq for r in found] + [r.to_seq for r in found if r.to_seq != OPEN_SEQ]
    times = repo.change_times(conn, state, seqs)
    by_seq: dict[int, DatapointRevision] = {}
    for index, row in enumerate(found):
        at, author, version = times.get(row.from_seq, (state.dataset.created_at, None, None))
        op: Literal["created", "updated", "removed"] = "created" if index == 0 else "updated"
        by_seq[row.from_seq] = DatapointRevision(
            ident, row.from_seq, at, author, op, content_mod.loads(row.content), version
        )
        follows = found[index + 1].from_seq if index + 1 < len(found) else None
        if row.to_seq != OPEN_SEQ and row.to_seq != follows:
            at, author, version = times.get(row.to_seq, (state.dataset.updated_at, None, None))
            by_seq[row.to_seq] = DatapointRevision(
                ident, row.to_seq, at, author, "removed", None, version
            )
    return [by_seq[s] for s in sorted(by_seq)]


def _diff(
    base: str | None, target: str | None, vanished: dict[bytes, Any], appeared: dict[bytes, Any]
) -> Diff:
    added, removed, changed = [], [], []
    for uid, row in appeared.items():
        old = vanished.get(uid)
        if old is None:
            added.append(rows.datapoint(row))
        elif old.content_hash != row.content_hash:
            before, after = content_mod.loads(old.content), content_mod.loads(row.content)
            changed.append(
                ChangedDatapoint(
                    rows.uid_to_id(uid), before, after, content_mod.changed_fields(before, after)
                )
            )
    removed = [rows.datapoint(row) for uid, row in vanished.items() if uid not in appeared]
    added.sort(key=lambda d: d.ordinal)
    removed.sort(key=lambda d: d.ordinal)
    return Diff(base, target, added, removed, changed)
