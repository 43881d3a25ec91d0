"""The UI's page data functions, in process on both backends: the native API's shapes."""

from __future__ import annotations

import pytest

from evalsets.core.engine import Engine
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.versioning import VersionMeta
from evalsets.http.native import serializers as out
from evalsets.http.ui import data


def _dataset(engine: Engine, n: int = 120, path: str = "team/qa") -> str:
    ds = engine.datasets.create(1, path, author="t")
    records = ({"inputs": {"i": i}, "expected": str(i)} for i in range(n))
    engine.data.import_records(1, ds.id, records, meta=VersionMeta(commit=True, message="first"))
    return ds.id


def test_datasets_page_counts_versions_and_deployments(engine: Engine) -> None:
    ds_id = _dataset(engine, 3)
    engine.datasets.update(1, ds_id, tags=["gold"])
    other = _dataset(engine, 1, path="b/other")
    v1 = engine.datasets.newest(1, ds_id)
    assert v1 is not None
    engine.datasets.deploy(1, ds_id, "production", v1.id)
    found = data.datasets_page(engine, 1, tag="gold")
    assert found["total"] == 1
    [entry] = found["items"]
    assert entry["id"] == ds_id and entry["tags"] == ["gold"]
    assert entry["deployed"] == {"production": v1.id}
    assert entry["deployed_numbers"] == {"production": 1}
    assert entry["version_count"] == 1 and entry["newest"]["datapoint_count"] == 3
    assert {k: entry[k] for k in out.dataset(engine.datasets.get(1, ds_id))} == out.dataset(
        engine.datasets.get(1, ds_id)
    )
    searched = data.datasets_page(engine, 1, search="other", sort_by="name", order="asc")
    assert [i["id"] for i in searched["items"]] == [other]
    with pytest.raises(InvalidInput):
        data.datasets_page(engine, 1, sort_by="secret_column")


def test_dataset_page_is_the_native_page_of_any_version(engine: Engine) -> None:
    ds_id = _dataset(engine)
    v1 = engine.datasets.newest(1, ds_id)
    assert v1 is not None
    engine.data.add(1, ds_id, [{"inputs": {"i": "new"}}])
    found = data.dataset_page(engine, 1, ds_id, offset=100, limit=25)
    native = engine.data.page(1, ds_id, offset=100, limit=25)
    assert found["page"]["items"] == out.datapoint_page(native)["items"]
    assert found["page"]["total"] == 121 and found["editable"] is True
    assert found["draft_id"] == found["versions"][0]["id"] != v1.id
    assert [v["number"] for v in found["versions"]] == [2, 1]
    old = data.dataset_page(engine, 1, ds_id, version_id=v1.id, offset=100, limit=25)
    assert old["editable"] is False and old["version"]["id"] == v1.id
    assert [d["inputs"]["i"] for d in old["page"]["items"]] == list(range(100, 120))
    searched = data.dataset_page(engine, 1, ds_id, version_id=v1.id, search="new")
    assert searched["page"]["total"] == 0
    with pytest.raises(InvalidInput):
        data.dataset_page(engine, 1, ds_id, limit=7)
    with pytest.raises(NotFound):
        data.dataset_page(engine, 1, ds_id, version_id="dsv_nope")


def test_datapoint_page_has_history_and_is_read_only_in_old_versions(engine: Engine) -> None:
    ds_id = _dataset(engine, 2)
    v1 = engine.datasets.newest(1, ds_id)
    assert v1 is not None
    first = engine.data.page(1, ds_id, limit=1).items[0]
    engine.data.update(1, ds_id, [(first.id, {"inputs": {"i": 0}, "expected": "zero"})])
    found = data.datapoint_page(engine, 1, ds_id, first.id)
    assert found["datapoint"] == {"id": first.id, "inputs": {"i": 0}, "expected": "zero"}
    assert [h["op"] for h in found["history"]] == ["created", "updated"]
    assert found["history"][0]["version_number"] == 1 and found["editable"] is True
    old = data.datapoint_page(engine, 1, ds_id, first.id, version_id=v1.id)
    assert old["datapoint"]["expected"] == "0" and old["editable"] is False


def test_diff_page_defaults_to_newest_against_its_parent(engine: Engine) -> None:
    ds_id = _dataset(engine, 3)
    items = engine.data.page(1, ds_id).items
    engine.data.update(1, ds_id, [(items[0].id, {"inputs": {"i": 0}, "expected": "changed"})])
    engine.data.remove(1, ds_id, [items[1].id])
    engine.data.add(1, ds_id, [{"inputs": {"i": 9}}])
    engine.datasets.commit(1, ds_id, message="second")
    found = data.diff_page(engine, 1, ds_id)
    versions = engine.datasets.versions(1, ds_id)
    assert (found["base"], found["target"]) == (versions[1].id, versions[0].id)
    assert found["diff"]["stats"] == {"added": 1, "removed": 1, "changed": 1}
    assert found["diff"]["changed"][0]["fields"] == ["expected"]
    native = out.diff(engine.data.diff(1, ds_id, versions[1].id, versions[0].id))
    assert found["diff"] == native
    back = data.diff_page(engine, 1, ds_id, base=versions[0].id, target=versions[1].id)
    assert back["diff"]["stats"] == {"added": 1, "removed": 1, "changed": 1}


def test_another_project_sees_nothing(engine: Engine) -> None:
    ds_id = _dataset(engine, 2)
    other = engine.admin.create_project("other")
    assert data.datasets_page(engine, other.id)["items"] == []
    with pytest.raises(NotFound):
        data.dataset_page(engine, other.id, ds_id)
    with pytest.raises(NotFound):
        data.diff_page(engine, other.id, ds_id)
    with pytest.raises(NotFound):
        data.datapoint_page(engine, other.id, ds_id, "dp_x")
