"""Storage layer: export every record of a 1M-record version as JSON Lines, streamed.

Target (issue #3): ≥ 100k rows/s.
"""

from __future__ import annotations

import time

from _common import loaded, median, parser, report, rss_mib


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    with loaded(args.backend, args.n) as (engine, ds, version):
        rates, memory = [], []
        for _ in range(args.repeat):
            before = rss_mib()
            start = time.perf_counter()
            count = size = 0
            for line in engine.data.export_lines(1, ds, version_id=version):
                size += len(line)
                count += 1
            rates.append(count / (time.perf_counter() - start))
            memory.append(rss_mib() - before)
    report(f"export {args.n:,} records ({args.backend})", median(rates), "rows/s", ">= 100,000")
    report(f"extra memory during export ({args.backend})", median(memory), "MiB", "flat in N")


if __name__ == "__main__":
    main()
