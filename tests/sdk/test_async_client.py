"""AsyncClient against a served evalsets: CRUD, paging, streaming, typed errors, concurrency."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import evalsets
from evalsets.sdk import AsyncClient, Client, errors
from tests.clients import Served, free_port
from tests.sdk.served import unique

Scenario = Callable[[AsyncClient], Awaitable[None]]


def run(server: Served, scenario: Scenario, key: str | None = None) -> None:
    """Run a scenario with an AsyncClient of ``server`` in a fresh event loop."""

    async def main() -> None:
        async with AsyncClient(server.url, key or server.admin_key) as client:
            await scenario(client)

    asyncio.run(main())


async def numbered(count: int) -> AsyncIterator[dict[str, Any]]:
    for i in range(count):
        yield {"inputs": {"i": i}, "expected": "x" * 50}
        if i % 500 == 0:
            await asyncio.sleep(0)


def test_every_client_method_is_async() -> None:
    public = [name for name in dir(Client) if not name.startswith("_")]
    assert evalsets.AsyncClient is AsyncClient and len(public) > 50
    for name in public:
        method = getattr(AsyncClient, name)
        if name == "url" or not callable(method):
            continue
        iterating = inspect.isgeneratorfunction(getattr(Client, name))
        if iterating:
            assert inspect.isasyncgenfunction(method), name
        else:
            assert inspect.iscoroutinefunction(method), name
        assert method.__doc__ == getattr(Client, name).__doc__ or name in (
            "import_records",
            "import_file",
        )


def test_datasets_versions_and_datapoints(server: Served) -> None:
    async def scenario(client: AsyncClient) -> None:
        path = unique("async")
        ds = await client.create_dataset(path, description="d", tags=["x"])
        assert (await client.dataset(path)).id == ds.id
        assert (await client.find_dataset(path + "-none")) is None
        assert (await client.find_dataset("ds_missing")) is None
        assert (await client.ensure_dataset(path)).id == ds.id
        v1 = await client.write_version(path, [{"inputs": {"q": 1}}, {"inputs": {"q": 2}}])
        assert (v1.number, v1.datapoint_count) == (1, 2) and not v1.committed
        v1 = await client.commit(path, message="one")
        version, ids = await client.add(path, [{"inputs": {"q": 3}}])
        assert not version.committed and len(ids) == 1
        await client.patch_datapoint(path, ids[0], {"expected": "yes"})
        v2 = await client.commit(path, message="two", name="second")
        assert [v.number for v in await client.versions(path)] == [2, 1]
        assert (await client.resolve_version(path, "second")) == await client.version(path, v2.id)
        await client.deploy(path, "production", v1.id)
        production = [r async for r in client.datapoints(path, environment="production")]
        assert [r["inputs"] for r in production] == [{"q": 1}, {"q": 2}]
        diff = await client.diff(path, v1.id, v2.id)
        assert diff.stats == {"added": 1, "removed": 0, "changed": 0}
        assert [h["op"] for h in await client.history(path, ids[0])] == ["created", "updated"]
        moved = await client.move_dataset(path, path + "-moved")
        assert (await client.dataset(path + "-moved")).id == moved.id == ds.id
        await client.delete_dataset(moved)
        with pytest.raises(errors.NotFound):
            await client.dataset(ds.id)

    run(server, scenario)


def test_paging_across_pages(server: Served) -> None:
    async def scenario(client: AsyncClient) -> None:
        path = unique("apage")
        await client.create_dataset(path)
        await client.import_records(path, ({"inputs": {"i": i}} for i in range(257)), commit=True)
        got = [r["inputs"]["i"] async for r in client.datapoints(path, page_size=50)]
        assert got == list(range(257))
        first = await client.page(path, limit=100)
        assert first.total == 257 and len(first.items) == 100 and first.next_cursor
        prefix = path.split("/")[0] + "/"
        await client.create_dataset(path + "-2")
        names = [ds.path async for ds in client.datasets(search=prefix, page_size=1)]
        assert {path, path + "-2"} <= set(names) and len(names) == len(set(names))

    run(server, scenario)


def test_streaming_import_and_export(server: Served, tmp_path: Path) -> None:
    async def scenario(client: AsyncClient) -> None:
        path = unique("astream")
        await client.create_dataset(path)
        version = await client.import_records(path, numbered(3_000), commit=True, message="big")
        assert version.datapoint_count == 3_000 and version.commit_message == "big"
        chunks = [chunk async for chunk in client.export(path, chunk_size=1024)]
        assert len(chunks) > 10
        records = [r["inputs"]["i"] async for r in client.export_records(path)]
        assert records == list(range(3_000))
        copy = unique("astream")
        await client.create_dataset(copy)
        again = await client.import_bytes(copy, client.export(path), commit=True)
        assert again.datapoint_count == 3_000
        written = await client.export_file(copy, tmp_path / "out.parquet")
        assert written > 0 and (tmp_path / "out.parquet").read_bytes()[:4] == b"PAR1"
        table = await client.to_arrow(copy)
        assert isinstance(table, pa.Table) and table.num_rows == 3_000
        from_table = await client.from_arrow(unique("astream"), table.slice(0, 10))
        assert from_table.committed and from_table.datapoint_count == 10
        source = tmp_path / "rows.jsonl"
        source.write_text("".join(json.dumps({"inputs": {"n": n}}) + "\n" for n in range(40)))
        imported = await client.from_jsonl(unique("afile"), source, chunk_rows=15)
        assert imported.committed and imported.datapoint_count == 40

    run(server, scenario)


def test_typed_errors(server: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVALSETS_STATE_DIR", str(tmp_path))

    async def scenario(client: AsyncClient) -> None:
        path = unique("aerr")
        await client.create_dataset(path)
        with pytest.raises(errors.NameTaken) as taken:
            await client.create_dataset(path)
        assert taken.value.status == 409 and taken.value.code == "name_taken"
        with pytest.raises(errors.NotFound) as missing:
            await client.dataset("nothing/here")
        assert missing.value.status == 404
        with pytest.raises(errors.NotFound):
            [r async for r in client.export_records("ds_unknown")]
        with pytest.raises(errors.InvalidInput) as invalid:
            await client.import_bytes(path, [b'{"inputs": 1}\n'])
        assert invalid.value.details.get("index") == 0
        version = await client.write_version(path, [{"inputs": {}}], commit=True)
        with pytest.raises(errors.VersionCommitted):
            await client.commit(path, version.id)

    async def refused(client: AsyncClient) -> None:
        with pytest.raises(errors.Unauthorized) as wrong:
            await client.me()
        assert wrong.value.status == 401

    async def unreachable() -> None:
        async with AsyncClient(f"http://127.0.0.1:{free_port()}", "k") as nowhere:
            with pytest.raises(errors.EvalsetsConnectionError):
                await nowhere.me()

    run(server, scenario)
    run(server, refused, key="es_wrong")
    asyncio.run(unreachable())


def test_concurrent_requests(server: Served) -> None:
    async def scenario(client: AsyncClient) -> None:
        paths = [unique("aconc") for _ in range(8)]
        created = await asyncio.gather(*(client.create_dataset(p) for p in paths))
        assert [ds.path for ds in created] == paths
        rows = [[{"inputs": {"p": p, "n": n}} for n in range(20)] for p in range(8)]
        writes = [client.write_version(p, r, commit=True) for p, r in zip(paths, rows, strict=True)]
        versions = await asyncio.gather(*writes)
        assert [v.datapoint_count for v in versions] == [20] * 8

        async def read(path: str) -> list[Any]:
            return [r["inputs"]["p"] async for r in client.datapoints(path, page_size=7)]

        seen = await asyncio.gather(*(read(p) for p in paths))
        assert seen == [[p] * 20 for p in range(8)]
        taken = await asyncio.gather(
            *(client.create_dataset(paths[0]) for _ in range(3)), return_exceptions=True
        )
        assert all(isinstance(error, errors.NameTaken) for error in taken)

    run(server, scenario)
