"""Storage layer: a new version that changes 1 record, at N = 1k and N = 1M in the same run;
a new version changing 10k records of 1M; storage growth per changed record.

Targets (issue #3): 1 record ≤ 1 ms, time(1M) / time(1k) ≤ 1.5; 10k of 1M ≤ 1 s; growth O(k).
"""

from __future__ import annotations

import time

from _common import database_bytes, loaded, median, parser, record, report

from evalsets.core.engine import Engine
from evalsets.core.versioning import VersionMeta

ROUNDS = 200
WARMUP = 20


def one_record_versions(engine: Engine, ds: str) -> tuple[float, float]:
    """Median seconds per new version changing one record, and bytes added per version
    (after ``WARMUP`` untimed versions, so both sizes are timed in the same steady state)."""
    ids = [d.id for d in engine.data.page(1, ds, limit=WARMUP + ROUNDS).items]
    for i, ident in enumerate(ids[:WARMUP]):
        new = {**record(i), "expected": {"answer": f"warm-up {i}"}}
        engine.data.update(1, ds, [(ident, new)], new_version=True, meta=VersionMeta(commit=True))
    ids = ids[WARMUP:]
    before = database_bytes(engine)
    times = []
    for i, ident in enumerate(ids):
        new = {**record(i), "expected": {"answer": f"changed {i}"}}
        start = time.perf_counter()
        engine.data.update(1, ds, [(ident, new)], new_version=True, meta=VersionMeta(commit=True))
        times.append(time.perf_counter() - start)
    return median(times), (database_bytes(engine) - before) / len(ids)


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    small_n = min(1_000, args.n)
    with loaded(args.backend, small_n) as (engine, ds, _):
        small, _ = one_record_versions(engine, ds)
    with loaded(args.backend, args.n) as (engine, ds, _):
        large, growth_one = one_record_versions(engine, ds)
        k = min(10_000, args.n)
        ids = [d.id for d in engine.data.page(1, ds, offset=args.n // 3, limit=k).items]
        changes = [
            (ident, {**record(i), "metadata": {"bulk": True}}) for i, ident in enumerate(ids)
        ]
        before = database_bytes(engine)
        start = time.perf_counter()
        engine.data.update(1, ds, changes, new_version=True, meta=VersionMeta(commit=True))
        bulk = time.perf_counter() - start
        growth_bulk = (database_bytes(engine) - before) / len(ids)
    b = args.backend
    report(f"new version changing 1 record, N={small_n:,} ({b})", small * 1000, "ms", "<= 1")
    report(f"new version changing 1 record, N={args.n:,} ({b})", large * 1000, "ms", "<= 1")
    report(f"ratio N={args.n:,} / N={small_n:,} ({b})", large / small, "x", "<= 1.5")
    report(f"new version changing {k:,} of {args.n:,} ({b})", bulk, "s", "<= 1")
    report(f"storage per changed record, k=1 ({b})", growth_one, "bytes", "O(k): close to k=10k's")
    report(f"storage per changed record, k={k:,} ({b})", growth_bulk, "bytes", "O(k)")


if __name__ == "__main__":
    main()
