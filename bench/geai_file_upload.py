"""Globant dataset file upload: N rows in one ``POST /dataSetApi/dataSet/FileUpload``.

Starts evalsets (uvicorn, in this process, on a free loopback port, SQLite in a temporary
directory unless ``--database-url`` is given), uploads one dataset file of ``--n`` rows
(default 100,000) per run the way pygeai does (the raw file bytes), and prints the median rows
per second of the runs beside the target (25,000 rows/s). The time is the whole request:
sending, parsing, validating, writing, and the reply (the new dataset with all its rows).
Exit status 1 if the median misses the target.

    python bench/geai_file_upload.py            # 3 runs of 100k
    python bench/geai_file_upload.py --n 1000   # a smoke run
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import httpx
import orjson
from _server import in_process

TARGET = 25_000
SECRET = "es_bench_admin_secret_0123456789"


def dataset_file(n: int, run: int) -> bytes:
    """A Globant dataset file: ``n`` rows with input, answer, context, a source and a filter."""
    rows = [
        {
            "dataSetRowInput": f"What is {i} + {run}?",
            "dataSetRowExpectedAnswer": str(i + run),
            "dataSetRowContextDocument": "Arithmetic on small integers.",
            "expectedSources": [
                {
                    "dataSetExpectedSourceName": "table.txt",
                    "dataSetExpectedSourceValue": f"{i} + {run} = {i + run}",
                    "dataSetexpectedSourceExtention": "txt",
                }
            ],
            "filterVariables": [
                {
                    "dataSetMetadataType": "V",
                    "dataSetRowFilterKey": "topic",
                    "dataSetRowFilterValue": "arithmetic",
                    "dataSetRowFilterOperator": "=",
                }
            ],
        }
        for i in range(n)
    ]
    document = {
        "dataSetName": f"bench/upload-{run}",
        "dataSetDescription": "file upload benchmark",
        "dataSetType": "T",
        "dataSetActive": True,
        "rows": rows,
    }
    return orjson.dumps(document)


def one_run(client: httpx.Client, n: int, run: int) -> tuple[float, float]:
    """Rows per second of one upload (whole request, reply included): per wall-clock second,
    and per CPU second of this process (server and client; independent of the machine's load).
    """
    payload = dataset_file(n, run)
    started, cpu = time.perf_counter(), time.process_time()
    reply = client.post(
        "/dataSetApi/dataSet/FileUpload",
        content=payload,
        headers={"Content-Type": "application/json"},
    )
    elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    if reply.status_code != 200:
        raise RuntimeError(f"upload failed: {reply.status_code} {reply.text[:500]}")
    uploaded = len(reply.json()["rows"])
    if uploaded != n:
        raise RuntimeError(f"uploaded {n} rows, the reply shows {uploaded}")
    return n / elapsed, n / cpu_used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="rows per upload")
    parser.add_argument("--runs", type=int, default=3, help="uploads (the median is reported)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    args = parser.parse_args(argv)
    with (
        in_process(args.database_url, SECRET) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {SECRET}"}, timeout=600
        ) as client,
    ):
        results = []
        for run in range(args.runs):
            wall, per_cpu = one_run(client, args.n, run)
            results.append((wall, per_cpu))
            print(f"run {run + 1}: {args.n:,} rows at {wall:,.0f} rows/s", flush=True)
    median = statistics.median(wall for wall, _ in results)
    median_cpu = statistics.median(cpu for _, cpu in results)
    backend = "postgresql" if args.database_url else "sqlite"
    verdict = "meets" if median >= TARGET else "MISSES"
    load = os.getloadavg()[0]
    print(
        f"geai dataset file upload ({backend}): median {median:,.0f} rows/s over {args.runs} "
        f"runs of {args.n:,} rows; target >= {TARGET:,} rows/s ({verdict} it)"
    )
    print(
        f"median {median_cpu:,.0f} rows per CPU second of the process (load-independent); "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    return 0 if median >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
