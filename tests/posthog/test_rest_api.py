"""Generation A (PostHog's documented REST API) through raw HTTP, on both URL prefixes.

Modelled on PostHog's own ``products/llm_analytics/backend/api/test/test_datasets.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from tests.clients import app_client

PREFIXES = ["/api/projects/{pid}", "/api/environments/{pid}"]


@pytest.fixture(params=PREFIXES, ids=["projects", "environments"])
def prefix(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def _writer(engine: Engine, tmp_path: Path) -> tuple[TestClient, int]:
    """A client with a write key of a new project (the admin key is replaced)."""
    client = app_client(engine, tmp_path)
    project = engine.admin.create_project("ph")
    _, secret = engine.admin.create_key(project.id, "writer", ["datasets:write"])
    client.headers.pop("X-API-KEY")
    client.headers["Authorization"] = f"Bearer {secret}"
    return client, project.id


def _names(response: Any) -> list[str]:
    return [d["name"] for d in response.json()["results"]]


def test_datasets(engine: Engine, tmp_path: Path, prefix: str) -> None:
    client, pid = _writer(engine, tmp_path)
    base = prefix.format(pid=pid) + "/datasets/"
    made = client.post(base, json={"name": "First", "team": 999, "created_by": 5})
    assert made.status_code == 201
    body = made.json()
    assert body["team"] == pid and body["created_by"]["first_name"] == "writer"
    assert body["deleted"] is False and body["metadata"] == {}
    client.post(base, json={"name": "Second", "description": "training data"})
    third = client.post(base, json={"name": "Third", "metadata": {"env": "production"}}).json()
    assert _names(client.get(base)) == ["Third", "Second", "First"]
    assert _names(client.get(base, params={"order_by": "created_at"})) == [
        "First",
        "Second",
        "Third",
    ]
    assert _names(client.get(base, params={"search": "TRAINING"})) == ["Second"]
    assert _names(client.get(base, params={"search": "production"})) == ["Third"]
    assert _names(client.get(base, params={"search": ""})) == ["Third", "Second", "First"]
    assert _names(client.get(base, params={"id__in": f"{third['id']},{body['id']}"})) == [
        "Third",
        "First",
    ]
    bad = client.get(base, params={"order_by": "invalid_field"})
    assert bad.status_code == 400 and bad.json()["attr"] == "order_by"

    first_page = client.get(base, params={"limit": 2}).json()
    assert first_page["count"] == 3 and first_page["previous"] is None
    assert first_page["next"] == f"http://testserver{base}?limit=2&offset=2"
    second_page = client.get(first_page["next"]).json()
    assert _names_of(second_page) == ["First"] and second_page["next"] is None
    assert second_page["previous"] == f"http://testserver{base}?limit=2"

    item = f"{base}{body['id']}/"
    renamed = client.patch(item, json={"name": "Renamed", "team": 999})
    assert renamed.status_code == 200 and renamed.json()["team"] == pid
    assert client.put(item, json={"description": "x"}).json()["attr"] == "name"
    deleted = client.delete(item)
    assert deleted.status_code == 405 and deleted.content == b""
    assert client.patch(item, json={"deleted": True}).json()["deleted"] is True
    assert "Renamed" not in _names(client.get(base))
    assert client.get(item).status_code == 404
    assert client.patch(item, json={"name": "Still deleted"}).json()["deleted"] is True
    assert client.patch(item, json={"deleted": False}).status_code == 200
    assert client.get(item).json()["name"] == "Still deleted"


def _names_of(page: dict[str, Any]) -> list[str]:
    return [d["name"] for d in page["results"]]


def test_dataset_items(engine: Engine, tmp_path: Path, prefix: str) -> None:
    client, pid = _writer(engine, tmp_path)
    root = prefix.format(pid=pid)
    parent = client.post(f"{root}/datasets/", json={"name": "Parent"}).json()["id"]
    other = client.post(f"{root}/datasets/", json={"name": "B"}).json()["id"]
    items = f"{root}/dataset_items/"
    made = client.post(
        items,
        json={
            "dataset": parent,
            "input": {"prompt": "Hello"},
            "output": {"completion": "World"},
            "metadata": {"key": "value"},
            "ref_trace_id": "trace",
            "ref_timestamp": "2024-05-01T10:00:00+02:00",
            "team": 999,
        },
    )
    assert made.status_code == 201, made.text
    item = made.json()
    assert item["team"] == pid and item["dataset"] == parent
    assert item["ref_timestamp"] == "2024-05-01T08:00:00Z"
    client.post(items, json={"dataset": other, "input": {"n": "b"}})
    newest = client.post(items, json={"dataset": parent, "input": {"n": "new"}}).json()
    assert [i["id"] for i in client.get(items, params={"dataset": parent}).json()["results"]] == [
        newest["id"],
        item["id"],
    ]
    assert client.get(items).json()["count"] == 3

    url = f"{items}{item['id']}/"
    got = client.get(url).json()
    assert (got["input"], got["output"], got["metadata"]) == (
        {"prompt": "Hello"},
        {"completion": "World"},
        {"key": "value"},
    )
    edited = client.patch(url, json={"input": {"x": 10}, "output": None, "metadata": {"z": 30}})
    assert edited.status_code == 200
    assert (edited.json()["input"], edited.json()["output"]) == ({"x": 10}, None)
    assert client.delete(url).status_code == 405 and client.delete(url).content == b""
    moved = client.patch(url, json={"dataset": other, "input": {"x": 11}})
    assert moved.status_code == 400 and moved.json()["attr"] == "dataset"
    assert client.get(url).json()["input"] == {"x": 10}

    assert client.patch(url, json={"deleted": True}).json()["deleted"] is True
    assert client.get(url).status_code == 404
    listed = client.get(items, params={"dataset": parent}).json()
    assert [i["id"] for i in listed["results"]] == [newest["id"]]
    still = client.patch(url, json={"input": {"prompt": "updated"}}).json()
    assert still["deleted"] is True and still["input"] == {"prompt": "updated"}
    back = client.patch(url, json={"deleted": False}).json()
    assert back["deleted"] is False and back["input"] == {"prompt": "updated"}
    assert client.get(url).status_code == 200


def test_validation_errors(engine: Engine, tmp_path: Path) -> None:
    client, pid = _writer(engine, tmp_path)
    root = f"/api/projects/{pid}"
    before = engine.datasets.page(pid)[1]
    assert client.post(f"{root}/datasets/", json={}).json() == {
        "type": "validation_error",
        "code": "required",
        "detail": "This field is required.",
        "attr": "name",
    }
    assert client.post(f"{root}/datasets/", json={"name": "x" * 401}).json()["code"] == (
        "max_length"
    )
    assert client.post(f"{root}/datasets/", json={"name": " "}).json()["code"] == "blank"
    parse = client.post(
        f"{root}/datasets/", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert parse.status_code == 400 and parse.json()["code"] == "parse_error"
    assert engine.datasets.page(pid)[1] == before

    ds = client.post(f"{root}/datasets/", json={"name": "d"}).json()["id"]
    missing = client.post(f"{root}/dataset_items/", json={"input": 1})
    assert missing.status_code == 400 and missing.json()["attr"] == "dataset"
    unknown = client.post(
        f"{root}/dataset_items/", json={"dataset": "00000000-0000-0000-0000-000000000000"}
    )
    assert unknown.json()["code"] == "does_not_exist"
    when = client.post(f"{root}/dataset_items/", json={"dataset": ds, "ref_timestamp": "soon"})
    assert when.status_code == 400 and when.json()["attr"] == "ref_timestamp"
    long_id = client.post(f"{root}/dataset_items/", json={"dataset": ds, "ref_trace_id": "t" * 256})
    assert long_id.json()["attr"] == "ref_trace_id"
    assert client.get(f"{root}/dataset_items/", params={"dataset": ds}).json()["count"] == 0
    assert client.get(f"{root}/datasets").status_code == 404
    assert client.get(f"{root}/datasets/not-a-uuid/").status_code == 404


def test_auth_and_project_scoping(engine: Engine, tmp_path: Path) -> None:
    client, pid = _writer(engine, tmp_path)
    secret = client.headers.pop("Authorization").split()[1]
    root = f"/api/projects/{pid}"
    assert client.get(f"{root}/datasets/").json() == {
        "type": "authentication_error",
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "attr": None,
    }
    bad_key = client.get(f"{root}/datasets/", params={"personal_api_key": "nope"})
    assert bad_key.status_code == 401 and bad_key.json()["code"] == "authentication_failed"
    made = client.post(f"{root}/datasets/", json={"name": "mine", "personal_api_key": secret})
    assert made.status_code == 201
    mine = made.json()["id"]
    assert client.get(f"{root}/datasets/", params={"personal_api_key": secret}).json()["count"] == 1
    client.headers["Authorization"] = f"Bearer {secret}"
    assert client.get("/api/environments/@current/datasets/").json()["count"] == 1

    forbidden = client.get("/api/projects/1/datasets/")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "permission_denied"
    assert client.get("/api/projects/9999/datasets/").status_code == 404
    foreign = engine.datasets.create(1, "theirs")
    foreign_uuid = foreign.id[3:]
    assert client.get(f"{root}/datasets/{foreign_uuid}/").status_code == 404
    assert client.patch(f"{root}/datasets/{foreign_uuid}/", json={"name": "x"}).status_code == 404
    assert engine.datasets.get(1, foreign.id).path == "theirs"

    _, reader = engine.admin.create_key(pid, "reader", ["datasets:read"])
    client.headers["Authorization"] = f"Bearer {reader}"
    assert client.get(f"{root}/datasets/{mine}/").status_code == 200
    denied = client.patch(f"{root}/datasets/{mine}/", json={"name": "x"})
    assert denied.status_code == 403
    assert denied.json()["detail"] == "API key missing required scope 'dataset:write'"
    assert client.delete(f"{root}/datasets/{mine}/").status_code == 403
