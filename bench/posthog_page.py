"""PostHog deep page: ``GET …/dataset_items/?dataset=…&limit=100&offset=99900`` of 100k items.

Loads ``--n`` items (default 100,000) into one dataset with ``engine.data.import_records``,
starts ``evalsets serve`` (its own process, a free loopback port, SQLite in a temporary
directory unless ``--database-url`` is given), then times the last page of 100 items in
PostHog's order (page 1,000 at offset ``n - 100``) over HTTP with a keep-alive client. Each run
takes the p50 of ``--requests`` requests; the median of the runs is printed beside the target
(10 ms). The offset is also timed in the middle of the dataset for comparison.
Exit status 1 if the median misses the target.

    python -m bench.posthog_page            # 3 runs, 100k items
    python -m bench.posthog_page --n 5000   # a smoke run
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx

from evalsets.core.engine import Engine
from evalsets.core.ids import to_uuid
from evalsets.store.store import Store

TARGET_MS = 10.0
SECRET = "es_bench_admin_secret_0123456789"
PAGE = 100


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _load(database_url: str, n: int) -> str:
    """Migrate, bootstrap and fill one dataset with ``n`` items; returns its PostHog id."""
    store = Store(database_url)
    try:
        store.upgrade()
        engine = Engine(store)
        engine.admin.bootstrap(SECRET)
        ds = engine.datasets.create(1, f"bench/posthog-{time.time_ns()}")
        records = (
            {"inputs": {"question": f"q{i}"}, "expected": f"a{i}", "metadata": {"i": i}}
            for i in range(n)
        )
        engine.data.import_records(1, ds.id, records)
        return str(to_uuid(ds.id, "ds"))
    finally:
        store.close()


class Served(NamedTuple):
    """A running server: its URL, the loaded dataset's PostHog id, its process id."""

    url: str
    dataset: str
    pid: int


@contextmanager
def running(database_url: str | None, n: int) -> Iterator[Served]:
    """``evalsets serve`` in its own process, its default project holding ``n`` items.

    The server runs in another process so that the client does not share its interpreter.
    Yields where it is and what it holds.
    """
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'evalsets.db'}"
        dataset = _load(url, n)
        port = _free_port()
        env = {
            **os.environ,
            "EVALSETS_DATA_DIR": tmp,
            "EVALSETS_DATABASE_URL": url,
            "EVALSETS_ADMIN_KEY": SECRET,
        }
        command = [sys.executable, "-m", "evalsets", "serve", "--host", "127.0.0.1"]
        process = subprocess.Popen([*command, "--port", str(port)], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start")
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield Served(base, dataset, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process so far (Linux ``/proc``), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p50_ms(client: httpx.Client, dataset: str, offset: int, requests: int, n: int) -> float:
    """The median latency of ``requests`` page requests at ``offset``, in milliseconds."""
    params: dict[str, str | int] = {"dataset": dataset, "limit": PAGE, "offset": offset}
    timings = []
    for attempt in range(requests + 5):
        started = time.perf_counter()
        reply = client.get("/api/projects/1/dataset_items/", params=params)
        elapsed = time.perf_counter() - started
        body = reply.json()
        if reply.status_code != 200 or body["count"] != n:
            raise RuntimeError(f"page failed: {reply.status_code} {reply.text[:300]}")
        expected = min(PAGE, n - offset)
        if len(body["results"]) != expected:
            raise RuntimeError(f"{len(body['results'])} items on the page, not {expected}")
        if attempt >= 5:  # the first few warm caches and the connection
            timings.append(elapsed * 1000)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="items in the dataset")
    parser.add_argument("--runs", type=int, default=3, help="runs (the median is reported)")
    parser.add_argument("--requests", type=int, default=200, help="requests per run")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    args = parser.parse_args(argv)
    deep = max(args.n - PAGE, 0)
    started = time.perf_counter()
    with (
        running(args.database_url, args.n) as served,
        httpx.Client(
            base_url=served.url, headers={"Authorization": f"Bearer {SECRET}"}, timeout=60
        ) as client,
    ):
        dataset = served.dataset
        print(f"loaded {args.n:,} items in {time.perf_counter() - started:.1f} s", flush=True)
        runs = []
        cpu_before = cpu_seconds(served.pid)
        for run in range(args.runs):
            runs.append(p50_ms(client, dataset, deep, args.requests, args.n))
            print(f"run {run + 1}: p50 {runs[-1]:.2f} ms at offset {deep:,}", flush=True)
        cpu_after = cpu_seconds(served.pid)
        middle = p50_ms(client, dataset, args.n // 2, args.requests, args.n)
    median = statistics.median(runs)
    backend = "postgresql" if args.database_url else "sqlite"
    verdict = "meets" if median <= TARGET_MS else "MISSES"
    print(
        f"posthog dataset_items page at offset {deep:,} of {args.n:,} ({backend}): "
        f"median p50 {median:.2f} ms over {args.runs} runs; target <= {TARGET_MS:.0f} ms: "
        f"{verdict} (offset {args.n // 2:,}: p50 {middle:.2f} ms)"
    )
    if cpu_before is not None and cpu_after is not None:
        served_requests = args.runs * (args.requests + 5)
        per_request = (cpu_after - cpu_before) / served_requests * 1000
        print(f"server CPU per request: {per_request:.2f} ms", end="; ")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
