"""HTTP: a page of 100 at position 990,000 of a 1M-record old version (p50).

Targets (issue #4): cursor ≤ 2 ms p50; offset ≤ 10 ms p50.

Timed with a lean keep-alive client (the standard library's ``http.client``): httpx spends
about 0.6 ms of its own per request here, which is not the server's latency. The httpx
figure of the same requests is printed too, for comparison.
"""

from __future__ import annotations

import http.client
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
from _common import median, parser, report
from _server import ADMIN, create_loaded, served

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
        lean = http.client.HTTPConnection("127.0.0.1", urlsplit(server.url).port)
        by_cursor, by_offset, by_httpx = [], [], []
        for _ in range(READS):
            page = _get(lean, base, {"version_id": old, "cursor": cursor, "limit": 100}, by_cursor)
            other = _get(
                lean, base, {"version_id": old, "offset": position, "limit": 100}, by_offset
            )
            start = time.perf_counter()
            client.get(f"{base}/datapoints", params={"version_id": old, "cursor": cursor})
            by_httpx.append(time.perf_counter() - start)
        lean.close()
        assert page["items"] == other["items"]
        assert page["items"][0]["metadata"]["index"] == position
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
    report(
        f"same cursor page timed through httpx ({b})",
        median(by_httpx) * 1000,
        "ms p50",
        "(no target: client overhead included)",
    )


def _get(
    conn: http.client.HTTPConnection, base: str, params: dict[str, object], times: list[float]
) -> dict[str, Any]:
    """One timed GET of a page on a kept-alive connection; its parsed body."""
    url = f"{base}/datapoints?{urlencode(params)}"
    start = time.perf_counter()
    conn.request("GET", url, headers={"X-API-KEY": ADMIN})
    response = conn.getresponse()
    body = response.read()
    times.append(time.perf_counter() - start)
    assert response.status == 200, body
    found: dict[str, Any] = orjson.loads(body)
    return found


if __name__ == "__main__":
    main()
