"""Datapoints as items with their own version history, found without naming their dataset.

An additive read API for dialects (PostHog) whose items carry a per-item ``version`` and are
addressed by id alone. Item versions are the datapoint's history (created, updated, removed);
nothing here writes: writes go through ``Data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection

from evalsets.core import content as content_mod
from evalsets.core.content import Record
from evalsets.core.errors import NotFound
from evalsets.core.model import Datapoint, Dataset, Version
from evalsets.store import datasets as repo
from evalsets.store import items as items_repo
from evalsets.store import revisions, rows
from evalsets.store.schema import OPEN_SEQ
from evalsets.store.store import Store


class ItemVersion(NamedTuple):
    """One entry of a datapoint's history, numbered from 1 per datapoint (a tuple: pages
    build hundreds of them per request)."""

    datapoint_id: str
    number: int
    seq: int
    at: datetime
    author: str | None
    removed: bool
    content: Record
    """The content; for a removal, the content it had when it was removed."""
    version_id: str | None
    version_number: int | None


@dataclass(frozen=True)
class Listing:
    """A page of a version's items, newest position first, with their histories.

    The histories carry no contents (``{}``): the items' contents at the version are ``points``.
    """

    version: Version | None
    total: int
    points: list[Datapoint]
    histories: dict[str, list[ItemVersion]]


class Items:
    """Lookups of datapoints by id and their histories, scoped by project."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def locate(self, project_id: int, datapoint_id: str) -> str:
        """The id of the dataset holding (or having held) a datapoint; NotFound otherwise."""
        uid = rows.id_to_uid(datapoint_id)
        with self.store.read() as conn:
            found = items_repo.dataset_of(conn, project_id, uid) if uid else None
        if found is None:
            raise NotFound("datapoint", datapoint_id)
        return found

    def histories(
        self, project_id: int, dataset_id: str, datapoint_ids: Sequence[str]
    ) -> dict[str, list[ItemVersion]]:
        """The history of each datapoint that has one, oldest first, in one round trip."""
        uids = [u for u in (rows.id_to_uid(i) for i in datapoint_ids) if u is not None]
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id, include_deleted=True)
            found = items_repo.revisions_of(conn, state.pk, uids) if uids else []
            return _histories(conn, state.pk, state.dataset, found)

    def listing(
        self,
        project_id: int,
        dataset_id: str,
        *,
        number: int | None,
        removed: bool,
        offset: int,
        limit: int,
    ) -> Listing:
        """Items of version ``number`` (the newest if None) at a newest-first offset, read in
        one transaction: the live ones, or (``removed``) those once in the dataset but not there.
        """
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            if number is None:
                chosen = repo.newest_version(conn, state)
            else:
                found = items_repo.version_by_number(conn, state.pk, dataset_id, number)
                if found is None:
                    raise NotFound("version", number)
                chosen = repo.load_version(conn, state, found.id)
            if chosen is None:
                return Listing(None, 0, [], {})
            seq = chosen.version.seq
            if removed:
                found_rows = items_repo.removed_page(conn, state.pk, seq, limit, offset)
                total = items_repo.removed_count(conn, state.pk, seq)
            else:
                total = chosen.version.datapoint_count
                start = total - offset - limit
                size = limit + min(start, 0)
                found_rows = []
                if size > 0:
                    ascending = revisions.page_at_offset(
                        conn, state.pk, seq, max(start, 0), size, chosen.counts
                    )
                    found_rows = list(reversed(ascending))
            points = [rows.datapoint(r) for r in found_rows]
            uids = [bytes(r.uid) for r in found_rows]
            history = items_repo.revisions_of(conn, state.pk, uids, contents=False) if uids else []
            return Listing(
                chosen.version, total, points, _histories(conn, state.pk, state.dataset, history)
            )

    def version_by_number(self, project_id: int, dataset_id: str, number: int) -> Version:
        """The live version with this number; NotFound otherwise."""
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            found = items_repo.version_by_number(conn, state.pk, dataset_id, number)
        if found is None:
            raise NotFound("version", number)
        return found

    def versions_page(
        self, project_id: int, dataset_id: str, limit: int, offset: int
    ) -> tuple[list[Version], int]:
        """The live versions newest first (a page), and how many there are."""
        with self.store.read() as conn:
            state = repo.load(conn, project_id, dataset_id)
            return items_repo.versions_page(conn, state.pk, dataset_id, limit, offset)

    def newest_versions(self, project_id: int, dataset_ids: Sequence[str]) -> dict[str, Version]:
        """The newest live version of each dataset that has one (deleted datasets included)."""
        with self.store.read() as conn:
            return items_repo.newest_versions(conn, project_id, dataset_ids)


def _histories(
    conn: Connection, pk: int, dataset: Dataset, found: list[Any]
) -> dict[str, list[ItemVersion]]:
    seqs = [r.from_seq for r in found] + [r.to_seq for r in found if r.to_seq != OPEN_SEQ]
    info = items_repo.change_info(conn, pk, seqs)
    grouped: dict[bytes, list[Any]] = {}
    for row in found:
        grouped.setdefault(bytes(row.uid), []).append(row)
    default = (dataset.created_at, None, None, None)
    result: dict[str, list[ItemVersion]] = {}
    for uid, stored in grouped.items():
        ident = rows.uid_to_id(uid)
        marks: list[tuple[int, bool, Record]] = []
        for index, row in enumerate(stored):
            content = content_mod.loads(row.content)
            marks.append((row.from_seq, False, content))
            follows = stored[index + 1].from_seq if index + 1 < len(stored) else None
            if row.to_seq != OPEN_SEQ and row.to_seq != follows:
                marks.append((row.to_seq, True, content))
        entries = []
        for number, (seq, removed, content) in enumerate(marks, start=1):
            at, author, version_id, version_number = info.get(seq, default)
            entries.append(
                ItemVersion(
                    ident, number, seq, at, author, removed, content, version_id, version_number
                )
            )
        result[ident] = entries
    return result
