"""Arize dataset create over Arrow Flight: N examples in one ``DoPut``, as the SDK sends it.

Starts the evalsets Flight server (in this process, on a free loopback port, SQLite in a
temporary directory unless ``--database-url`` is given) and creates a dataset of ``--n``
examples (default 100,000) per run with exactly the messages of ``arize==8.61.0``'s
``datasets.create`` (descriptor ``DoPutRequest{create_dataset}`` as JSON, ``auth-token-bin``
header, record batches of 10,000 rows with ``id``/``created_at``/``updated_at`` columns and a
JSON-encoded ``output`` column). Prints the median rows per second of the runs beside the
target (25,000 rows/s). The time is the whole call: streaming, mapping, writing and the reply.
Exit status 1 if the median misses the target.

    python -m bench.arize_flight_create            # 3 runs of 100k
    python -m bench.arize_flight_create --n 1000   # a smoke run
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pyarrow as pa
from pyarrow import flight

from evalsets.core.engine import Engine
from evalsets.http.arize import flight as arize_flight
from evalsets.http.arize import ids
from evalsets.http.server import prepare
from evalsets.settings import Settings

TARGET = 25_000
SECRET = "es_bench_admin_secret_0123456789"
BATCH = 10_000


def table(n: int) -> pa.Table:
    """Examples shaped like the SDK's upload of a DataFrame."""
    now = int(time.time() * 1000)
    return pa.table(
        {
            "question": [f"What is {i} + {i}?" for i in range(n)],
            "output": [json.dumps({"answer": 2 * i}) for i in range(n)],
            "topic": ["arithmetic"] * n,
            "difficulty": [i % 5 for i in range(n)],
            "id": [str(uuid.uuid4()) for _ in range(n)],
            "created_at": [now] * n,
            "updated_at": [now] * n,
        }
    )


def create(port: int, name: str, data: pa.Table) -> float:
    """Seconds for one Flight create of ``data``."""
    client = flight.FlightClient(f"grpc+tcp://127.0.0.1:{port}")
    request = {
        "createDataset": {
            "spaceId": ids.space_id(1),
            "datasetName": name,
            "datasetType": "GENERATIVE",
        }
    }
    descriptor = flight.FlightDescriptor.for_command(json.dumps(request).encode())
    options = flight.FlightCallOptions(
        headers=[(b"auth-token-bin", SECRET.encode()), (b"origin", b"arize-logging-client")]
    )
    start = time.perf_counter()
    writer, reader = client.do_put(descriptor, data.schema, options=options)
    with writer:
        for batch in data.to_batches(max_chunksize=BATCH):
            writer.write_batch(batch)
        writer.done_writing()
        reply = reader.read()
    elapsed = time.perf_counter() - start
    client.close()
    if reply is None or b"RGF0YXNldD" not in reply.to_pybytes():
        raise RuntimeError("no dataset id in the Flight reply")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="examples per create")
    parser.add_argument("--runs", type=int, default=3, help="number of creates")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    args = parser.parse_args()
    data = table(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.database_url, admin_key=SECRET)
        store = prepare(settings)
        server = arize_flight.start(Engine(store), "127.0.0.1", 0)
        try:
            rates = []
            for run in range(args.runs):
                seconds = create(server.port, f"bench-{uuid.uuid4().hex[:8]}-{run}", data)
                rates.append(args.n / seconds)
                print(
                    f"run {run + 1}: {args.n} examples in {seconds:.2f} s = {rates[-1]:,.0f} rows/s"
                )
        finally:
            server.shutdown()
            store.close()
    median = statistics.median(rates)
    verdict = "meets" if median >= TARGET else "MISSES"
    print(f"arize flight create: median {median:,.0f} rows/s; target {TARGET:,} rows/s ({verdict})")
    return 0 if median >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
