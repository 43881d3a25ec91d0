"""PostHog items ↔ canonical datapoints: what one dialect writes the native API reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from evalsets.core.engine import Engine
from evalsets.http.posthog import mapping
from tests.clients import app_client

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["input", "metadata", "a"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(json_values)
def test_wrapping_is_reversible(value: Any) -> None:
    for key in ("input", "metadata"):
        wrapped = mapping.wrap(value, key)
        assert isinstance(wrapped, dict)
        assert mapping.unwrap(wrapped, key) == value


@given(json_values)
def test_dataset_metadata_is_reversible(value: Any) -> None:
    if value is not None:
        assert mapping.metadata_of(mapping.attributes_of(value)) == value


def test_items_read_through_the_native_api_and_back(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    ds = client.post("/api/projects/1/datasets/", json={"name": "shared"}).json()
    native_id = "ds_" + ds["id"].replace("-", "")
    made = client.post(
        "/api/projects/1/dataset_items/",
        json={
            "dataset": ds["id"],
            "input": ["a", "list"],
            "output": "answer",
            "metadata": {"topic": "x"},
            "ref_trace_id": "t-1",
            "ref_timestamp": "2025-01-01T00:00:00Z",
            "ref_source_id": "span-1",
        },
    ).json()
    point = client.get(f"/api/v1/datasets/{native_id}/datapoints").json()["items"][0]
    assert point == {
        "id": "dp_" + made["id"].replace("-", ""),
        "inputs": {"input": ["a", "list"]},
        "expected": "answer",
        "metadata": {"topic": "x"},
        "trace": {"trace_id": "t-1", "timestamp": "2025-01-01T00:00:00Z", "source_id": "span-1"},
    }
    added = client.post(
        f"/api/v1/datasets/{native_id}/datapoints",
        json={"datapoints": [{"inputs": {"q": 1}, "expected": {"a": 2}, "context": "doc"}]},
    )
    assert added.status_code == 201, added.text
    listed = client.get("/api/projects/1/dataset_items/", params={"dataset": ds["id"]}).json()
    newest = listed["results"][0]
    assert (newest["input"], newest["output"], newest["expected_output"]) == (
        {"q": 1},
        {"a": 2},
        {"a": 2},
    )
    assert newest["metadata"] == {} and newest["ref_trace_id"] is None
    patched = client.patch(
        f"/api/projects/1/dataset_items/{newest['id']}/", json={"metadata": {"m": 1}}
    )
    assert patched.status_code == 200
    again = client.get(
        f"/api/v1/datasets/{native_id}/datapoints/dp_{newest['id'].replace('-', '')}"
    ).json()
    assert again["context"] == "doc" and again["metadata"] == {"m": 1}


def test_empty_objects_are_absent_fields(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    ds = client.post("/api/projects/1/datasets/", json={"name": "empty"}).json()["id"]
    made = client.post("/api/projects/1/dataset_items/", json={"dataset": ds, "input": {}})
    url = f"/api/projects/1/dataset_items/{made.json()['id']}/"
    same = client.patch(url, json={"base_version": 1, "metadata": {}, "input": {}}).json()
    assert (same["version"], same["input"], same["metadata"]) == (1, {}, {})
    native_id = "ds_" + ds.replace("-", "")
    assert client.get(f"/api/v1/datasets/{native_id}/datapoints").json()["items"][0] == {
        "id": "dp_" + made.json()["id"].replace("-", "")
    }
