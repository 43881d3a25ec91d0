"""The web UI's dataset page at a deep offset: a 1M-datapoint version at row 990,000.

Loads ``--n`` datapoints (default 1,000,000) into one committed version with
``engine.data.import_records`` (SQLite in a temporary directory unless ``--database-url`` is
given), signs in to the UI in process, and times ``GET /ui/datasets/{id}?offset=…`` at 99% of
the rows (the whole page handler: session check, versions, the offset page, the template),
three times after one warm-up. Prints the median beside the target (150 ms).
Exit status 1 if the median misses the target.

    python -m bench.ui_deep_page             # 1M rows, offset 990,000
    python -m bench.ui_deep_page --n 20000   # a smoke run
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from evalsets.core.versioning import VersionMeta
from evalsets.http.app import create_app
from evalsets.http.server import prepare
from evalsets.http.ui import data
from evalsets.settings import Settings

TARGET_MS = 150.0
SECRET = "es_bench_admin_secret_0123456789"


def _sign_in(client: TestClient) -> None:
    form = client.get("/ui/sign-in").text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token is not None
    done = client.post("/ui/sign-in", data={"key": SECRET, "csrf": token.group(1)})
    assert done.status_code == 303, done.text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="datapoints in the version")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.database_url, admin_key=SECRET)
        store = prepare(settings)
        app = create_app(settings, store)
        engine = app.state.engine
        ds = engine.datasets.create(1, f"bench/deep-{time.time_ns()}")
        started = time.perf_counter()
        records = ({"inputs": {"i": i}, "expected": f"answer {i}"} for i in range(args.n))
        engine.data.import_records(
            1, ds.id, records, meta=VersionMeta(commit=True, message="bench")
        )
        load = time.perf_counter() - started
        print(f"loaded {args.n:,} datapoints in {load:.1f} s")
        offset = args.n * 99 // 100 // data.DEFAULT_PAGE * data.DEFAULT_PAGE
        with TestClient(app, follow_redirects=False) as client:
            _sign_in(client)
            url = f"/ui/datasets/{ds.id}?offset={offset}"
            first_row = f'<td class="num">{offset + 1}</td>'
            times = []
            for _ in range(args.runs + 1):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and first_row in response.text
            median = statistics.median(times[1:])
        store.close()
    runs = ", ".join(f"{t:.1f}" for t in times[1:])
    print(f"UI dataset page at row {offset + 1:,} of {args.n:,}: runs {runs} ms")
    print(f"median {median:.1f} ms (target <= {TARGET_MS:.0f} ms)")
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
