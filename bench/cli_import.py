"""``evalsets import`` of a large JSON Lines file over HTTP: rows per second and client memory.

Starts ``evalsets serve`` (SQLite in a temporary directory unless ``--database-url`` is given)
on a free loopback port, writes a JSON Lines file of ``--n`` datapoints (default 1,000,000;
inputs, messages, expected and metadata, about 250 bytes a line) and runs the real command,
``python -m evalsets import FILE DATASET -q``, as a child process ``--runs`` times (default 3),
each into a new dataset. Prints each run's rows per second and peak client memory (max RSS
of the child), then the median beside the targets (40,000 rows/s, 150 MiB). The time is the
whole command: start-up, reading and checking the file, every chunk request, and the commit.
Also prints the CPU seconds of the client and of the server per run, and the load average:
on a busy machine wall-clock rates say little, rows per server CPU second stay comparable.
Exit status 1 if the median misses a target.

    python -m bench.cli_import            # 3 runs of 1M rows
    python -m bench.cli_import --n 20000  # a smoke run
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

TARGET_ROWS_PER_S = 40_000
TARGET_MIB = 150
SECRET = "es_bench_admin_secret_0123456789"


def write_file(path: Path, n: int) -> None:
    with path.open("wb") as out:
        for i in range(n):
            record = {
                "inputs": {"question": f"What is {i} + {i}?", "topic": "arithmetic"},
                "messages": [{"role": "user", "content": f"Please add {i} and {i}."}],
                "expected": {"answer": 2 * i},
                "metadata": {"difficulty": i % 5, "source": "bench"},
            }
            out.write(orjson.dumps(record) + b"\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(folder: Path, database_url: str | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "EVALSETS_DATA_DIR": str(folder),
        "EVALSETS_ADMIN_KEY": SECRET,
    }
    if database_url:
        env["EVALSETS_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "evalsets", "serve", "--port", str(port)]
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"server did not start:\n{(folder / 'serve.log').read_text()}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(
    url: str, source: Path, dataset: str, n: int, folder: Path
) -> tuple[float, float, float]:
    """Rows per second, the child's peak memory (MiB) and its CPU seconds, of one import."""
    env = {
        **os.environ,
        "EVALSETS_URL": url,
        "EVALSETS_API_KEY": SECRET,
        "EVALSETS_STATE_DIR": str(folder / "state"),
    }
    command = [sys.executable, "-m", "evalsets", "import", str(source), dataset, "-q"]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if f"imported {n:,} rows" not in done.stdout:
        raise SystemExit(f"unexpected output: {done.stdout}")
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return n / elapsed, max(usage.ru_maxrss, before) / 1024, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1_000_000, help="rows in the file")
    parser.add_argument("--runs", type=int, default=3, help="number of runs")
    parser.add_argument("--database-url", default=None, help="server database (default SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "data.jsonl"
        write_file(source, args.n)
        size = source.stat().st_size / 2**20
        print(f"file: {args.n:,} rows, {size:,.0f} MiB")
        process, url = start_server(folder, args.database_url)
        try:
            rates, memory = [], []
            for run in range(args.runs):
                server_before = cpu_seconds(process.pid)
                rate, mib, client_cpu = run_once(url, source, f"bench/import-{run}", args.n, folder)
                server_cpu = cpu_seconds(process.pid) - server_before
                rates.append(rate)
                memory.append(mib)
                print(
                    f"run {run + 1}: {rate:,.0f} rows/s, client peak {mib:,.0f} MiB; CPU: "
                    f"client {client_cpu:.1f}s, server {server_cpu:.1f}s "
                    f"({args.n / server_cpu:,.0f} rows per server CPU second); "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
        finally:
            process.terminate()
            process.wait(timeout=30)
    median = statistics.median(rates)
    peak = max(memory)
    print(f"median: {median:,.0f} rows/s (target >= {TARGET_ROWS_PER_S:,})")
    print(f"client memory: {peak:,.0f} MiB peak (target <= {TARGET_MIB})")
    return 0 if median >= TARGET_ROWS_PER_S and peak <= TARGET_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
