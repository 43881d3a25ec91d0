"""Concurrent writers through all five APIs against two servers on one PostgreSQL database.

The driver of ``bench/concurrency.py`` scaled down (the full run, 8 clients × 1,000 writes, is
in bench/RESULTS.md): no 5xx, every other refusal a clean 409 (or a 4xx the mix provokes on
purpose), no lost or resurrected write, no duplicate version, and ``evalsets db check`` passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench._concurrency import run

CLIENTS = 8
WRITES = 40
DIALECTS = {"native", "humanloop", "arize", "geai", "posthog"}
OPTIMISTIC = {"checked_shared", "append_checked", "contested_item"}
"""Writes naming the version they read: some must meet a newer one."""


@pytest.mark.postgres_only
def test_clients_write_through_every_api_to_two_servers(database_url: str, tmp_path: Path) -> None:
    report = run(database_url, CLIENTS, WRITES, workdir=tmp_path)
    assert report.problems == [], "\n".join([*report.problems, *report.tracebacks])
    assert report.server_errors == 0
    assert (report.lost, report.phantom, report.duplicate) == (0, 0, 0)
    assert len(report.calls) == CLIENTS * WRITES
    assert {c.dialect for c in report.calls if c.verdict == "ok"} == DIALECTS
    assert any(c.op in OPTIMISTIC and c.verdict == "conflict" for c in report.calls)
    assert report.db_check.startswith("ok")
