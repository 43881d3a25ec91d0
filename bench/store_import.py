"""Storage layer: import N records (~0.8 KB each) into one new version, streamed.

The records are read from a JSON Lines file written before the clock starts and parsed one
line at a time, as an import from a file or a request body reads them.

Targets (issue #3): ≥ 50k rows/s on SQLite and on PostgreSQL (COPY); extra memory during the
import ≤ 128 MiB and flat in N.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import engine_on, file_records, median, ndjson_file, parser, report, rss_mib

from evalsets.core.versioning import VersionMeta


def run_once(backend: str, n: int, source: Path) -> tuple[float, float]:
    with engine_on(backend) as engine:
        ds = engine.datasets.create(1, "bench/import")
        before = rss_mib()
        peak = [before]

        def watched() -> object:
            for i, rec in enumerate(file_records(source)):
                if i % 50_000 == 0:
                    peak.append(rss_mib())
                yield rec

        start = time.perf_counter()
        engine.data.import_records(1, ds.id, watched(), meta=VersionMeta(commit=True))
        elapsed = time.perf_counter() - start
        peak.append(rss_mib())
        return n / elapsed, max(peak) - before


def main() -> None:
    args = parser(__doc__ or "", 1_000_000).parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = ndjson_file(args.n, Path(folder))
        results = [run_once(args.backend, args.n, source) for _ in range(args.repeat)]
    report(
        f"import {args.n:,} records ({args.backend})",
        median([r for r, _ in results]),
        "rows/s",
        ">= 50,000",
    )
    report(
        f"extra memory during import ({args.backend})",
        max(m for _, m in results),
        "MiB (the most of any run)",
        "<= 128",
    )


if __name__ == "__main__":
    main()
