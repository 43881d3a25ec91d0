"""The SDK against a served evalsets: datasets, versions, paging, streaming, typed errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import evalsets
from evalsets.sdk import (
    Client,
    EvalsetsConnectionError,
    InvalidInput,
    NameTaken,
    NotFound,
    Unauthorized,
    VersionCommitted,
)
from tests.clients import Served, free_port
from tests.sdk.served import unique


@pytest.fixture
def client(server: Served) -> Iterator[Client]:
    with evalsets.Client(server.url, server.admin_key) as found:
        yield found


def test_import_evalsets_does_not_load_httpx() -> None:
    code = "import sys, evalsets; assert 'httpx' not in sys.modules; print(evalsets.Client)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "evalsets.sdk.client.Client" in done.stdout


def test_datasets_versions_and_deployments(client: Client) -> None:
    path = unique("sdk")
    ds = client.create_dataset(path, description="d", tags=["x"])
    assert client.dataset(path).id == ds.id and client.dataset(ds.id).path == path
    v1 = client.write_version(path, [{"inputs": {"q": 1}}, {"inputs": {"q": 2}}], message="one")
    assert (v1.number, v1.committed, v1.datapoint_count, v1.created) == (1, True, 2, True)
    version, ids = client.add(path, [{"inputs": {"q": 3}}])
    assert not version.committed and len(ids) == 1
    v2 = client.commit(path, message="two", name="second")
    assert (v2.number, v2.name, v2.datapoint_count) == (2, "second", 3)
    assert [v.number for v in client.versions(path)] == [2, 1]
    assert client.resolve_version(path, "v1") == client.version(path, v1.id)
    second = client.resolve_version(path, "second")
    assert second is not None and second.id == v2.id
    client.deploy(path, "production", v1.id)
    production = client.resolve_version(path, "production")
    assert production is not None and production.id == v1.id
    assert client.dataset(path).deployed == {"production": v1.id}
    assert [r["inputs"] for r in client.datapoints(path, environment="production")] == [
        {"q": 1},
        {"q": 2},
    ]
    restored = client.restore(path, v1.id, message="back")
    assert restored.datapoint_count == 2 and restored.attributes["restored_from"] == v1.id
    diff = client.diff(path, v2.id, restored.id)
    assert diff.stats == {"added": 0, "removed": 1, "changed": 0}
    moved = client.move_dataset(path, path + "-moved")
    assert client.dataset(path + "-moved").id == moved.id == ds.id
    client.delete_dataset(moved)
    with pytest.raises(NotFound):
        client.dataset(ds.id)


def test_row_edits_history_and_diff(client: Client) -> None:
    path = unique("rows")
    client.create_dataset(path)
    _, ids = client.add(path, [{"inputs": {"a": 1}}, {"inputs": {"a": 2}}])
    base = client.commit(path, message="base")
    patched = client.patch_datapoint(path, ids[0], {"expected": "yes"})
    assert patched["expected"] == "yes" and patched["inputs"] == {"a": 1}
    client.replace_datapoint(path, ids[1], {"inputs": {"a": 20}})
    removed = client.delete_datapoints(path, [ids[1], "dp_unknown"])
    assert removed["removed"] == [ids[1]] and removed["missing"] == ["dp_unknown"]
    target = client.commit(path, message="edit")
    diff = client.diff(path, base.id, target.id)
    assert [c.fields for c in diff.changed] == [["expected"]]
    assert [r["id"] for r in diff.removed] == [ids[1]]
    assert [h["op"] for h in client.history(path, ids[1])] == ["created", "updated", "removed"]
    assert client.datapoint(path, ids[1], version=base.id)["inputs"] == {"a": 2}


def test_paging_is_transparent(client: Client) -> None:
    path = unique("page")
    client.create_dataset(path)
    client.import_records(path, ({"inputs": {"i": i}} for i in range(257)), commit=True)
    got = [r["inputs"]["i"] for r in client.datapoints(path, page_size=50)]
    assert got == list(range(257))
    first = client.page(path, limit=100)
    assert first.total == 257 and len(first.items) == 100 and first.next_cursor
    filtered = list(client.datapoints(path, filter="inputs.i=7", page_size=1))
    assert [r["inputs"] for r in filtered] == [{"i": 7}]
    prefix = path.split("/")[0] + "/"
    names = [ds.path for ds in client.datasets(search=prefix, page_size=1)]
    assert path in names and len(names) == len(set(names))


def test_streaming_import_and_export(client: Client, tmp_path: Path) -> None:
    path = unique("stream")
    client.create_dataset(path)
    sent: list[int] = []

    def records() -> Iterator[dict[str, object]]:
        for i in range(5_000):
            sent.append(i)
            yield {"inputs": {"i": i}, "expected": "x" * 50}

    version = client.import_records(path, records(), commit=True, message="big")
    assert version.datapoint_count == 5_000 and version.commit_message == "big"
    chunks = list(client.export(path, chunk_size=1024))
    assert len(chunks) > 10
    assert [r["inputs"]["i"] for r in client.export_records(path)] == sent
    written = client.export_file(path, tmp_path / "out.parquet")
    assert written > 0 and (tmp_path / "out.parquet").read_bytes()[:4] == b"PAR1"
    again = unique("stream")
    client.create_dataset(again)
    copy = client.import_bytes(again, client.export(path), commit=True)
    assert copy.datapoint_count == 5_000


def test_typed_errors(client: Client, server: Served) -> None:
    path = unique("err")
    client.create_dataset(path)
    with pytest.raises(NameTaken) as taken:
        client.create_dataset(path)
    assert taken.value.status == 409 and taken.value.code == "name_taken"
    with pytest.raises(NotFound):
        client.dataset("nothing/here")
    with pytest.raises(InvalidInput) as invalid:
        client.import_bytes(path, [b'{"inputs": 1}\n'])
    assert "inputs" in invalid.value.message and invalid.value.details.get("index") == 0
    version = client.write_version(path, [{"inputs": {}}], commit=True)
    with pytest.raises(VersionCommitted):
        client.commit(path, version.id)
    with Client(server.url, "es_wrong") as bad, pytest.raises(Unauthorized):
        bad.me()
    with Client(f"http://127.0.0.1:{free_port()}", "k") as nowhere:
        with pytest.raises(EvalsetsConnectionError):
            nowhere.me()
