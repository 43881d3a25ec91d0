"""A real ``evalsets serve`` process on a free loopback port, for the HTTP benchmarks."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from _common import database, ndjson_body
from _concurrency.servers import free_port, start_serve, wait_healthy

from evalsets.http.app import create_app
from evalsets.http.server import prepare
from evalsets.settings import Settings

ADMIN = "es_bench_admin_key_0123456789"


@dataclass
class Server:
    url: str
    pid: int

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"X-API-KEY": ADMIN}, timeout=600)

    def settle(self, quiet: float = 0.5, timeout: float = 120.0) -> None:
        """Wait until the server has used no CPU for ``quiet`` seconds (background work after
        a load, such as a WAL checkpoint, is over), so a measurement does not overlap it."""
        deadline = time.monotonic() + timeout
        last, still_since = self.cpu_seconds(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.cpu_seconds()
            if now - last > 0.02:
                last, still_since = now, time.monotonic()
            elif time.monotonic() - still_since >= quiet:
                return

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0


@contextmanager
def served(backend: str) -> Iterator[Server]:
    """An ``evalsets serve`` process on a fresh database, healthy, stopped on exit."""
    with database(backend) as url, tempfile.TemporaryDirectory() as data_dir:
        log = Path(data_dir) / "serve.log"
        with start_serve(url, Path(data_dir), log, admin_key=ADMIN) as (process, base):
            wait_healthy(process, base, log)
            yield Server(base, process.pid)


def create_loaded(client: httpx.Client, n: int, path: str = "bench/http") -> tuple[str, str]:
    """A dataset holding ``n`` records in one committed version: (dataset id, version id)."""
    ds = client.post("/api/v1/datasets", json={"path": path}).json()["id"]
    response = client.post(
        f"/api/v1/datasets/{ds}/import",
        params={"message": "load"},
        content=ndjson_body(n),
        headers={"content-type": "application/x-ndjson"},
    )
    response.raise_for_status()
    return ds, response.json()["id"]


def data_dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@contextmanager
def in_process(database_url: str | None, admin_key: str) -> Iterator[str]:
    """An evalsets app run by uvicorn in a thread of this process; yields its base URL.

    SQLite in a temporary directory unless ``database_url`` is given.
    """
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=database_url, admin_key=admin_key)
        store = prepare(settings)
        port = free_port()
        config = uvicorn.Config(
            create_app(settings, store),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            store.close()
