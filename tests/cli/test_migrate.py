"""``evalsets migrate`` from each vendor dialect served by evalsets into another project.

The source datasets live in the default project and are read through the vendor's REST shapes
(evalsets' own dialects); the target is a fresh project on the same server. Each migrated
version is compared with its source by exporting both.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from evalsets.sdk import Client
from evalsets.sdk.vendors import arize, humanloop, posthog
from tests.cli.helpers import Cli
from tests.clients import Served
from tests.sdk.served import unique


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read vendors in pages of 7 so that every test pages through several."""
    for vendor in (humanloop, arize, posthog):
        monkeypatch.setattr(vendor, "PAGE", 7)


def _project_key(server: Served) -> str:
    """The key of a new, empty project (so a migration reads only what its test wrote)."""
    with Client(server.url, server.admin_key) as admin:
        project = admin.create_project(f"migrate-{uuid.uuid4().hex[:8]}")
        key = admin.create_key(project["id"], "migrate", ["datasets:read", "datasets:write"])
    secret: str = key["key"]
    return secret


@pytest.fixture
def source_key(server: Served) -> str:
    return _project_key(server)


@pytest.fixture
def source(server: Served, source_key: str) -> Iterator[Client]:
    with Client(server.url, source_key) as found:
        yield found


@pytest.fixture
def target_key(server: Served) -> str:
    return _project_key(server)


def _content(records: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "id"} for r in records]


def _same_history(
    source: Client, target: Client, path: str, *, messages: bool, names: bool = False
) -> None:
    theirs = list(reversed(source.versions(path)))
    mine = list(reversed(target.versions(path)))
    assert len(mine) == len(theirs) > 0
    for a, b in zip(theirs, mine, strict=True):
        assert b.datapoint_count == a.datapoint_count
        assert b.committed == a.committed
        if messages:
            assert b.commit_message == a.commit_message
        if names:
            assert b.name == a.name
        assert _content(target.export_records(path, version=b.id)) == _content(
            source.export_records(path, version=a.id)
        )


def _two_versions(client: Client, path: str, records: list[dict[str, Any]]) -> None:
    client.create_dataset(path, description="migrated dataset", tags=["m"])
    _, ids = client.add(path, records)
    client.commit(path, message="first cut", name="first")
    client.patch_datapoint(path, ids[0], {"expected": "changed"})
    client.delete_datapoints(path, [ids[1]])
    client.add(path, [records[0]])
    client.commit(path, message="second cut")


def _migrate(cli: Cli, vendor: str, server: Served, from_key: str, key: str) -> str:
    """Run ``evalsets migrate`` from one project's dialect into another project."""
    result = cli("migrate", vendor, "--from-url", server.url, "--from-key", from_key, "--key", key)
    return str(result.stdout)


def test_migrate_humanloop(
    cli: Cli, server: Served, source: Client, source_key: str, target_key: str
) -> None:
    path = unique("hl")
    records = [
        {
            "inputs": {"q": f"question {i}"},
            "messages": [{"role": "user", "content": f"m{i}"}],
            "expected": {"answer": i} if i % 2 else f"a{i}",
        }
        for i in range(12)
    ]
    _two_versions(source, path, records)
    source.deploy(path, "production", source.versions(path)[-1].id)
    output = _migrate(cli, "humanloop", server, source_key, target_key)
    assert f"{path} " in output and "2 versions copied" in output
    with Client(server.url, target_key) as target:
        _same_history(source, target, path, messages=True, names=True)
        ds = target.dataset(path)
        assert (ds.description, ds.tags) == ("migrated dataset", ["m"])
        first = target.versions(path)[-1]
        assert ds.deployed == {"production": first.id}
        again = _migrate(cli, "humanloop", server, source_key, target_key)
        assert "0 versions copied, 2 already there" in again
        assert len(target.versions(path)) == 2


def test_migrate_arize(
    cli: Cli, server: Served, source: Client, source_key: str, target_key: str
) -> None:
    path = unique("az")
    records = [
        {"inputs": {"question": f"q{i}", "n": i}, "expected": f"e{i}", "metadata": {"k": i}}
        for i in range(15)
    ]
    _two_versions(source, path, records)
    _migrate(cli, "arize", server, source_key, target_key)
    with Client(server.url, target_key) as target:
        _same_history(source, target, path, messages=False)


def test_migrate_posthog(
    cli: Cli, server: Served, source: Client, source_key: str, target_key: str
) -> None:
    path = unique("ph")
    records = [
        {
            "inputs": {"q": f"q{i}"},
            "expected": {"a": i},
            "metadata": {"source": "prod"},
            "trace": {"trace_id": f"t{i}"},
        }
        for i in range(20)
    ]
    _two_versions(source, path, records)
    _migrate(cli, "posthog", server, source_key, target_key)
    with Client(server.url, target_key) as target:
        _same_history(source, target, path, messages=True)


def test_migrate_geai(
    cli: Cli, server: Served, source: Client, source_key: str, target_key: str
) -> None:
    name = unique("ge")
    rows = [
        {
            "dataSetRowInput": f"question {i}",
            "dataSetRowExpectedAnswer": f"answer {i}",
            "dataSetRowContextDocument": f"doc {i}",
            "expectedSources": [
                {
                    "dataSetExpectedSourceName": "s",
                    "dataSetExpectedSourceValue": f"v{i}",
                    "dataSetexpectedSourceExtention": "txt",
                }
            ],
            "filterVariables": [
                {
                    "dataSetMetadataType": "V",
                    "dataSetRowFilterKey": "lang",
                    "dataSetRowFilterValue": "en",
                    "dataSetRowFilterOperator": "=",
                }
            ],
        }
        for i in range(8)
    ]
    body = {
        "dataSetName": name,
        "dataSetDescription": "geai set",
        "dataSetType": "T",
        "dataSetActive": True,
        "rows": rows,
    }
    created = source.request("POST", f"{server.url}/dataSetApi/dataSet", json=body)
    assert created.status_code == 200, created.text
    source.commit(name, message="geai rows")
    output = _migrate(cli, "geai", server, source_key, target_key)
    assert f"{name} " in output
    with Client(server.url, target_key) as target:
        mine = target.versions(name)
        assert [v.datapoint_count for v in mine] == [8]
        assert _content(target.export_records(name)) == _content(source.export_records(name))
        assert target.dataset(name).description == "geai set"
