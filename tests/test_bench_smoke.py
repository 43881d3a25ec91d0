"""Every benchmark still runs (tiny N, one run); figures live in bench/RESULTS.md, not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if not p.name.startswith("_"))
SMALL = ["--n", "300", "--runs", "1"]
ARGUMENTS = {
    "load.py": ["--duration", "3", "--rows", "200", "--max-requests", "300"],
    "concurrency.py": ["--clients", "4", "--writes", "20"],
}
PRINTS = {"load.py": "req/s"}


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_smoke_run(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *ARGUMENTS.get(script, SMALL)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=BENCH.parent,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert PRINTS.get(script, "target") in result.stdout, result.stdout + result.stderr[-3000:]
