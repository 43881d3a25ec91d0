"""Regressions: the defects concurrent writers found (``bench/concurrency.py``), each pinned.

Each test has several writers change one thing at the same moment (threads released by a
barrier) through a real server, then checks that no acknowledged write was undone.
"""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from evalsets.core.admin import Admin
from evalsets.core.engine import Engine
from evalsets.core.model import Version
from evalsets.store import migrate
from evalsets.store.store import Store
from tests.backends import create_pg_database, drop_pg_database
from tests.clients import ADMIN_SECRET, Served, app_client

WRITERS = 8
ROUNDS = 3


Write = Callable[[httpx.Client, int], httpx.Response]


def _at_once(served: Served, write: Write) -> list[httpx.Response]:
    """``write(client, i)`` from ``WRITERS`` threads released together; all must succeed."""
    barrier = threading.Barrier(WRITERS)

    def one(i: int) -> httpx.Response:
        with served.client() as client:
            barrier.wait()
            reply = write(client, i)
        assert reply.is_success, reply.text
        return reply

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def _row(served: Served, path: str) -> tuple[str, str]:
    """A new dataset holding one datapoint: (dataset id, datapoint id)."""
    with served.client() as client:
        ds = client.post("/api/v1/datasets", json={"path": path}).json()["id"]
        body = {"datapoints": [{"inputs": {"q": "?"}, "expected": "!"}]}
        added = client.post(f"/api/v1/datasets/{ds}/datapoints", json=body).json()
    return ds, added["ids"][0]


def _content(served: Served, ds: str, row: str) -> dict[str, Any]:
    with served.client() as client:
        found: dict[str, Any] = client.get(f"/api/v1/datasets/{ds}/datapoints/{row}").json()
    return found


def _uuid(ident: str) -> str:
    h = ident.partition("_")[2]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def test_humanloop_upserts_to_a_new_path_at_once(served: Served) -> None:
    """Simultaneous ``add`` upserts by path to a path that does not exist yet all land in the
    one dataset made there (they were 409 "already exists", or a later one replaced the first
    one's datapoints: it was planned as a ``set`` outside the write transaction)."""
    for number in range(ROUNDS):
        path = f"race/{number}"

        def upsert(client: httpx.Client, i: int, path: str = path) -> httpx.Response:
            body = {"path": path, "action": "add", "datapoints": [{"inputs": {"i": i}}]}
            return client.post("/v5/datasets", json=body)

        ids = {r.json()["id"] for r in _at_once(served, upsert)}
        assert len(ids) == 1
        with served.client() as client:
            items = client.get(f"/api/v1/datasets/{ids.pop()}/datapoints").json()["items"]
        assert sorted(d["inputs"]["i"] for d in items) == list(range(WRITERS))


def test_native_patches_of_one_datapoint_at_once(served: Served) -> None:
    """PATCHes of different fields of one datapoint all stay (each merged its fields into the
    content it had read before the write transaction, undoing the others)."""
    for number in range(ROUNDS):
        ds, row = _row(served, f"patch/{number}")

        url = f"/api/v1/datasets/{ds}/datapoints/{row}"

        def patch(client: httpx.Client, i: int, url: str = url) -> httpx.Response:
            return client.patch(url, json={f"f{i}": i})

        _at_once(served, patch)
        content = _content(served, ds, row)
        assert {k: v for k, v in content.items() if k.startswith("f")} == {
            f"f{i}": i for i in range(WRITERS)
        }


def test_arize_example_updates_and_annotations_at_once(served: Served) -> None:
    """Arize updates of different columns of one example, and annotations of it, all stay."""
    for number in range(ROUNDS):
        ds, row = _row(served, f"arize/{number}")
        arize = base64.b64encode(f"Dataset:1:{ds[3:]}".encode()).decode()

        url, example = f"/v2/datasets/{arize}/examples", _uuid(row)

        def update(
            client: httpx.Client, i: int, url: str = url, example: str = example
        ) -> httpx.Response:
            if i % 2:
                values = [{"name": f"n{i}", "score": i}]
                body = {"annotations": [{"record_id": example, "values": values}]}
                return client.post(f"{url}/annotate", json=body)
            return client.patch(url, json={"examples": [{"id": example, f"c{i}": i}]})

        _at_once(served, update)
        content = _content(served, ds, row)
        columns = {k: v for k, v in content["inputs"].items() if k.startswith("c")}
        assert columns == {f"c{i}": i for i in range(0, WRITERS, 2)}
        names = sorted(a["name"] for a in content["annotations"])
        assert names == sorted(f"n{i}" for i in range(1, WRITERS, 2))


def test_globant_expected_sources_added_at_once(served: Served) -> None:
    """Expected sources added to one row at the same time all stay (each wrote back the list
    it had read before the write transaction)."""
    for number in range(ROUNDS):
        ds, row = _row(served, f"geai/{number}")
        url = f"/dataSetApi/dataSet/{_uuid(ds)}/dataSetRow/{_uuid(row)}/dataSetRowExpectedSource"

        def add(client: httpx.Client, i: int, url: str = url) -> httpx.Response:
            body = {"dataSetExpectedSourceName": f"s{i}", "dataSetExpectedSourceValue": "v"}
            return client.post(url, json=body)

        _at_once(served, add)
        sources = _content(served, ds, row)["sources"]
        assert sorted(s["name"] for s in sources) == sorted(f"s{i}" for i in range(WRITERS))


def _arize(kind: str, ident: str) -> str:
    return base64.b64encode(f"{kind}:1:{ident.partition('_')[2]}".encode()).decode()


@pytest.mark.parametrize("write", ["append", "update", "delete"])
def test_arize_in_place_write_when_a_newer_version_comes_first(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    """An Arize in-place write naming the latest version is a 409 if another write makes a
    newer version after the check of the named version and before the write (it was made on
    the newer version: the check ran outside the write transaction)."""
    client = app_client(engine, tmp_path)
    ds = engine.datasets.create(1, "arize/latest")
    row = engine.data.add(1, ds.id, [{"inputs": {"q": 0}}]).datapoint_ids[0]
    named = engine.datasets.commit(1, ds.id)
    served = client.app.state.engine  # type: ignore[attr-defined]
    newest = served.datasets.newest
    newer: list[Version] = []

    def newest_then_another_write(project_id: int, dataset_id: str) -> Version | None:
        found: Version | None = newest(project_id, dataset_id)
        if not newer:
            newer.append(engine.data.add(1, ds.id, [{"inputs": {"q": 1}}]).version)
        return found

    monkeypatch.setattr(served.datasets, "newest", newest_then_another_write)
    url = f"/v2/datasets/{_arize('Dataset', ds.id)}/examples"
    version, example = _arize("DatasetVersion", named.id), _uuid(row)
    params = {"dataset_version_id": version}
    if write == "append":
        reply = client.post(url, params=params, json={"examples": [{"q": 2}]})
    elif write == "update":
        reply = client.patch(url, params=params, json={"examples": [{"id": example, "q": 2}]})
    else:
        deleted = {"dataset_version_id": version, "example_ids": [example]}
        reply = client.request("DELETE", url, json=deleted)
    assert reply.status_code == 409, reply.text
    assert reply.json()["detail"].startswith("only the latest dataset version")
    assert [v.id for v in engine.datasets.versions(1, ds.id)] == [newer[0].id, named.id]
    assert [d.content for d in engine.data.export(1, ds.id)] == [
        {"inputs": {"q": 0}},
        {"inputs": {"q": 1}},
    ]


def test_globant_put_of_every_row_keeps_a_patch_made_meanwhile(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``PUT /dataSet/{id}`` with ``rows`` keeps what another write changes in a listed row
    between the server's read of the rows and its write (it wrote back what it had read)."""
    client = app_client(engine, tmp_path)
    ds = engine.datasets.create(1, "geai/put")
    rows = engine.data.add(1, ds.id, [{"inputs": {"input": "q"}, "expected": "a"}]).datapoint_ids
    served = client.app.state.engine  # type: ignore[attr-defined]
    export, patched = served.data.export, [False]

    def export_then_another_write(*args: Any, **kwargs: Any) -> Any:
        found = list(export(*args, **kwargs))
        if not patched[0]:
            patched[0] = True
            engine.data.update(1, ds.id, [(rows[0], {"metadata": {"m": 1}})], merge=True)
        return iter(found)

    monkeypatch.setattr(served.data, "export", export_then_another_write)
    row = {"dataSetRowId": _uuid(rows[0]), "dataSetRowInput": "q", "dataSetRowExpectedAnswer": "b"}
    reply = client.put(f"/dataSetApi/dataSet/{_uuid(ds.id)}", json={"rows": [row]})
    assert reply.status_code == 200, reply.text
    assert patched[0]
    assert [d.content for d in engine.data.export(1, ds.id)] == [
        {"inputs": {"input": "q"}, "expected": "b", "metadata": {"m": 1}}
    ]


def test_posthog_item_create_on_a_busy_dataset(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new item (no ``client_item_id``) is made however many writes land on its dataset
    meanwhile (it named the newest version it read and was a 409 once its retries ran out)."""
    client = app_client(engine, tmp_path)
    ds = engine.datasets.create(1, "posthog/busy")
    engine.data.add(1, ds.id, [{"inputs": {"q": 0}}])
    served = client.app.state.engine  # type: ignore[attr-defined]
    newest = served.datasets.newest

    def newest_then_another_write(project_id: int, dataset_id: str) -> Version | None:
        found: Version | None = newest(project_id, dataset_id)
        engine.data.write(1, ds.id, [], new_version=True, force=True)
        return found

    monkeypatch.setattr(served.datasets, "newest", newest_then_another_write)
    body = {"dataset": _uuid(ds.id), "input": {"q": 1}}
    reply = client.post("/api/projects/1/dataset_items/", json=body)
    assert reply.status_code == 201, reply.text
    assert [d.content["inputs"] for d in engine.data.export(1, ds.id)] == [{"q": 0}, {"q": 1}]


def test_servers_bootstrapping_one_database_at_once(store: Store) -> None:
    """Servers starting at once on a new database each make sure the default project and the
    admin key exist: all succeed, and each exists once (one server died of "a project named
    'default' already exists")."""
    barrier = threading.Barrier(WRITERS)

    def bootstrap(_: int) -> str | None:
        barrier.wait()
        return Admin(store).bootstrap(ADMIN_SECRET)

    with ThreadPoolExecutor(WRITERS) as pool:
        assert list(pool.map(bootstrap, range(WRITERS))) == [None] * WRITERS
    admin = Admin(store)
    assert [p.name for p in admin.list_projects()] == ["default"]
    assert [k.name for k in admin.list_keys(1)] == ["bootstrap"]


@pytest.mark.postgres_only
def test_servers_migrating_one_database_at_once(backend: str) -> None:
    """Servers starting at once on an empty database migrate it one after the other (the
    lock was let go before the migration was committed: the next one saw no schema and died
    creating it again)."""
    for attempt in range(ROUNDS):
        name = f"evalsets_migrate_{uuid.uuid4().hex[:10]}"
        url = create_pg_database(name)
        try:
            barrier = threading.Barrier(WRITERS)

            def upgrade(_: int, url: str = url, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                migrate.upgrade(url)

            with ThreadPoolExecutor(WRITERS) as pool:
                list(pool.map(upgrade, range(WRITERS)))
            assert migrate.current_revision(url) is not None, attempt
        finally:
            drop_pg_database(name)
