"""Examples written through Arize read well through the native API, and round-trip unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from evalsets.core.engine import Engine
from evalsets.http.arize import filters, ids
from evalsets.http.arize.mapping import EXPECTED_COLUMNS, to_columns, to_content
from tests.clients import app_client

SPACE = ids.space_id(1)
EXAMPLES: list[dict[str, Any]] = [
    {
        "question": "2+2?",
        "output": "4",
        "messages": [{"role": "user", "content": "2+2?"}],
        "context": "arithmetic",
        "metadata": {"topic": "math"},
        "score": 3,
    },
    {"question": "odd", "messages": "not a list", "metadata": "plain text", "output": None},
]


def test_arize_examples_map_onto_canonical_fields(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    ds = client.post(
        "/v2/datasets", json={"name": "mapped", "space_id": SPACE, "examples": EXAMPLES}
    ).json()
    native_id = ids.parse_dataset(ds["id"], 1)
    native = client.get(f"/api/v1/datasets/{native_id}/datapoints").json()["items"]
    first = {k: v for k, v in native[0].items() if k != "id"}
    assert first == {
        "inputs": {"question": "2+2?", "score": 3},
        "expected": "4",
        "messages": [{"role": "user", "content": "2+2?"}],
        "context": "arithmetic",
        "metadata": {"topic": "math"},
    }
    second = {k: v for k, v in native[1].items() if k != "id"}
    assert second == {
        "inputs": {
            "question": "odd",
            "messages": "not a list",
            "metadata": "plain text",
            "output": None,
        }
    }
    assert [ids.example_id(d["id"]) for d in native] == [
        e["id"] for e in client.get(f"/v2/datasets/{ds['id']}/examples").json()["examples"]
    ]
    back = client.get(f"/v2/datasets/{ds['id']}/examples").json()["examples"]
    assert [
        {k: v for k, v in e.items() if k not in ("id", "created_at", "updated_at")} for e in back
    ] == EXAMPLES

    # a dataset written natively reads through Arize with `expected` as its column
    made = client.post("/api/v1/datasets", json={"path": "native/qa"}).json()
    client.post(
        f"/api/v1/datasets/{made['id']}/datapoints",
        json={"datapoints": [{"inputs": {"q": "x"}, "expected": {"a": 1}, "trace": {"id": "t"}}]},
    )
    arize_id = ids.dataset_id(1, made["id"])
    shown = client.get(f"/v2/datasets/{arize_id}/examples").json()["examples"][0]
    assert {k: shown[k] for k in ("q", "expected", "trace")} == {
        "q": "x",
        "expected": {"a": 1},
        "trace": {"id": "t"},
    }
    listed = client.get("/v2/datasets", params={"name": "NATIVE/Q"}).json()["datasets"]
    assert [d["name"] for d in listed] == ["native/qa"]
    first = client.get("/v2/datasets", params={"limit": 1}).json()
    assert [d["name"] for d in first["datasets"]] == ["native/qa"]
    assert first["pagination"]["has_more"] is True
    cursor = first["pagination"]["next_cursor"]
    second = client.get("/v2/datasets", params={"limit": 1, "cursor": cursor}).json()
    assert [d["name"] for d in second["datasets"]] == ["mapped"]
    assert second["pagination"] == {"has_more": False}


def test_update_annotate_and_filter(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    ds = client.post(
        "/v2/datasets",
        json={"name": "f", "space_id": SPACE, "examples": [{"q": "a", "n": 1}, {"q": "b", "n": 2}]},
    ).json()
    examples = client.get(f"/v2/datasets/{ds['id']}/examples").json()["examples"]
    first, second = (e["id"] for e in examples)
    updated = client.patch(
        f"/v2/datasets/{ds['id']}/examples",
        params={"dataset_version_id": ""},
        json={
            "examples": [
                {"id": first, "extra": True},
                {"id": "00000000-0000-7000-8000-000000000000", "q": "x"},
            ]
        },
    )
    assert updated.status_code == 200 and updated.json()["example_ids"] == [first]
    annotated = client.post(
        f"/v2/datasets/{ds['id']}/examples/annotate",
        json={
            "annotations": [
                {"record_id": second, "values": [{"name": "Correct", "label": "yes", "score": 1}]}
            ]
        },
    )
    assert annotated.status_code == 202 and annotated.content == b""

    def search(text: str) -> list[str]:
        found = client.post(f"/v2/datasets/{ds['id']}/examples/search", json={"filter": text})
        assert found.status_code == 200, found.text
        return [e["q"] for e in found.json()["examples"]]

    assert search("q = 'a' AND extra = true") == ["a"]
    assert search("annotation.Correct.label = 'yes'") == ["b"]
    assert search("n <> 1 OR q = 'a'") == ["a", "b"]
    assert search("(n >= 2 AND q = 'a') OR annotation.Correct.score > 0.5") == ["b"]
    assert search("NOT q = 'a'") == ["b"]
    assert search("missing = null AND extra <> null") == ["a"]
    row = client.post(
        f"/v2/datasets/{ds['id']}/examples/search", json={"filter": "q = 'b'"}
    ).json()["examples"][0]
    assert row["annotations"][0]["label"] == "yes" and row["n"] == 2

    tag = ids.tag_id(1, "gold")
    assert (
        client.post(f"/v2/datasets/{ds['id']}/tags", json={"tag_ids": [tag]}).json()["tags"][0][
            "name"
        ]
        == "gold"
    )
    assert client.get(f"/v2/datasets/{ds['id']}/tags").json()["tags"][0]["id"] == tag
    removed = client.request(
        "DELETE", f"/v2/datasets/{ds['id']}/tags", json={"tag_ids": [tag, ids.tag_id(1, "x")]}
    ).json()
    assert removed == {"completed": False, "deleted": [tag], "not_deleted": [ids.tag_id(1, "x")]}
    assert (
        client.post(
            f"/v2/datasets/{ds['id']}/tags", json={"tag_ids": [ids.tag_id(2, "x")]}
        ).status_code
        == 422
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
columns = st.sampled_from(
    [
        "q",
        "inputs",
        "messages",
        "context",
        "metadata",
        "sources",
        "filters",
        "trace",
        *EXPECTED_COLUMNS,
    ]
)


@given(
    st.dictionaries(columns | st.text(min_size=1, max_size=6), json_values, min_size=1, max_size=6),
    st.sampled_from(EXPECTED_COLUMNS),
)
def test_mapping_round_trips(example: dict[str, Any], expected_column: str) -> None:
    example.pop("annotations", None)
    assert to_columns(to_content(example, expected_column), expected_column) == example


def test_filter_syntax() -> None:
    row = {"a": "x", "b": 2, "c": {"d": "e"}}
    assert filters.parse("a = 'x' and c.d = 'e'")(row)
    assert filters.parse("\"a\" = 'x'")(row)
    assert not filters.parse("b < 2")(row)
    assert filters.parse("b = '2'")(row)
