"""Two ``evalsets serve`` processes on one database, each on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ADMIN = "es_bench_concurrency_admin_0123456789"


@dataclass
class Servers:
    """The servers' base URLs and log files."""

    urls: list[str]
    logs: list[Path]

    def tracebacks(self) -> list[str]:
        """The last lines of each traceback the servers logged."""
        found = []
        for log in self.logs:
            text = log.read_text(errors="replace")
            for part in text.split("Traceback (most recent call last):")[1:]:
                lines = [ln for ln in part.strip().splitlines() if ln.strip()]
                found.append(" | ".join(lines[-3:])[:600])
        return found


@contextmanager
def two_servers(database_url: str, workdir: Path) -> Iterator[Servers]:
    """Start two servers on the database at once (both migrate and bootstrap it)."""
    servers = Servers([], [])
    with ExitStack() as stack:
        started = []
        for number in range(2):
            data_dir = workdir / f"server-{number}"
            data_dir.mkdir(parents=True, exist_ok=True)
            log = data_dir / "serve.log"
            started.append((stack.enter_context(start_serve(database_url, data_dir, log)), log))
        for (process, url), log in started:
            wait_healthy(process, url, log)
            servers.urls.append(url)
            servers.logs.append(log)
        yield servers


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def start_serve(
    database_url: str, data_dir: Path, log: Path, admin_key: str = ADMIN
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """An ``evalsets serve`` process on a free port (output to ``log``), stopped on exit."""
    port = free_port()
    env = {
        **os.environ,
        "EVALSETS_DATA_DIR": str(data_dir),
        "EVALSETS_DATABASE_URL": database_url,
        "EVALSETS_ADMIN_KEY": admin_key,
    }
    command = [sys.executable, "-m", "evalsets", "serve", "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Return once the server answers ``/healthz``; raise with its log if it never does."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"evalsets serve did not start:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
