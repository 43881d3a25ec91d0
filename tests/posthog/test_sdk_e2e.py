"""``posthog==7.91.1``'s ``OfflineEvaluations(...).datasets`` against a served evalsets."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from posthog.ai.evaluations import AsyncOfflineEvaluations, EvaluationAPIError, OfflineEvaluations
from posthog.ai.evaluations._dataset_types import DatasetItem
from posthog.ai.evaluations._datasets import Datasets

from tests.clients import Served, serve


def _keys(server: Served) -> tuple[int, str, str]:
    """A new project with a write key and a read-only key."""
    with server.client() as admin:
        project = admin.post("/api/v1/projects", json={"name": "posthog"}).json()
        pid = project["id"]
        keys = [
            admin.post(
                f"/api/v1/projects/{pid}/keys", json={"name": name, "scopes": [scope]}
            ).json()["key"]
            for name, scope in (("writer", "datasets:write"), ("reader", "datasets:read"))
        ]
    return pid, keys[0], keys[1]


def _error(call: Any, *args: Any, **kwargs: Any) -> EvaluationAPIError:
    with pytest.raises(EvaluationAPIError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_offline_evaluations_datasets(database_url: str, tmp_path: Path) -> None:
    with serve(database_url, tmp_path) as server:
        pid, writer, reader = _keys(server)
        with OfflineEvaluations(
            project_id=pid, secret_key=writer, host=server.url, max_retries=0
        ) as evaluations:
            ds_id = _datasets(evaluations.datasets)
            item_id = _items(evaluations.datasets, ds_id)
        with OfflineEvaluations(
            project_id=pid, secret_key=reader, host=server.url, max_retries=0
        ) as read_only:
            assert read_only.datasets.get(ds_id).id == ds_id
            denied = _error(read_only.datasets.create, name="nope")
            assert denied.status == 403 and denied.code == "permission_denied"
        with OfflineEvaluations(
            project_id=pid + 1000, secret_key=writer, host=server.url, max_retries=0
        ) as elsewhere:
            assert _error(elsewhere.datasets.get, ds_id).status == 404
        asyncio.run(_async_reads(server.url, pid, writer, ds_id, item_id))
        _native_readback(server, writer, ds_id, item_id)


async def _async_reads(url: str, pid: int, key: str, ds_id: str, item_id: str) -> None:
    """The async client (httpx) reads the same shapes."""
    async with AsyncOfflineEvaluations(
        project_id=pid, secret_key=key, host=url, max_retries=0
    ) as evaluations:
        snapshot = await evaluations.datasets.snapshot(ds_id)
        items = [item async for item in snapshot.iter_items()]
        assert len(items) == 32 and item_id in [i.id for i in items]
        assert (await evaluations.datasets.get_item(item_id)).client_item_id == "case-1"


def _datasets(datasets: Datasets) -> str:
    ds = datasets.create(
        name="capitals", description="demo", metadata={"owner": "qa"}, tags=[" Geo ", "geo", "QA"]
    )
    assert ds.tags == ("geo", "qa") and ds.current_revision is None
    assert ds.metadata == {"owner": "qa"} and ds.archived is False
    other = datasets.create(name="scratch")
    assert _error(datasets.create, name="capitals").status == 400
    assert datasets.get(ds.id).name == "capitals"
    assert [d.id for d in datasets.list(tags=["GEO"]).results] == [ds.id]
    assert [d.id for d in datasets.list(tags=["geo", "zzz"], tag_match="all").results] == []
    assert [d.id for d in datasets.list(search="CAPIT").results] == [ds.id]
    assert [d.id for d in datasets.list().results] == [other.id, ds.id]
    assert datasets.archive(other.id).archived is True
    assert [d.id for d in datasets.list().results] == [ds.id]
    assert [d.id for d in datasets.list(archived=True).results] == [other.id]
    assert _error(datasets.create_item, other.id, input="q").code == "dataset_archived"
    assert datasets.restore(other.id).archived is False
    first = datasets.list(limit=1, order_by="created_at")
    assert first.count == 2 and first.next_offset == 1 and first.results[0].id == ds.id
    updated = datasets.update(ds.id, description="", metadata={}, tags=["b", "A"])
    assert (updated.description, updated.metadata, updated.tags) == ("", {}, ("a", "b"))
    return ds.id


def _items(datasets: Datasets, ds_id: str) -> str:
    created = [
        datasets.create_item(ds_id, input={"q": i}, expected_output=f"a{i}", metadata={"i": i})
        for i in range(30)
    ]
    assert [c.dataset_revision for c in created] == list(range(1, 31))
    assert all(c.version == 1 and c.archived is False for c in created)
    ds = datasets.get(ds_id)
    assert ds.current_revision == 30 and ds.current_revision_id is not None
    listed: list[DatasetItem] = []
    offset = 0
    while True:
        page = datasets.list_items(ds_id, limit=25, offset=offset)
        assert page.count == 30
        listed.extend(page.results)
        if page.next_offset is None:
            break
        offset = page.next_offset
    assert [i.id for i in listed] == [c.id for c in reversed(created)]
    old = datasets.list_items(ds_id, revision=3)
    assert old.count == 3 and [i.input for i in old.results] == [{"q": 2}, {"q": 1}, {"q": 0}]
    snapshot = datasets.snapshot(ds_id, revision=2)
    assert [i.expected_output for i in snapshot.iter_items(page_size=1)] == ["a1", "a0"]
    revisions = datasets.list_revisions(ds_id, limit=100)
    assert [r.revision for r in revisions.results] == list(range(30, 0, -1))

    keyed = datasets.create_item(
        ds_id,
        input="plain text",
        expected_output={"answer": 4},
        source_output="4?",
        client_item_id="case-1",
        source_trace_id="trace-1",
        source_event_id="event-1",
        source_timestamp="2026-01-02T03:04:05+00:00",
    )
    assert keyed.input == "plain text" and keyed.client_item_id == "case-1"
    again = datasets.create_item(
        ds_id,
        input="plain text",
        expected_output={"answer": 4},
        source_output="4?",
        client_item_id="case-1",
        source_trace_id="trace-1",
        source_event_id="event-1",
        source_timestamp="2026-01-02T03:04:05+00:00",
    )
    assert again.id == keyed.id and again.version == 1
    clash = _error(datasets.create_item, ds_id, input="other", client_item_id="case-1")
    assert clash.status == 409
    wrapped = datasets.create_item(ds_id, input={"input": 5})
    assert datasets.get_item(wrapped.id).input == {"input": 5}

    target = created[0]
    stale = _error(datasets.update_item, target.id, base_version=2, expected_output="x")
    assert stale.status == 409 and stale.code == "stale_version"
    assert stale.response is not None and stale.response["current_version"] == 1
    assert stale.response["current_item_id"] == target.id
    changed = datasets.update_item(target.id, base_version=1, expected_output="Paris")
    assert changed.version == 2 and changed.expected_output == "Paris"
    same = datasets.update_item(target.id, base_version=2, expected_output="Paris")
    assert same.version == 2 and same.version_id == changed.version_id
    archived = datasets.archive_item(target.id, base_version=2)
    assert archived.archived is True and archived.version == 3
    assert [i.id for i in datasets.list_items(ds_id, archived=True).results] == [target.id]
    assert target.id not in [i.id for i in datasets.list_items(ds_id, limit=25).results]
    restored = datasets.restore_item(target.id, base_version=3, source_version=1)
    assert restored.archived is False and restored.version == 4
    assert restored.expected_output == "a0"
    versions = datasets.list_item_versions(target.id)
    assert [v.version for v in versions.results] == [4, 3, 2, 1]
    assert [v.archived for v in versions.results] == [False, True, False, False]
    pinned = datasets.get_item(target.id, revision=changed.dataset_revision)
    assert pinned.expected_output == "Paris" and pinned.version == 2
    return keyed.id


def _native_readback(server: Served, key: str, ds_id: str, item_id: str) -> None:
    native_ds = "ds_" + ds_id.replace("-", "")
    with server.client(key) as client:
        found = client.get(f"/api/v1/datasets/{native_ds}/datapoints/dp_{item_id.replace('-', '')}")
        assert found.status_code == 200, found.text
        assert found.json() == {
            "id": "dp_" + item_id.replace("-", ""),
            "inputs": {"input": "plain text"},
            "expected": {"answer": 4},
            "trace": {
                "trace_id": "trace-1",
                "timestamp": "2026-01-02T03:04:05Z",
                "source_id": "event-1",
                "output": "4?",
                "client_item_id": "case-1",
            },
        }
        assert httpx.get(f"{server.url}/api/projects/@current/datasets/").status_code == 401
