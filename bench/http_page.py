"""HTTP: a page of 100 at position 990,000 of a 1M-record old version (p50).

Targets (issue #4): cursor ≤ 2 ms p50; offset ≤ 10 ms p50.
"""

from __future__ import annotations

import time

from _common import median, parser, report
from _server import create_loaded, served

READS = 200


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    position = int(args.n * 0.99)
    with served(args.backend) as server, server.client() as client:
        ds, old = create_loaded(client, args.n)
        server.settle()
        base = f"/api/v1/datasets/{ds}"
        client.post(f"{base}/versions", json={"action": "add", "datapoints": [{"inputs": {}}]})
        before = client.get(
            f"{base}/datapoints", params={"version_id": old, "offset": position - 1, "limit": 1}
        )
        cursor = before.json()["next_cursor"]
        by_cursor, by_offset = [], []
        for _ in range(READS):
            start = time.perf_counter()
            page = client.get(
                f"{base}/datapoints", params={"version_id": old, "cursor": cursor, "limit": 100}
            )
            by_cursor.append(time.perf_counter() - start)
            start = time.perf_counter()
            other = client.get(
                f"{base}/datapoints", params={"version_id": old, "offset": position, "limit": 100}
            )
            by_offset.append(time.perf_counter() - start)
        assert page.json()["items"] == other.json()["items"]
        assert page.json()["items"][0]["metadata"]["index"] == position
    b = args.backend
    report(
        f"HTTP page of 100 at {position:,}, old version, cursor ({b})",
        median(by_cursor) * 1000,
        "ms p50",
        "<= 2",
    )
    report(
        f"HTTP page of 100 at {position:,}, old version, offset ({b})",
        median(by_offset) * 1000,
        "ms p50",
        "<= 10",
    )


if __name__ == "__main__":
    main()
