"""Concurrent writers through all five APIs against two servers on one PostgreSQL (issue #11).

Starts two ``evalsets serve`` processes on one PostgreSQL database (a new database, dropped
afterwards, unless ``--database-url`` names one), then runs ``--clients`` threads of
``--writes`` writes each; client ``i`` sends its ``j``-th request to server ``(i + j) % 2``.
Every write carries a unique marker (``mk-<client>-<serial>``) in its content. The mix
(``_concurrency/``):

- each client creates one dataset per API (native, Humanloop, Arize, Globant, PostHog) and
  alone adds, replaces, patches, deletes, sets, removes and commits there;
- every client appends to one shared dataset through all five APIs at the same time;
- optimistic writes conflict: native writes naming the newest version they read
  (``expected_head``), Arize appends naming it (``dataset_version_id``), PostHog updates of
  items every client updates naming the item version they read (``base_version``);
- every client patches its own field of rows all of them patch (native, Arize, Globant) and
  adds Globant expected sources to them;
- bursts: all clients meet, then at once upsert ``add`` to a new Humanloop path, or create a
  dataset of one new name (native, Arize, Globant, PostHog: one wins, the others are refused).

Then it reads every dataset written through the native export and checks: no 5xx; every other
non-2xx is a 409 in the API's own error format, or a 4xx the mix provokes on purpose (a commit
without a draft: 404/409, a PostHog dataset name taken: 400); every acknowledged write is
there and nothing refused or deleted is; version numbers are 1..n and ids unique; no two
acknowledged writes claim the same base; ``evalsets db check`` passes. Prints the figures;
exit status 1 if a check fails.

    python bench/concurrency.py --clients 8 --writes 1000
    python bench/concurrency.py --database-url postgresql://postgres@127.0.0.1:5432/mine
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack

from _common import database
from _concurrency import Report, run
from _concurrency.client import Call

DIALECTS = ("native", "humanloop", "arize", "geai", "posthog")


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _line(name: str, calls: list[Call]) -> str:
    """Writes, p50/p99 ms, clean 409s, other 4xx and 5xx of some calls."""
    times = [c.seconds for c in calls]
    return (
        f"{name:<11}{len(calls):>8,}{quantile(times, 0.5) * 1000:>9.1f}"
        f"{quantile(times, 0.99) * 1000:>9.1f}"
        f"{sum(1 for c in calls if c.verdict == 'conflict'):>7,}"
        f"{sum(1 for c in calls if 400 <= c.status < 500 and c.verdict != 'conflict'):>6,}"
        f"{sum(1 for c in calls if c.status >= 500):>6,}"
    )


def print_report(report: Report) -> None:
    calls = report.calls
    seconds = [c.seconds for c in calls]
    print(
        f"concurrency ({report.clients} clients × {report.writes:,} writes, 2 servers, "
        f"PostgreSQL): {len(calls):,} writes in {report.seconds:.1f} s"
    )
    print(f"{'api':<11}{'writes':>8}{'p50 ms':>9}{'p99 ms':>9}{'409':>7}{'4xx':>6}{'5xx':>6}")
    for dialect in DIALECTS:
        print(_line(dialect, [c for c in calls if c.dialect == dialect]))
    print(_line("all", calls))
    other = sum(1 for c in calls if 400 <= c.status < 500 and c.verdict != "conflict")
    print(f"writes/s: {len(calls) / report.seconds:,.1f}")
    print(
        f"latency: p50 {quantile(seconds, 0.5) * 1000:,.1f} ms, "
        f"p99 {quantile(seconds, 0.99) * 1000:,.1f} ms"
    )
    print(
        f"409 (clean conflicts): {report.conflicts:,}; other 4xx: {other:,} (expected: "
        f"{report.count('expected'):,}); 5xx: {report.server_errors}"
    )
    print(
        f"checked: {report.datasets} dataset reads, {report.versions:,} versions; "
        f"db check: {report.db_check}"
    )
    print(
        f"lost: {report.lost}, phantom: {report.phantom}, duplicate: {report.duplicate}, "
        f"5xx: {report.server_errors} (target: 0 lost, 0 duplicate, 0 5xx)"
    )
    for problem in report.problems[:30]:
        print(f"  problem: {problem}")
    if len(report.problems) > 30:
        print(f"  … and {len(report.problems) - 30} more problems")
    for trace in report.tracebacks[:5]:
        print(f"  server traceback: {trace}")


def main() -> None:
    found = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    found.add_argument("--clients", type=int, default=8, help="concurrent writers")
    found.add_argument("--writes", type=int, default=1000, help="writes per client")
    found.add_argument("--database-url", help="a PostgreSQL database (default: a new one)")
    found.add_argument("--seed", type=int, default=7, help="seed of the clients' choices")
    args = found.parse_args()
    with ExitStack() as stack:
        url = args.database_url or stack.enter_context(database("postgresql"))
        report = run(url, args.clients, args.writes, seed=args.seed)
    print_report(report)
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
