"""Crash safety: ``evalsets serve`` SIGKILLed mid-import and mid-burst, then restarted.

After each kill the store passes ``db check``, a killed import left no partial version, and
every write the server acknowledged is there. ``EVALSETS_CRASH_KILLS`` sets the kills per
backend and test (3 by default, for CI; run 10 by hand).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import orjson

from evalsets.core.engine import Engine
from evalsets.core.errors import NotFound
from evalsets.store.check import check
from evalsets.store.store import Store
from tests.clients import Served, serve

KILLS = int(os.environ.get("EVALSETS_CRASH_KILLS", "3"))
IMPORT_ROWS = 200_000
WRITERS = 6


def _rows(count: int, tag: str, streaming: threading.Event) -> Iterator[bytes]:
    """A lazily generated NDJSON body, in chunks of 1000 lines (``streaming``: 5 sent)."""
    for start in range(0, count, 1000):
        if start == 5000:
            streaming.set()
        yield b"".join(
            orjson.dumps({"inputs": {"tag": tag, "i": i}, "expected": i}) + b"\n"
            for i in range(start, min(start + 1000, count))
        )


def _versions(server: Served, dataset: str) -> list[tuple[str, int, str]]:
    with server.client() as client:
        reply = client.get(f"/api/v1/datasets/{dataset}/versions", params={"limit": 1000})
        assert reply.status_code == 200, reply.text
        return sorted((v["id"], v["datapoint_count"], v["status"]) for v in reply.json()["items"])


def _assert_consistent(database_url: str) -> None:
    store = Store(database_url)
    try:
        report = check(store)
    finally:
        store.close()
    assert report.ok, report.problems


def _upload(
    server: Served,
    dataset: str,
    attempt: int,
    outcome: dict[str, Any],
    streaming: threading.Event,
) -> None:
    """Stream a big NDJSON import; note its status, or the error when the server died."""
    try:
        with server.client() as client:
            reply = client.post(
                f"/api/v1/datasets/{dataset}/import",
                params={"message": f"import {attempt}"},
                content=_rows(IMPORT_ROWS, f"a{attempt}", streaming),
                headers={"content-type": "application/x-ndjson"},
            )
        outcome["status"] = reply.status_code
    except httpx.HTTPError as exc:
        outcome["error"] = exc


def _writer(
    server: Served,
    dataset: str,
    attempt: int,
    worker: int,
    stop: threading.Event,
    first: threading.Event,
) -> list[str]:
    """Add one row at a time until stopped or the server dies; the acknowledged ids."""
    done: list[str] = []
    with server.client() as client:
        for i in range(100_000):
            if stop.is_set():
                break
            row = {"inputs": {"attempt": attempt, "worker": worker, "i": i}}
            try:
                reply = client.post(
                    f"/api/v1/datasets/{dataset}/datapoints", json={"datapoints": [row]}
                )
            except httpx.HTTPError:
                break
            if reply.status_code == 201:
                done.extend(reply.json()["ids"])
                first.set()
    return done


def _kill(server: Served) -> None:
    server.process.kill()
    server.process.wait()


def _killed_import(server: Served, dataset: str, attempt: int, rng: random.Random) -> bool:
    """Stream an import and SIGKILL the server at a random point; whether it finished first."""
    outcome: dict[str, Any] = {}
    streaming = threading.Event()
    thread = threading.Thread(target=_upload, args=(server, dataset, attempt, outcome, streaming))
    thread.start()
    streaming.wait(30)  # the server is reading the body
    time.sleep(rng.uniform(0.0, 1.2))
    _kill(server)
    thread.join(30)
    return outcome.get("status") == 201


def _killed_burst(server: Served, dataset: str, attempt: int, rng: random.Random) -> list[str]:
    """Concurrent single-row writes, SIGKILLed at a random point; the acknowledged ids."""
    stop, first = threading.Event(), threading.Event()
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [
            pool.submit(_writer, server, dataset, attempt, w, stop, first) for w in range(WRITERS)
        ]
        first.wait(30)  # the writers are under way (a loaded machine may take a while)
        time.sleep(rng.uniform(0.2, 0.8))
        _kill(server)
        stop.set()
        return [ident for f in futures for ident in f.result(timeout=30)]


def _missing(database_url: str, dataset: str, idents: list[str]) -> list[str]:
    store = Store(database_url)
    try:
        engine = Engine(store)
        missing = []
        for ident in idents:
            try:
                engine.data.get(1, dataset, ident)
            except NotFound:
                missing.append(ident)
        return missing
    finally:
        store.close()


def test_kills_lose_no_acknowledged_write_and_leave_no_partial_version(
    database_url: str, tmp_path: Path
) -> None:
    """Kills alternate: a streaming import (even attempts), a burst of row writes (odd ones).

    After each kill: ``db check`` passes; the restarted server shows the versions as they were
    before a killed import (or with the whole import, if it finished before the kill); every
    acknowledged row write is present.
    """
    rng = random.Random(os.environ.get("EVALSETS_CRASH_SEED"))
    with serve(database_url, tmp_path) as server, server.client() as client:
        imported = client.post("/api/v1/datasets", json={"path": "crash/import"}).json()["id"]
        burst = client.post("/api/v1/datasets", json={"path": "crash/burst"}).json()["id"]
        seeded = client.post(
            f"/api/v1/datasets/{imported}/versions",
            json={"datapoints": [{"inputs": {"seed": i}} for i in range(10)], "commit": True},
        )
        assert seeded.status_code == 201, seeded.text
        before = _versions(server, imported)
    acknowledged: list[str] = []
    import_finished: bool | None = None
    midway = 0
    for attempt in range(KILLS + 1):
        with serve(database_url, tmp_path) as server:
            after = _versions(server, imported)  # the restarted server's view
            if import_finished is True:
                new = [v for v in after if v not in before]
                assert len(new) == 1 and new[0][1] == before[-1][1] + IMPORT_ROWS, (before, after)
            elif import_finished is False:
                assert after == before, "a killed import left a partial version"
            before, import_finished = after, None
            if attempt == KILLS:
                break
            if attempt % 2 == 0:
                import_finished = _killed_import(server, imported, attempt, rng)
                midway += not import_finished
            else:
                written = _killed_burst(server, burst, attempt, rng)
                assert written, "no write was acknowledged before the kill"
                acknowledged.extend(written)
        _assert_consistent(database_url)
        missing = _missing(database_url, burst, acknowledged)
        assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged writes are lost"
    assert midway >= 1 or KILLS == 0, "every import finished before its kill"
    print(f"kills {KILLS}: imports killed midway {midway}, acknowledged writes {len(acknowledged)}")
