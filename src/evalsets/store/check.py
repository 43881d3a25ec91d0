"""``evalsets db check``: an integrity check of the stored datasets, versions and datapoints.

Per dataset it checks that:

- each version's ``datapoint_count`` equals the rows live at its ``seq`` (exact by default;
  with ``sample`` only the newest ``sample`` versions of each dataset are counted);
- the bucket counts of each version sum to its ``datapoint_count``;
- no two revisions of one datapoint are live at once (in particular no two open revisions
  share a uid) and every revision's interval is non-empty;
- ``head_seq`` equals the newest change's seq, and no version's seq is beyond it;
- version numbers are 1..n without gaps, and every parent version exists in the dataset;
- content hashes match the stored content (for ``hash_sample`` rows per dataset);

and that every datapoint revision belongs to a dataset (the table has no foreign key).

It only reads (one read transaction per dataset) and reports problems; it repairs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from evalsets.core import buckets, content
from evalsets.core.errors import InvalidInput
from evalsets.store import sql
from evalsets.store.schema import OPEN_SEQ
from evalsets.store.store import Store

DEFAULT_HASH_SAMPLE = 1000


@dataclass
class Report:
    """What a check looked at, and the problems it found (empty: the store is consistent)."""

    datasets: int = 0
    versions: int = 0
    rows_hashed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(
    store: Store,
    *,
    sample: int | None = None,
    hash_sample: int = DEFAULT_HASH_SAMPLE,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Check every dataset of the store (deleted ones too: their rows are still there)."""
    report = Report()
    with store.read() as conn:
        datasets = sql.fetchall(
            conn, "SELECT pk, id, project_id, path, head_seq FROM datasets ORDER BY pk"
        )
    with store.read() as conn:
        orphans = sql.fetchall(
            conn,
            "SELECT dataset_pk, COUNT(*) AS n FROM datapoints"
            " WHERE dataset_pk NOT IN (SELECT pk FROM datasets) GROUP BY dataset_pk",
        )
    for orphan in orphans:
        report.problems.append(
            f"{orphan.n} datapoint revisions belong to no dataset (dataset pk {orphan.dataset_pk})"
        )
    for ds in datasets:
        if progress is not None:
            progress(f"{ds.id} {ds.path}")
        with store.read() as conn:
            where = f"dataset {ds.id} ({ds.path!r}, project {ds.project_id})"
            for problem in _check_dataset(conn, ds, report, sample, hash_sample):
                report.problems.append(f"{where}: {problem}")
        report.datasets += 1
    return report


def _check_dataset(
    conn: Connection, ds: Any, report: Report, sample: int | None, hash_sample: int
) -> Iterator[str]:
    versions = sql.fetchall(
        conn,
        "SELECT id, number, seq, parent_id, status, datapoint_count, buckets FROM versions"
        " WHERE dataset_pk = ? ORDER BY number",
        (ds.pk,),
    )
    report.versions += len(versions)
    yield from _check_sequence(conn, ds, versions)
    yield from _check_versions(versions)
    counted = versions if sample is None else versions[-sample:]
    for version in counted:
        if version.status == "deleted":
            continue
        live = sql.fetchall(
            conn,
            "SELECT COUNT(*) AS n FROM datapoints"
            " WHERE dataset_pk = ? AND from_seq <= ? AND to_seq > ?",
            (ds.pk, version.seq, version.seq),
        )[0].n
        if live != version.datapoint_count:
            yield (
                f"version {version.number} ({version.id}) has datapoint_count"
                f" {version.datapoint_count} but {live} rows are live at its seq {version.seq}"
            )
    yield from _check_revisions(conn, ds)
    yield from _check_hashes(conn, ds, report, hash_sample)


def _check_sequence(conn: Connection, ds: Any, versions: list[Any]) -> Iterator[str]:
    newest_change = sql.fetchall(
        conn, "SELECT MAX(seq) AS seq FROM changes WHERE dataset_pk = ?", (ds.pk,)
    )[0].seq
    if (newest_change or 0) != ds.head_seq:
        yield f"head_seq is {ds.head_seq} but the newest change has seq {newest_change}"
    for version in versions:
        if version.seq > ds.head_seq:
            yield (
                f"version {version.number} ({version.id}) has seq {version.seq},"
                f" beyond head_seq {ds.head_seq}"
            )
    beyond = sql.fetchall(
        conn,
        "SELECT COUNT(*) AS n FROM datapoints WHERE dataset_pk = ? AND from_seq > ?",
        (ds.pk, ds.head_seq),
    )[0].n
    if beyond:
        yield f"{beyond} datapoint revisions start after head_seq {ds.head_seq}"


def _check_versions(versions: list[Any]) -> Iterator[str]:
    numbers = [v.number for v in versions]
    if numbers != list(range(1, len(numbers) + 1)):
        yield f"version numbers are {_short(numbers)}, not 1..{len(numbers)}"
    ids = {v.id for v in versions}
    previous_seq = -1
    for version in versions:
        if version.parent_id is not None and version.parent_id not in ids:
            missing = version.parent_id
            yield f"version {version.number} ({version.id}) has a missing parent {missing}"
        if version.seq < previous_seq:
            yield f"version {version.number} ({version.id}) has a seq before its predecessor's"
        previous_seq = version.seq
        counts = buckets.decode(bytes(version.buckets))
        if sum(counts) != version.datapoint_count:
            yield (
                f"version {version.number} ({version.id}) bucket counts sum to {sum(counts)},"
                f" not its datapoint_count {version.datapoint_count}"
            )


def _check_revisions(conn: Connection, ds: Any) -> Iterator[str]:
    empty = sql.fetchall(
        conn,
        "SELECT COUNT(*) AS n FROM datapoints WHERE dataset_pk = ? AND to_seq <= from_seq",
        (ds.pk,),
    )[0].n
    if empty:
        yield f"{empty} datapoint revisions have an empty interval (to_seq <= from_seq)"
    shared = sql.fetchall(
        conn,
        "SELECT uid, COUNT(*) AS n FROM datapoints WHERE dataset_pk = ? AND to_seq = ?"
        " GROUP BY uid HAVING COUNT(*) > 1",
        (ds.pk, OPEN_SEQ),
    )
    for row in shared[:10]:
        yield f"datapoint uid {bytes(row.uid).hex()} has {row.n} open revisions"
    overlapping = sql.fetchall(
        conn,
        "SELECT a.uid AS uid FROM datapoints a JOIN datapoints b"
        " ON b.dataset_pk = a.dataset_pk AND b.uid = a.uid AND b.rid <> a.rid"
        " AND b.from_seq < a.to_seq AND a.from_seq < b.to_seq"
        " WHERE a.dataset_pk = ? AND a.to_seq <> ? LIMIT 10",
        (ds.pk, OPEN_SEQ),
    )
    for row in overlapping:
        yield f"datapoint uid {bytes(row.uid).hex()} has revisions live at the same time"


def _check_hashes(conn: Connection, ds: Any, report: Report, hash_sample: int) -> Iterator[str]:
    if hash_sample <= 0:
        return
    rows = sql.fetchall(
        conn,
        "SELECT rid, content_hash, content FROM datapoints WHERE dataset_pk = ?"
        " ORDER BY rid DESC LIMIT ?",
        (ds.pk, hash_sample),
    )
    for row in rows:
        report.rows_hashed += 1
        try:
            actual = content.content_hash(content.loads(row.content))
        except (ValueError, InvalidInput) as exc:
            yield f"datapoint revision {row.rid} has unreadable content ({exc})"
            continue
        if actual != row.content_hash:
            yield (
                f"datapoint revision {row.rid} has content hash {row.content_hash}"
                f" but its content hashes to {actual}"
            )


def _short(numbers: list[int]) -> str:
    return str(numbers) if len(numbers) <= 12 else f"{numbers[:6]}…{numbers[-6:]}"
