"""HTTP: a new version that adds 1 record, at N = 1k and N = 1M in the same run (p50).

Targets (issue #4): ≤ 5 ms p50, and ≤ 1.5× between N = 1k and N = 1M.
"""

from __future__ import annotations

import time

from _common import median, parser, record, report
from _server import create_loaded, served

ROUNDS = 200


def p50_new_version(client: object, ds: str, offset: int) -> float:
    import httpx

    assert isinstance(client, httpx.Client)
    times = []
    for i in range(ROUNDS):
        body = {"action": "add", "datapoints": [record(offset + i)], "message": f"add {i}"}
        start = time.perf_counter()
        response = client.post(f"/api/v1/datasets/{ds}/versions", json=body)
        times.append(time.perf_counter() - start)
        assert response.status_code == 201, response.text
    return median(times)


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    small_n = min(1_000, args.n)
    with served(args.backend) as server, server.client() as client:
        small_ds, _ = create_loaded(client, small_n, "bench/small")
        large_ds, _ = create_loaded(client, args.n, "bench/large")
        server.settle()
        small = p50_new_version(client, small_ds, 10 * args.n)
        large = p50_new_version(client, large_ds, 20 * args.n)
    b = args.backend
    report(f"HTTP new version adding 1 record, N={small_n:,} ({b})", small * 1000, "ms p50", "<= 5")
    report(f"HTTP new version adding 1 record, N={args.n:,} ({b})", large * 1000, "ms p50", "<= 5")
    report(f"HTTP ratio N={args.n:,} / N={small_n:,} ({b})", large / small, "x", "<= 1.5")


if __name__ == "__main__":
    main()
