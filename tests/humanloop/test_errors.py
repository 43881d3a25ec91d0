"""Humanloop's error shapes, status by status; a failed request changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from tests.clients import app_client

LIMIT = 4096


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> TestClient:
    return app_client(engine, tmp_path, max_json_body=LIMIT)


@pytest.fixture
def dataset(client: TestClient) -> dict[str, Any]:
    body = {"path": "err/qa", "version_name": "v1", "datapoints": [{"inputs": {"q": "1"}}]}
    created = client.post("/v5/datasets", json=body)
    assert created.status_code == 200, created.text
    result: dict[str, Any] = created.json()
    return result


def state(client: TestClient, dataset_id: str) -> Any:
    """What a failed request must leave as it was: versions, datapoints, every dataset."""
    versions = client.get(f"/v5/datasets/{dataset_id}/versions").json()
    points = client.get(f"/v5/datasets/{dataset_id}/datapoints", params={"size": 100}).json()
    listing = client.get("/v5/datasets", params={"size": 100}).json()
    return versions, points, listing


def detail(status: int, kind: str, message: str) -> dict[str, Any]:
    return {"detail": {"type": kind, "message": message, "code": status, "origin": "Humanloop"}}


def test_401_without_a_key_403_without_the_scope(
    engine: Engine, client: TestClient, dataset: dict[str, Any]
) -> None:
    before = state(client, dataset["id"])
    missing = client.post(
        "/v5/datasets", json={"path": "x", "datapoints": []}, headers={"X-API-KEY": ""}
    )
    assert missing.status_code == 401
    assert missing.json() == detail(
        401,
        "authentication_error",
        "an API key is required (X-API-KEY or Authorization: Bearer)",
    )
    wrong = client.get("/v5/datasets", headers={"X-API-KEY": "es_wrong"})
    assert wrong.status_code == 401
    assert wrong.json() == detail(401, "authentication_error", "invalid or revoked API key")
    _, secret = engine.admin.create_key(1, "reader", ["datasets:read"])
    denied = client.delete(f"/v5/datasets/{dataset['id']}", headers={"X-API-KEY": secret})
    assert denied.status_code == 403
    assert denied.json() == detail(
        403, "permission_denied_error", "this key lacks the 'datasets:write' scope"
    )
    assert state(client, dataset["id"]) == before


def test_404_and_other_projects(
    engine: Engine, client: TestClient, dataset: dict[str, Any]
) -> None:
    before = state(client, dataset["id"])
    unknown = client.get("/v5/datasets/ds_00000000000000000000000000000000")
    assert unknown.status_code == 404
    assert unknown.json() == detail(
        404, "not_found_error", "dataset ds_00000000000000000000000000000000 not found"
    )
    version = client.get(f"/v5/datasets/{dataset['id']}", params={"version_id": "dsv_x"})
    assert version.json() == detail(404, "not_found_error", "version dsv_x not found")
    env = client.get(f"/v5/datasets/{dataset['id']}/datapoints", params={"environment": "qa"})
    assert env.json() == detail(404, "not_found_error", "environment qa not found")
    route = client.get("/v5/nothing-here")
    assert route.status_code == 404 and route.json()["detail"]["type"] == "not_found_error"

    other = engine.admin.create_project("other")
    _, secret = engine.admin.create_key(other.id, "k", ["datasets:read", "datasets:write"])
    headers = {"X-API-KEY": secret}
    for method, path in [
        ("GET", f"/v5/datasets/{dataset['id']}"),
        ("GET", f"/v5/datasets/{dataset['id']}/datapoints"),
        ("PATCH", f"/v5/datasets/{dataset['id']}/versions/{dataset['version_id']}"),
        ("DELETE", f"/v5/datasets/{dataset['id']}"),
        ("DELETE", f"/v5/datasets/{dataset['id']}/versions/{dataset['version_id']}"),
    ]:
        response = client.request(method, path, headers=headers, json={"name": "stolen"})
        assert response.status_code == 404, (method, path)
        assert response.json() == detail(
            404, "not_found_error", f"dataset {dataset['id']} not found"
        )
    sneaky = client.post(
        "/v5/datasets", headers=headers, json={"id": dataset["id"], "datapoints": []}
    )
    assert sneaky.status_code == 404
    assert client.get("/v5/datasets", headers=headers).json()["records"] == []
    assert state(client, dataset["id"]) == before


def test_409_version_name_taken_and_commit_twice(
    client: TestClient, dataset: dict[str, Any]
) -> None:
    before = state(client, dataset["id"])
    taken = client.post(
        "/v5/datasets",
        json={"id": dataset["id"], "version_name": "v1", "datapoints": [{"inputs": {"q": "2"}}]},
    )
    assert taken.status_code == 409
    assert taken.json() == detail(409, "conflict_error", "a version named 'v1' already exists")
    assert state(client, dataset["id"]) == before

    commit = f"/v5/datasets/{dataset['id']}/versions/{dataset['version_id']}/commit"
    assert client.post(commit, json={"commit_message": "one"}).status_code == 200
    committed = state(client, dataset["id"])
    twice = client.post(commit, json={"commit_message": "two"})
    assert twice.status_code == 409
    assert twice.json() == detail(
        409, "conflict_error", f"version {dataset['version_id']} is already committed"
    )
    assert state(client, dataset["id"]) == committed


BAD_UPSERTS: list[tuple[Any, list[Any], str | None]] = [
    ({"path": "err/qa"}, ["body", "datapoints"], "missing"),
    ({"path": "err/qa", "datapoints": {}}, ["body", "datapoints"], "list_type"),
    ({"path": "err/qa", "datapoints": [], "action": "merge"}, ["body", "action"], None),
    (
        {"path": "err/qa", "datapoints": [{"inputs": {"q": "9"}}, {"messages": [{}]}]},
        ["body", "datapoints", 1, "messages", 0, "role"],
        "missing",
    ),
    (
        {"path": "err/qa", "datapoints": [{"messages": [{"role": "robot"}]}]},
        ["body", "datapoints", 0, "messages", 0, "role"],
        "literal_error",
    ),
    (
        {"path": "err/qa", "datapoints": [{"messages": [{"role": ["user"]}]}]},
        ["body", "datapoints", 0, "messages", 0, "role"],
        "literal_error",
    ),
    (
        {"path": "err/qa", "datapoints": [{"target": "4"}]},
        ["body", "datapoints", 0, "target"],
        "dict_type",
    ),
    ({"path": "err//qa", "datapoints": []}, ["body", "path"], "value_error"),
    ([1, 2], ["body"], None),
]


def test_422_lists_what_is_wrong(client: TestClient, dataset: dict[str, Any]) -> None:
    before = state(client, dataset["id"])
    for body, loc, kind in BAD_UPSERTS:
        response = client.post("/v5/datasets", json=body)
        assert response.status_code == 422, response.text
        items = response.json()["detail"]
        assert set(response.json()) == {"detail"} and len(items) == 1
        assert items[0]["loc"] == loc and isinstance(items[0]["msg"], str)
        if kind is not None:
            assert items[0]["type"] == kind
    assert state(client, dataset["id"]) == before


def test_422_for_queries(client: TestClient, dataset: dict[str, Any]) -> None:
    page = client.get("/v5/datasets", params={"page": 0})
    assert page.status_code == 422
    assert [i["loc"] for i in page.json()["detail"]] == [["query", "page"]]
    deploy = client.post(f"/v5/datasets/{dataset['id']}/environments/production")
    assert deploy.status_code == 422
    assert [i["loc"] for i in deploy.json()["detail"]] == [["query", "version_id"]]
    commit = client.post(
        f"/v5/datasets/{dataset['id']}/versions/{dataset['version_id']}/commit", json={}
    )
    assert [(i["loc"], i["type"]) for i in commit.json()["detail"]] == [
        (["body", "commit_message"], "missing")
    ]


def test_bad_json_is_a_fastapi_422(client: TestClient, dataset: dict[str, Any]) -> None:
    before = state(client, dataset["id"])
    for path in ("/v5/datasets", f"/v5/datasets/{dataset['id']}"):
        method = "POST" if path == "/v5/datasets" else "PATCH"
        response = client.request(
            method, path, content=b'{"path": "x", ', headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        items = response.json()["detail"]
        assert [i["type"] for i in items] == ["json_invalid"] and items[0]["loc"][0] == "body"
    assert state(client, dataset["id"]) == before


def test_413_too_large(client: TestClient, dataset: dict[str, Any]) -> None:
    before = state(client, dataset["id"])
    body = {"id": dataset["id"], "datapoints": [{"inputs": {"q": "x" * LIMIT}}]}
    response = client.post("/v5/datasets", json=body)
    assert response.status_code == 413
    assert response.json() == detail(
        413, "payload_too_large_error", f"request body is larger than {LIMIT} bytes"
    )
    assert state(client, dataset["id"]) == before


def test_csv_upload_errors_change_nothing(client: TestClient, dataset: dict[str, Any]) -> None:
    before = state(client, dataset["id"])
    url = f"/v5/datasets/{dataset['id']}/datapoints/csv"
    cases = [
        (b"not multipart", "text/csv"),
        (b"no boundary line here", "multipart/form-data"),
        (_multipart(b"q,messages\n1,not json\n"), "multipart/form-data"),
        (_multipart(b"q\n\xff\xfe\n"), "multipart/form-data"),
        (_multipart(b"q\n1,2\n"), "multipart/form-data"),
    ]
    for content, ctype in cases:
        response = client.post(url, content=content, headers={"content-type": ctype})
        assert response.status_code == 422, content
        assert response.json()["detail"][0]["loc"] == ["body", "file"]
    assert state(client, dataset["id"]) == before


def test_csv_upload_without_boundary_parameter(client: TestClient, dataset: dict[str, Any]) -> None:
    """What SDK 0.8.38 sends: ``multipart/form-data`` and no ``boundary=``."""
    content = _multipart(b'q,target\n2,"{""a"": 2}"\n', name="v2")
    response = client.post(
        f"/v5/datasets/{dataset['id']}/datapoints/csv",
        content=content,
        headers={"content-type": "multipart/form-data"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["version_name"], response.json()["datapoints_count"]) == ("v2", 2)
    points = client.get(
        f"/v5/datasets/{dataset['id']}/datapoints",
        params={"version_id": response.json()["version_id"]},
    ).json()["records"]
    assert [(p["inputs"], p.get("target")) for p in points] == [
        ({"q": "1"}, None),
        ({"q": "2"}, {"a": 2}),
    ]


BOUNDARY = b"a1b2c3d4e5f6"


def _multipart(csv: bytes, name: str | None = None) -> bytes:
    parts = []
    if name is not None:
        parts.append(b'Content-Disposition: form-data; name="version_name"\r\n\r\n' + name.encode())
    parts.append(
        b'Content-Disposition: form-data; name="file"; filename="d.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + csv
    )
    body = b"".join(b"--" + BOUNDARY + b"\r\n" + part + b"\r\n" for part in parts)
    return body + b"--" + BOUNDARY + b"--\r\n"
