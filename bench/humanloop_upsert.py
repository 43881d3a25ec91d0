"""Humanloop upsert throughput: N datapoints in one ``POST /v5/datasets`` over loopback HTTP.

Starts evalsets (uvicorn, in this process, on a free loopback port, SQLite in a temporary
directory unless ``--database-url`` is given), posts one JSON upsert of ``--n`` datapoints
(default 100,000) per run to a new dataset, and prints the median rows per second of the
runs beside the target (25,000 rows/s). The time is the whole request: sending, parsing,
dedup, writing and the response. Exit status 1 if the median misses the target.

    python bench/humanloop_upsert.py            # 3 runs of 100k
    python bench/humanloop_upsert.py --n 1000   # a smoke run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import httpx
import orjson
from _server import in_process

TARGET = 25_000
SECRET = "es_bench_admin_secret_0123456789"


def body(n: int, run: int) -> bytes:
    """One upsert of ``n`` distinct datapoints with inputs, messages and a target."""
    datapoints = [
        {
            "inputs": {"question": f"What is {i} + {run}?", "topic": "arithmetic"},
            "messages": [{"role": "user", "content": f"Compute {i} + {run}."}],
            "target": {"answer": str(i + run)},
        }
        for i in range(n)
    ]
    payload = {"path": f"bench/upsert-{run}", "datapoints": datapoints, "action": "set"}
    return orjson.dumps(payload)


def measure(client: httpx.Client, n: int, run: int) -> tuple[float, float]:
    """Rows per second of one upsert: per wall-clock second, and per CPU second.

    The CPU figure (this process: server and client) does not depend on what else the
    machine is running; the target applies to the wall-clock figure.
    """
    content = body(n, run)
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post("/v5/datasets", content=content)
    elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    response.raise_for_status()
    count = response.json()["datapoints_count"]
    if count != n:
        raise RuntimeError(f"expected {n} datapoints, the server stored {count}")
    return n / elapsed, n / cpu_used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="datapoints per upsert")
    parser.add_argument("--runs", type=int, default=3, help="upserts to take the median of")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    args = parser.parse_args(argv)
    headers = {"X-API-KEY": SECRET, "content-type": "application/json"}
    with (
        in_process(args.database_url, SECRET) as url,
        httpx.Client(base_url=url, headers=headers, timeout=600) as client,
    ):
        results = [measure(client, args.n, run) for run in range(args.runs)]
    rates = [wall for wall, _ in results]
    median = statistics.median(rates)
    runs = ", ".join(f"{r:,.0f}" for r in rates)
    per_cpu = statistics.median(cpu for _, cpu in results)
    print(f"humanloop upsert of {args.n:,} datapoints in one request: runs {runs} rows/s")
    print(f"median {median:,.0f} rows/s (target >= {TARGET:,} rows/s)")
    print(f"median {per_cpu:,.0f} rows per CPU second of the process (load-independent)")
    return 0 if median >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
