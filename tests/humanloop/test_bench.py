"""The upsert benchmark still runs (a smoke run; the figure itself is in bench/RESULTS.md)."""

from __future__ import annotations

import pytest
from bench import humanloop_upsert


def test_bench_smoke_run(capsys: pytest.CaptureFixture[str]) -> None:
    status = humanloop_upsert.main(["--n", "200", "--runs", "1"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert "upsert of 200 datapoints in one request" in out
    assert f"(target >= {humanloop_upsert.TARGET:,} rows/s)" in out
