"""Regressions: the defects concurrent writers found (``bench/concurrency.py``), each pinned.

Each test has several writers change one thing at the same moment (threads released by a
barrier) through a real server, then checks that no acknowledged write was undone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.backends import Templates
from tests.clients import Served, serve

WRITERS = 8
ROUNDS = 3


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One ``evalsets serve`` per backend for the module."""
    tmp = tmp_path_factory.mktemp("server")
    with templates.database(request.param, tmp) as url, serve(url, tmp) as served:
        yield served


Write = Callable[[httpx.Client, int], httpx.Response]


def _at_once(server: Served, write: Write) -> list[httpx.Response]:
    """``write(client, i)`` from ``WRITERS`` threads released together; all must succeed."""
    barrier = threading.Barrier(WRITERS)

    def one(i: int) -> httpx.Response:
        with server.client() as client:
            barrier.wait()
            reply = write(client, i)
        assert reply.is_success, reply.text
        return reply

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def test_humanloop_upserts_to_a_new_path_at_once(server: Served) -> None:
    """Simultaneous ``add`` upserts by path to a path that does not exist yet all land in the
    one dataset made there (they were 409 "already exists", or a later one replaced the first
    one's datapoints: it was planned as a ``set`` outside the write transaction)."""
    for number in range(ROUNDS):
        path = f"race/{number}"

        def upsert(client: httpx.Client, i: int, path: str = path) -> httpx.Response:
            body = {"path": path, "action": "add", "datapoints": [{"inputs": {"i": i}}]}
            return client.post("/v5/datasets", json=body)

        ids = {r.json()["id"] for r in _at_once(server, upsert)}
        assert len(ids) == 1
        with server.client() as client:
            items = client.get(f"/api/v1/datasets/{ids.pop()}/datapoints").json()["items"]
        assert sorted(d["inputs"]["i"] for d in items) == list(range(WRITERS))
