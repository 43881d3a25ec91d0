"""Peer comparison with Arize Phoenix's REST datasets API (run by hand, not in CI).

Installs ``arize-phoenix`` into its own virtualenv (``bench/out/phoenix-venv``), starts it and
evalsets on free loopback ports (SQLite for both), and times in the same run:
- importing 100k records into a new dataset,
- reading the whole dataset back,
- "append 1 record to a 100k dataset" (median of 20).
Prints each figure for both and the ratio (Phoenix time / evalsets time).

    python bench/peers/phoenix.py [--n 100000]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from _common import record  # noqa: E402
from _server import ADMIN, ndjson_body, served  # noqa: E402

VENV = HERE.parent / "out" / "phoenix-venv"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _phoenix_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "arize-phoenix"], check=True)
    return python


@contextmanager
def phoenix() -> Iterator[str]:
    python = _phoenix_python()
    port = _free_port()
    with tempfile.TemporaryDirectory() as workdir:
        env = {**os.environ, "PHOENIX_WORKING_DIR": workdir, "PHOENIX_PORT": str(port)}
        env.pop("PHOENIX_SQL_DATABASE_URL", None)
        process = subprocess.Popen(
            [python, "-m", "phoenix.server.main", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(1200):
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                raise RuntimeError("Phoenix did not start")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=60)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def phoenix_upload(client: httpx.Client, name: str, start: int, n: int, action: str) -> None:
    rows = [record(i) for i in range(start, start + n)]
    body = {
        "action": action,
        "name": name,
        "inputs": [r["inputs"] for r in rows],
        "outputs": [r["expected"] for r in rows],
        "metadata": [r["metadata"] for r in rows],
    }
    response = client.post(
        "/v1/datasets/upload",
        params={"sync": "true"},
        content=orjson.dumps(body),
        headers={"content-type": "application/json"},
    )
    response.raise_for_status()


def measure_phoenix(n: int) -> dict[str, float]:
    with phoenix() as url, httpx.Client(base_url=url, timeout=3600) as client:
        result = {"import": timed(lambda: phoenix_upload(client, "bench", 0, n, "create"))}
        datasets = client.get("/v1/datasets", params={"name": "bench"}).json()["data"]
        dataset_id = datasets[0]["id"]

        def read_all() -> None:
            examples = client.get(f"/v1/datasets/{dataset_id}/examples").json()["data"]["examples"]
            assert len(examples) >= n

        result["read"] = timed(read_all)
        appends = [
            timed(lambda i=i: phoenix_upload(client, "bench", n + i, 1, "append"))
            for i in range(20)
        ]
        result["append1"] = statistics.median(appends)
        return result


def measure_evalsets(n: int) -> dict[str, float]:
    with (
        served("sqlite") as server,
        httpx.Client(base_url=server.url, headers={"X-API-KEY": ADMIN}, timeout=3600) as client,
    ):
        ds = client.post("/api/v1/datasets", json={"path": "bench"}).json()["id"]

        def load() -> None:
            client.post(
                f"/api/v1/datasets/{ds}/import", params={"message": "load"}, content=ndjson_body(n)
            ).raise_for_status()

        result = {"import": timed(load)}

        def read_all() -> None:
            lines = client.get(f"/api/v1/datasets/{ds}/export").content.count(b"\n")
            assert lines >= n

        result["read"] = timed(read_all)

        def append(i: int) -> None:
            body = {"action": "add", "datapoints": [record(n + i)], "message": "append"}
            client.post(f"/api/v1/datasets/{ds}/versions", json=body).raise_for_status()

        result["append1"] = statistics.median([timed(lambda i=i: append(i)) for i in range(20)])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    ours = measure_evalsets(args.n)
    theirs = measure_phoenix(args.n)
    for key, label in (
        ("import", f"import {args.n:,}"),
        ("read", f"read all {args.n:,}"),
        ("append1", f"append 1 to {args.n:,}"),
    ):
        print(
            f"{label}: evalsets {ours[key]:.3f} s, Phoenix {theirs[key]:.3f} s, "
            f"ratio Phoenix/evalsets {theirs[key] / ours[key]:.1f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
