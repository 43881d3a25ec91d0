"""Shared helpers for the benchmarks: data, stores, timing, reporting.

Every benchmark prints ``<figure>: <value> <unit> (target <op> <value>)`` lines; none asserts.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import psycopg
from sqlalchemy.engine import make_url

from evalsets.core.engine import Engine
from evalsets.store.store import Store

PG_ADMIN_URL = os.environ.get(
    "EVALSETS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
FILLER = "The quick brown fox jumps over the lazy dog. " * 12


def record(i: int) -> dict[str, Any]:
    """A datapoint of about 0.8 KB, unique per ``i``."""
    return {
        "inputs": {"question": f"Question {i}: {FILLER[:300]}", "topic": f"t{i % 50}"},
        "expected": {"answer": f"Answer {i}: {FILLER[:250]}"},
        "metadata": {"source": "bench", "index": i, "split": "test" if i % 5 == 0 else "train"},
    }


def records(n: int, start: int = 0) -> Iterator[dict[str, Any]]:
    return (record(i) for i in range(start, start + n))


def ndjson_body(n: int, start: int = 0, chunk: int = 2000) -> Iterator[bytes]:
    """JSON Lines of ``n`` benchmark records, produced lazily in chunks."""
    for first in range(start, start + n, chunk):
        last = min(first + chunk, start + n)
        yield b"".join(orjson.dumps(record(i)) + b"\n" for i in range(first, last))


def ndjson_file(n: int, folder: Path) -> Path:
    """A JSON Lines file of ``n`` benchmark records (what a client would upload)."""
    path = folder / f"records-{n}.jsonl"
    with path.open("wb") as out:
        for chunk in ndjson_body(n):
            out.write(chunk)
    return path


def file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """A file's bytes in chunks, for a streamed request body."""
    with path.open("rb") as source:
        while chunk := source.read(size):
            yield chunk


def file_records(path: Path) -> Iterator[Any]:
    """The records of a JSON Lines file, parsed one line at a time (as an import reads them)."""
    with path.open("rb") as source:
        for line in source:
            yield orjson.loads(line)


def parser(description: str, default_n: int) -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=description)
    found.add_argument("--n", type=int, default=default_n, help="dataset size")
    found.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    found.add_argument(
        "--repeat", "--runs", type=int, default=3, help="runs; the median is reported"
    )
    return found


def report(figure: str, value: float, unit: str, target: str) -> None:
    print(f"{figure}: {value:,.3f} {unit} (target {target})", flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A new empty database URL for one benchmark run, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(dir=os.environ.get("EVALSETS_BENCH_DIR")) as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    name = f"evalsets_bench_{uuid.uuid4().hex[:10]}"
    admin = make_url(PG_ADMIN_URL)
    connect = {
        "host": admin.host,
        "port": admin.port or 5432,
        "user": admin.username,
        "dbname": admin.database,
    }
    with psycopg.connect(**connect, autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**connect, autocommit=True) as conn:  # type: ignore[arg-type]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def engine_on(backend: str) -> Iterator[Engine]:
    """A migrated, bootstrapped engine on a fresh database."""
    with database(backend) as url:
        store = Store(url)
        store.upgrade()
        engine = Engine(store)
        engine.admin.bootstrap(None)
        try:
            yield engine
        finally:
            store.close()


def database_bytes(engine: Engine) -> int:
    """The space the data takes: SQLite pages in use (WAL included), or pg_database_size."""
    with engine.store.read() as conn:
        if engine.store.dialect == "sqlite":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar_one()
            size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
            return int((pages - free) * size)
        value = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
        return int(value)


@contextmanager
def loaded(backend: str, n: int, path: str = "bench/data") -> Iterator[tuple[Engine, str, str]]:
    """An engine with a dataset of ``n`` records in one committed version: (engine, ds, version)."""
    from evalsets.core.versioning import VersionMeta

    with engine_on(backend) as engine:
        ds = engine.datasets.create(1, path)
        result = engine.data.import_records(1, ds.id, records(n), meta=VersionMeta(commit=True))
        engine.store.settle()
        yield engine, ds.id, result.version.id
