"""Load test: a realistic mix of reads and writes against one ``evalsets serve`` (issue #11).

Starts ``evalsets serve`` on a free loopback port (``_server.served``: SQLite in a temporary
directory, or a new PostgreSQL database with ``--backend postgresql``), creates a few datasets,
then runs ``--concurrency`` asyncio workers (one keep-alive httpx client) for ``--duration``
seconds or ``--max-requests`` requests, whichever comes first. Each worker picks an operation
by weight:

- ``page_cursor``: a native page of 50 at a known cursor of a committed version
- ``page_offset``: a native page of 50 at a random offset
- ``get_datapoint``: one native datapoint by id
- ``add_rows``: 5 datapoints added to a write dataset's draft
- ``version_write``: a set-based ``add`` of 3 datapoints, as a new version
- ``commit``: commit of a write dataset's draft (409 when there is none: counted as expected)
- ``export_small``: NDJSON export of a 200-row dataset
- ``humanloop_list``: Humanloop ``list_datapoints`` (a page of 50)
- ``posthog_items``: PostHog ``dataset_items`` of a dataset (a page of 50)

Prints throughput (req/s), and p50/p99 latency and error counts per operation. No targets.

    python bench/load.py --duration 30                      # SQLite, 16 workers
    python bench/load.py --backend postgresql --duration 300
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from _common import record
from _server import ADMIN, create_loaded, served

PAGE = 50
WEIGHTS = {
    "page_cursor": 16,
    "page_offset": 12,
    "get_datapoint": 18,
    "add_rows": 12,
    "version_write": 5,
    "commit": 3,
    "export_small": 4,
    "humanloop_list": 15,
    "posthog_items": 15,
}


def _uuid(ident: str) -> str:
    """The dashed UUID of a prefixed id (PostHog's dataset ids)."""
    h = ident.partition("_")[2]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class Fixture:
    """The datasets the mix runs on, and the cursors and datapoint ids known up front."""

    rows: int
    read: list[tuple[str, str]]  # (dataset id, committed version id)
    small: str
    write: list[str]
    cursors: list[tuple[str, str, str]] = field(default_factory=list)  # (ds, version, cursor)
    datapoints: list[tuple[str, str]] = field(default_factory=list)  # (ds, datapoint id)


def prepare(client: httpx.Client, datasets: int, rows: int, writers: int) -> Fixture:
    """Create ``datasets`` read datasets of ``rows`` rows, a small one and the write datasets."""
    stamp = time.time_ns()
    read = [create_loaded(client, rows, f"load/{stamp}/read-{i}") for i in range(datasets)]
    small, _ = create_loaded(client, 200, f"load/{stamp}/small")
    write = []
    for i in range(writers):
        ds = client.post("/api/v1/datasets", json={"path": f"load/{stamp}/write-{i}"})
        ds.raise_for_status()
        write.append(ds.json()["id"])
    fixture = Fixture(rows, read, small, write)
    for ds, version in read:
        params: dict[str, str | int] = {"version_id": version, "limit": PAGE}
        while True:
            page = client.get(f"/api/v1/datasets/{ds}/datapoints", params=params)
            page.raise_for_status()
            body = page.json()
            fixture.datapoints += [(ds, item["id"]) for item in body["items"][:5]]
            cursor = body["next_cursor"]
            if not cursor:
                break
            fixture.cursors.append((ds, version, cursor))
            params["cursor"] = cursor
    return fixture


@dataclass
class Stats:
    """Latencies (seconds) and failures per operation."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


Operation = Callable[[httpx.AsyncClient, Fixture, random.Random], Awaitable[httpx.Response]]


async def page_cursor(client: httpx.AsyncClient, fx: Fixture, rng: random.Random) -> httpx.Response:
    ds, version, cursor = rng.choice(fx.cursors)
    params = {"version_id": version, "cursor": cursor, "limit": PAGE}
    return await client.get(f"/api/v1/datasets/{ds}/datapoints", params=params)


async def page_offset(client: httpx.AsyncClient, fx: Fixture, rng: random.Random) -> httpx.Response:
    ds, version = rng.choice(fx.read)
    params = {"version_id": version, "offset": rng.randrange(fx.rows - PAGE), "limit": PAGE}
    return await client.get(f"/api/v1/datasets/{ds}/datapoints", params=params)


async def get_datapoint(
    client: httpx.AsyncClient, fx: Fixture, rng: random.Random
) -> httpx.Response:
    ds, datapoint = rng.choice(fx.datapoints)
    return await client.get(f"/api/v1/datasets/{ds}/datapoints/{datapoint}")


async def add_rows(client: httpx.AsyncClient, fx: Fixture, rng: random.Random) -> httpx.Response:
    start = rng.randrange(10**9)
    body = {"datapoints": [record(start + i) for i in range(5)]}
    return await client.post(f"/api/v1/datasets/{rng.choice(fx.write)}/datapoints", json=body)


async def version_write(
    client: httpx.AsyncClient, fx: Fixture, rng: random.Random
) -> httpx.Response:
    start = rng.randrange(10**9)
    body = {"action": "add", "datapoints": [record(start + i) for i in range(3)]}
    return await client.post(f"/api/v1/datasets/{rng.choice(fx.write)}/versions", json=body)


async def commit(client: httpx.AsyncClient, fx: Fixture, rng: random.Random) -> httpx.Response:
    body = {"message": "load commit"}
    return await client.post(f"/api/v1/datasets/{rng.choice(fx.write)}/commit", json=body)


async def export_small(
    client: httpx.AsyncClient, fx: Fixture, rng: random.Random
) -> httpx.Response:
    return await client.get(f"/api/v1/datasets/{fx.small}/export", params={"format": "ndjson"})


async def humanloop_list(
    client: httpx.AsyncClient, fx: Fixture, rng: random.Random
) -> httpx.Response:
    ds, version = rng.choice(fx.read)
    page = rng.randrange(fx.rows // PAGE) + 1
    params = {"version_id": version, "page": page, "size": PAGE}
    return await client.get(f"/v5/datasets/{ds}/datapoints", params=params)


async def posthog_items(
    client: httpx.AsyncClient, fx: Fixture, rng: random.Random
) -> httpx.Response:
    ds, _ = rng.choice(fx.read)
    params = {"dataset": _uuid(ds), "limit": PAGE, "offset": rng.randrange(fx.rows - PAGE)}
    return await client.get("/api/projects/1/dataset_items/", params=params)


OPERATIONS: dict[str, Operation] = {
    "page_cursor": page_cursor,
    "page_offset": page_offset,
    "get_datapoint": get_datapoint,
    "add_rows": add_rows,
    "version_write": version_write,
    "commit": commit,
    "export_small": export_small,
    "humanloop_list": humanloop_list,
    "posthog_items": posthog_items,
}


def _expected(name: str, response: httpx.Response) -> bool:
    """A non-2xx the mix provokes on purpose: committing a dataset without an open draft."""
    return name == "commit" and response.status_code in (404, 409)


async def worker(
    client: httpx.AsyncClient,
    fx: Fixture,
    stats: Stats,
    seed: int,
    deadline: float,
    budget: list[int],
) -> None:
    rng = random.Random(seed)
    names, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        name = rng.choices(names, weights)[0]
        start = time.perf_counter()
        try:
            response = await OPERATIONS[name](client, fx, rng)
            await response.aread()
        except httpx.HTTPError as exc:
            stats.latencies.setdefault(name, []).append(time.perf_counter() - start)
            stats.errors[name] += 1
            stats.samples.setdefault(name, f"{type(exc).__name__}: {exc}")
            continue
        stats.latencies.setdefault(name, []).append(time.perf_counter() - start)
        if response.is_success:
            continue
        if _expected(name, response):
            stats.expected[name] += 1
        else:
            stats.errors[name] += 1
            stats.samples.setdefault(name, f"{response.status_code} {response.text[:200]}")


async def run(url: str, fx: Fixture, args: argparse.Namespace) -> tuple[Stats, float]:
    stats = Stats()
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-KEY": ADMIN}, timeout=60, limits=limits
    ) as client:
        start = time.monotonic()
        deadline = start + args.duration
        budget = [args.max_requests]
        await asyncio.gather(
            *(
                worker(client, fx, stats, args.seed + i, deadline, budget)
                for i in range(args.concurrency)
            )
        )
        return stats, time.monotonic() - start


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_report(stats: Stats, elapsed: float, args: argparse.Namespace) -> None:
    total = stats.requests
    errors = sum(stats.errors.values())
    print(
        f"load ({args.backend}, {args.concurrency} workers, {elapsed:.0f} s): "
        f"{total:,} requests, {total / elapsed:,.1f} req/s, {errors} errors"
    )
    print(f"{'operation':<16}{'count':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name in WEIGHTS:
        values = stats.latencies.get(name, [])
        if not values:
            continue
        p50, p99 = quantile(values, 0.5) * 1000, quantile(values, 0.99) * 1000
        extra = f" (+{stats.expected[name]} expected 409)" if stats.expected[name] else ""
        print(
            f"{name:<16}{len(values):>9,}{len(values) / elapsed:>9.1f}{p50:>9.1f}{p99:>9.1f}"
            f"{stats.errors[name]:>8}{extra}"
        )
    for name, sample in stats.samples.items():
        print(f"  first {name} error: {sample}")


def main() -> None:
    found = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    found.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    found.add_argument("--duration", type=float, default=300, help="seconds of load")
    found.add_argument("--concurrency", type=int, default=16, help="concurrent workers")
    found.add_argument("--max-requests", type=int, default=2_000_000, help="request budget")
    found.add_argument("--datasets", type=int, default=3, help="read datasets")
    found.add_argument("--rows", type=int, default=5_000, help="rows per read dataset")
    found.add_argument("--writers", type=int, default=4, help="write datasets")
    found.add_argument("--seed", type=int, default=11)
    args = found.parse_args()
    with served(args.backend) as server:
        with server.client() as client:
            fx = prepare(client, args.datasets, args.rows, args.writers)
        stats, elapsed = asyncio.run(run(server.url, fx, args))
        rss = server.rss_mib()
    print_report(stats, elapsed, args)
    print(f"server RSS at the end: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
