"""The run: two servers, the shared fixture, the clients' threads, then the checks."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import httpx

from . import owned, shared
from .bursts import burst
from .client import Client, Fixture, Unsure, dashed, native
from .owned import CREATES, PH
from .servers import ADMIN, two_servers
from .verify import Report, db_check, verify

Op = Callable[[Client], None]
CONTESTED_ITEMS = 4
PATCHED_ROWS = 4
"""Rows of each kind (Arize-patched, natively patched) every client patches."""
RENDEZVOUS_SECONDS = 120

MIX: dict[Op, int] = {
    owned.native_add: 5,
    owned.native_put: 3,
    owned.native_patch: 2,
    owned.native_delete: 2,
    owned.native_bulk_delete: 1,
    owned.native_commit: 1,
    owned.humanloop_add: 4,
    owned.humanloop_set: 2,
    owned.humanloop_remove: 2,
    owned.humanloop_csv: 1,
    owned.humanloop_commit: 1,
    owned.arize_append: 4,
    owned.arize_update: 3,
    owned.arize_delete: 2,
    owned.geai_create: 4,
    owned.geai_update: 3,
    owned.geai_delete: 2,
    owned.geai_put_rows: 2,
    owned.posthog_create: 4,
    owned.posthog_update: 3,
    owned.posthog_delete: 2,
    shared.native_append_shared: 3,
    shared.native_version_shared: 2,
    shared.native_checked: 5,
    shared.native_commit_shared: 1,
    shared.humanloop_add_shared: 4,
    shared.arize_append_shared: 6,
    shared.geai_create_shared: 4,
    shared.posthog_create_shared: 4,
    shared.posthog_contested: 6,
    shared.native_patch_contested: 3,
    shared.arize_patch_contested: 3,
    shared.geai_patch_contested: 2,
    shared.geai_source_contested: 2,
    shared.geai_put_contested: 3,
}
"""Each operation makes exactly one write, with these weights."""


def owner_of(op: Op) -> str | None:
    """The API of the client's own dataset an operation writes (None: a shared dataset)."""
    return op.__name__.split("_")[0] if op.__module__ == owned.__name__ else None


def burst_period(writes: int) -> int:
    """Every client meets the others for a burst once per this many writes."""
    return max(20, writes // 20)


def run_client(c: Client, writes: int, start: threading.Barrier) -> None:
    """The client's writes: its datasets first, then the weighted mix, with bursts."""
    start.wait()
    ops, weights = list(MIX), list(MIX.values())
    period = burst_period(writes)
    for dialect, create in CREATES.items():
        if c.done < writes:
            _attempt(c, create, dialect)
    while c.done < writes:
        if c.done % period == period // 2:
            _attempt(c, partial(burst, number=c.done // period), None)
            continue
        op = c.rng.choices(ops, weights)[0]
        owner = owner_of(op)
        if owner is None or owner in c.own:
            _attempt(c, op, owner)


def _attempt(c: Client, op: Op, owner: str | None) -> None:
    """Run one operation; if its outcome is unknown, its markers and dataset are not checked."""
    first = c.serial + 1
    try:
        op(c)
    except Exception as exc:
        if not isinstance(exc, Unsure):
            c.read_errors.append((0, f"{getattr(op, '__name__', 'op')} failed: {exc!r}"))
        c.ledger.unsure.update(f"mk-{c.index}-{n}" for n in range(first, c.serial + 1))
        if owner is not None:
            c.uncertain.add(owner)


def prepare(url: str, clients: int) -> Fixture:
    """The shared dataset, the contested items and the rows every client patches."""
    with httpx.Client(base_url=url, headers={"X-API-KEY": ADMIN}, timeout=60) as http:

        def post(path: str, body: object) -> dict[str, object]:
            reply = http.post(path, json=body)
            reply.raise_for_status()
            found: dict[str, object] = reply.json()
            return found

        ds = str(post("/api/v1/datasets", {"path": "shared/all"})["id"])
        post(f"/api/v1/datasets/{ds}/datapoints", {"datapoints": [{"inputs": {"seed": 1}}]})
        items_ds = native(str(post(f"{PH}/datasets/", {"name": "shared/items"})["id"]), "ds")
        items = [
            native(str(post(f"{PH}/dataset_items/", {"dataset": dashed(items_ds)})["id"]), "dp")
            for _ in range(CONTESTED_ITEMS)
        ]
        patched = str(post("/api/v1/datasets", {"path": "shared/patched"})["id"])
        rows = [{"inputs": {"row": n}, "expected": "a"} for n in range(2 * PATCHED_ROWS)]
        ids = post(f"/api/v1/datasets/{patched}/datapoints", {"datapoints": rows})["ids"]
        assert isinstance(ids, list)
        replaced = str(post("/api/v1/datasets", {"path": "shared/replaced"})["id"])
        rows = [{"inputs": {"row": n}, "expected": "a"} for n in range(PATCHED_ROWS)]
        put = post(f"/api/v1/datasets/{replaced}/datapoints", {"datapoints": rows})["ids"]
        assert isinstance(put, list)
        space = http.get("/v2/spaces").json()["spaces"][0]["id"]
    return Fixture(
        shared=ds,
        items_dataset=items_ds,
        items=items,
        patched=patched,
        arize_rows=ids[:PATCHED_ROWS],
        native_rows=ids[PATCHED_ROWS:],
        replaced=replaced,
        replaced_rows=put,
        space=space,
        rendezvous=threading.Barrier(clients, timeout=RENDEZVOUS_SECONDS),
    )


def run(
    database_url: str, clients: int, writes: int, *, seed: int = 7, workdir: Path | None = None
) -> Report:
    """Two servers on the database, ``clients`` × ``writes`` writes, then every check."""
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        servers = stack.enter_context(two_servers(database_url, workdir))
        fixture = prepare(servers.urls[0], clients)
        writers = [Client(i, servers.urls, fixture, seed) for i in range(clients)]
        start = threading.Barrier(clients + 1)
        with ThreadPoolExecutor(clients) as pool:
            futures = [pool.submit(run_client, c, writes, start) for c in writers]
            start.wait()
            began = time.perf_counter()
            for future in futures:
                future.result()
            seconds = time.perf_counter() - began
        for c in writers:
            c.close()
        report = Report.of(writers, writes, seconds)
        verify(servers.urls[1], fixture, writers, report)
        report.tracebacks = servers.tracebacks()
    db_check(database_url, report)
    return report
