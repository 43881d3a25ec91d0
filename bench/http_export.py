"""HTTP: export every record of a 1M-record version as JSON Lines, streamed over loopback.

Target (issue #4): ≥ 100k rows/s.
"""

from __future__ import annotations

import time

from _common import median, parser, report
from _server import create_loaded, served


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    with served(args.backend) as server, server.client() as client:
        ds, version = create_loaded(client, args.n)
        server.settle()
        rates = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            lines = 0
            with client.stream(
                "GET", f"/api/v1/datasets/{ds}/export", params={"version_id": version}
            ) as response:
                for chunk in response.iter_bytes():
                    lines += chunk.count(b"\n")
            rates.append(lines / (time.perf_counter() - start))
            assert lines == args.n
    report(f"HTTP export of {args.n:,} ({args.backend})", median(rates), "rows/s", ">= 100,000")


if __name__ == "__main__":
    main()
