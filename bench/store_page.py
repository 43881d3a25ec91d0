"""Storage layer: a page of 100 at position 990,000 of a 1M-record *old* version.

Targets (issue #3): keyset (cursor) ≤ 0.3 ms, offset ≤ 10 ms (medians).
"""

from __future__ import annotations

import time

from _common import loaded, median, parser, record, report

from evalsets.core import cursors
from evalsets.core.versioning import VersionMeta
from evalsets.store import datasets as repo
from evalsets.store import revisions

READS = 200


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    position = int(args.n * 0.99)
    with loaded(args.backend, args.n) as (engine, ds, old):
        ids = [d.id for d in engine.data.page(1, ds, offset=position - 50, limit=100).items]
        changes = [(ident, {**record(i), "expected": "new"}) for i, ident in enumerate(ids)]
        engine.data.update(1, ds, changes, new_version=True, meta=VersionMeta(commit=True))
        anchor = engine.data.page(1, ds, version_id=old, offset=position - 1, limit=1).items[0]
        cursor = cursors.encode(anchor.ordinal)
        keyset, offset = [], []
        for _ in range(READS):
            start = time.perf_counter()
            page = engine.data.page(
                1, ds, version_id=old, cursor=cursor, limit=100, with_total=False
            )
            keyset.append(time.perf_counter() - start)
            start = time.perf_counter()
            other = engine.data.page(
                1, ds, version_id=old, offset=position, limit=100, with_total=False
            )
            offset.append(time.perf_counter() - start)
        assert [d.id for d in page.items] == [d.id for d in other.items]
        assert page.items[0].content["metadata"]["index"] == position
        store_keyset, store_offset = [], []
        with engine.store.read() as conn:
            state = repo.load(conn, 1, ds)
            version = repo.load_version(conn, state, old)
            seq, counts = version.version.seq, version.counts
            for _ in range(READS):
                start = time.perf_counter()
                rows = revisions.page_after(conn, state.pk, seq, anchor.ordinal, 100)
                store_keyset.append(time.perf_counter() - start)
                start = time.perf_counter()
                same = revisions.page_at_offset(conn, state.pk, seq, position, 100, counts)
                store_offset.append(time.perf_counter() - start)
            assert [r.rid for r in rows] == [r.rid for r in same]
    b = args.backend
    where = f"page of 100 at {position:,} of an old version"
    report(f"{where}, store, keyset ({b})", median(store_keyset) * 1000, "ms", "<= 0.3")
    report(f"{where}, store, offset ({b})", median(store_offset) * 1000, "ms", "<= 10")
    report(f"{where}, engine, keyset ({b})", median(keyset) * 1000, "ms", "(no target)")
    report(f"{where}, engine, offset ({b})", median(offset) * 1000, "ms", "(no target)")


if __name__ == "__main__":
    main()
