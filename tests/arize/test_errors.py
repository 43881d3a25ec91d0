"""Arize error shape: RFC 9457 problem+json bodies and codes; failures change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.http.arize import ids
from tests.clients import app_client

SPACE = ids.space_id(1)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://arize.com/docs/ax/rest-reference/errors#")
    assert body["title"] and body["detail"] and body["request_id"].startswith("req_")
    return body


def state(client: TestClient, dataset_id: str) -> tuple[Any, ...]:
    ds = client.get(f"/v2/datasets/{dataset_id}").json()
    examples = client.get(f"/v2/datasets/{dataset_id}/examples", params={"limit": 500}).json()
    listed = client.get("/v2/datasets").json()["datasets"]
    return ds["name"], ds["versions"], examples["examples"], [d["id"] for d in listed]


def test_error_shapes_and_nothing_changes(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    created = client.post(
        "/v2/datasets",
        json={"name": "qa", "space_id": SPACE, "examples": [{"q": "1"}, {"q": "2"}]},
    )
    assert created.status_code == 201
    ds_id = created.json()["id"]
    before = state(client, ds_id)
    version = before[1][0]["id"]

    no_key = TestClient(client.app, raise_server_exceptions=False)
    assert_problem(no_key.get("/v2/datasets"), 401)
    bad_key = no_key.get("/v2/datasets", headers={"Authorization": "Bearer nope"})
    assert_problem(bad_key, 401)

    bad_json = client.post(
        f"/v2/datasets/{ds_id}/examples",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert_problem(bad_json, 400)
    assert_problem(client.get("/v2/datasets", params={"limit": 101}), 400)
    syntax = client.post(f"/v2/datasets/{ds_id}/examples/search", json={"filter": "q = = 'x'"})
    assert_problem(syntax, 400)
    bad_cursor = client.get(f"/v2/datasets/{ds_id}/examples", params={"cursor": "zzz"})
    assert_problem(bad_cursor, 400)
    assert_problem(client.get("/v2/datasets", params={"cursor": "zzz"}), 400)

    assert_problem(client.get("/v2/datasets/RGF0YXNldDoxOmFCY0Q="), 404)
    assert_problem(client.get("/v2/datasets/not-base64!"), 404)
    other_space = ids.space_id(99)
    assert_problem(
        client.post(
            "/v2/datasets", json={"name": "x", "space_id": other_space, "examples": [{"a": 1}]}
        ),
        404,
    )

    taken = client.post(
        "/v2/datasets", json={"name": "qa", "space_id": SPACE, "examples": [{"q": "3"}]}
    )
    assert "qa" in assert_problem(taken, 409)["detail"]

    invalid: list[list[Any]] = [
        [],
        [{}],
        [{"id": "x", "q": "4"}],
        [{"q": "5", "created_at": 1}],
        ["text"],
    ]
    for examples in invalid:
        response = client.post(
            "/v2/datasets", json={"name": "new", "space_id": SPACE, "examples": examples}
        )
        assert_problem(response, 422)
        appended = client.post(f"/v2/datasets/{ds_id}/examples", json={"examples": examples})
        assert_problem(appended, 422)
    too_many = [{"q": str(i)} for i in range(1001)]
    assert_problem(
        client.post("/v2/datasets", json={"name": "big", "space_id": SPACE, "examples": too_many}),
        422,
    )
    blank = client.post(f"/v2/datasets/{ds_id}/examples/search", json={"filter": "  "})
    assert_problem(blank, 422)
    assert_problem(client.patch(f"/v2/datasets/{ds_id}", json={"name": " "}), 422)
    no_id = client.patch(f"/v2/datasets/{ds_id}/examples", json={"examples": [{"q": "x"}]})
    assert_problem(no_id, 422)
    duplicate_ids = client.request(
        "DELETE",
        f"/v2/datasets/{ds_id}/examples",
        json={"dataset_version_id": version, "example_ids": ["a", "a"]},
    )
    assert_problem(duplicate_ids, 422)
    assert_problem(client.post(f"/v2/datasets/{ds_id}/tags", json={"tag_ids": []}), 422)

    assert state(client, ds_id) == before

    first_id = before[2][0]["id"]
    renamed = client.patch(
        f"/v2/datasets/{ds_id}/examples",
        json={"examples": [{"id": first_id, "q": "new"}], "new_version": "second"},
    )
    assert renamed.status_code == 200
    after = state(client, ds_id)
    older = client.patch(
        f"/v2/datasets/{ds_id}/examples",
        params={"dataset_version_id": version},
        json={"examples": [{"id": first_id, "q": "in place"}]},
    )
    assert "latest" in assert_problem(older, 409)["detail"]
    again = client.patch(
        f"/v2/datasets/{ds_id}/examples",
        json={"examples": [{"id": first_id, "q": "x"}], "new_version": "second"},
    )
    assert_problem(again, 409)
    assert state(client, ds_id) == after
    assert [d["name"] for d in client.get("/v2/datasets").json()["datasets"]] == ["qa"]


def test_another_projects_key_sees_404(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    ds = client.post(
        "/v2/datasets", json={"name": "mine", "space_id": SPACE, "examples": [{"q": "1"}]}
    ).json()
    project = engine.admin.create_project("other")
    _, secret = engine.admin.create_key(project.id, "w", ["datasets:write"])
    other = TestClient(
        client.app, headers={"Authorization": f"Bearer {secret}"}, raise_server_exceptions=False
    )
    assert_problem(other.get(f"/v2/datasets/{ds['id']}"), 404)
    assert_problem(other.get(f"/v2/datasets/{ds['id']}/examples"), 404)
    assert_problem(other.delete(f"/v2/datasets/{ds['id']}"), 404)
    assert_problem(other.patch(f"/v2/datasets/{ds['id']}", json={"name": "stolen"}), 404)
    assert_problem(other.get("/v2/datasets", params={"space_id": SPACE}), 404)
    assert other.get("/v2/datasets").json()["datasets"] == []
    spaces = other.get("/v2/spaces").json()["spaces"]
    assert [(s["id"], s["name"]) for s in spaces] == [(ids.space_id(project.id), "other")]
    assert client.get(f"/v2/datasets/{ds['id']}").json()["name"] == "mine"
    reader_key = engine.admin.create_key(1, "r", ["datasets:read"])[1]
    reader = TestClient(client.app, headers={"X-API-KEY": reader_key})
    forbidden = reader.delete(f"/v2/datasets/{ds['id']}")
    assert_problem(forbidden, 403)
