"""HTTP: NDJSON import of N records into one version over loopback, streamed.

The client streams a JSON Lines file written before the clock starts (as ``curl -T`` would),
so the figure is the server's, not the cost of making up records in the client.

Targets (issue #4): ≥ 45k rows/s; server memory above idle ≤ 128 MiB.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from _common import file_chunks, median, ndjson_file, parser, report
from _server import served


def run_once(backend: str, n: int, body: Path) -> tuple[float, float]:
    with served(backend) as server, server.client() as client:
        ds = client.post("/api/v1/datasets", json={"path": "bench/import"}).json()["id"]
        idle = server.rss_mib()
        peak = [idle]
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                peak.append(server.rss_mib())
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        start = time.perf_counter()
        response = client.post(
            f"/api/v1/datasets/{ds}/import",
            params={"message": "bench"},
            content=file_chunks(body),
            headers={"content-type": "application/x-ndjson"},
        )
        elapsed = time.perf_counter() - start
        done.set()
        watcher.join()
        response.raise_for_status()
        assert response.json()["datapoint_count"] == n
        return n / elapsed, max(peak) - idle


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    with tempfile.TemporaryDirectory() as folder:
        body = ndjson_file(args.n, Path(folder))
        results = [run_once(args.backend, args.n, body) for _ in range(args.repeat)]
    b = args.backend
    report(
        f"HTTP NDJSON import of {args.n:,} ({b})",
        median([r for r, _ in results]),
        "rows/s",
        ">= 45,000",
    )
    report(f"server memory above idle ({b})", median([m for _, m in results]), "MiB", "<= 128")


if __name__ == "__main__":
    main()
