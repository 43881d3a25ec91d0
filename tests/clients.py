"""HTTP test helpers: an in-process client, and a real server process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.http.app import create_app
from evalsets.settings import Settings

ADMIN_SECRET = "es_test_admin_secret_0123456789"


def app_client(engine: Engine, tmp_path: Path, **overrides: object) -> TestClient:
    """An in-process client for an app on this engine's store (admin key pre-made)."""
    engine.admin.bootstrap(ADMIN_SECRET)
    settings = Settings(data_dir=tmp_path).with_overrides(**overrides)
    app = create_app(settings, engine.store)
    return TestClient(app, headers={"X-API-KEY": ADMIN_SECRET}, raise_server_exceptions=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    """A running ``evalsets serve`` process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    admin_key: str

    def client(self, key: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"X-API-KEY": key or self.admin_key}, timeout=60
        )


@contextmanager
def serve(
    database_url: str, data_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Served]:
    """Start ``evalsets serve`` on a free loopback port and wait for /healthz."""
    port = free_port()
    env = {
        **os.environ,
        "EVALSETS_DATA_DIR": str(data_dir),
        "EVALSETS_DATABASE_URL": database_url,
        "EVALSETS_ADMIN_KEY": ADMIN_SECRET,
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "evalsets",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = open(data_dir / f"serve-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, data_dir / f"serve-{port}.log")
        yield Served(url, port, process, ADMIN_SECRET)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"evalsets serve exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"evalsets serve did not become healthy:\n{log.read_text()}")
