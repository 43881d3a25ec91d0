"""The native API in process, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from tests.clients import app_client


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> TestClient:
    return app_client(engine, tmp_path)


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200


def test_dataset_lifecycle(client: TestClient) -> None:
    created = client.post("/api/v1/datasets", json={"path": "team/qa", "tags": ["a"]})
    assert created.status_code == 201, created.text
    ds = created.json()
    assert (ds["path"], ds["name"], ds["tags"]) == ("team/qa", "qa", ["a"])
    write = client.post(
        f"/api/v1/datasets/{ds['id']}/versions",
        json={"datapoints": [{"inputs": {"q": "1"}}, {"inputs": {"q": "2"}}], "message": "first"},
    )
    assert write.status_code == 201 and write.json()["status"] == "committed"
    same = client.post(
        f"/api/v1/datasets/{ds['id']}/versions",
        json={"datapoints": [{"inputs": {"q": "2"}}, {"inputs": {"q": "1"}}]},
    )
    assert same.status_code == 200 and same.json()["created"] is False
    page = client.get(f"/api/v1/datasets/{ds['id']}/datapoints", params={"limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["next_cursor"]
    second = client.get(
        f"/api/v1/datasets/{ds['id']}/datapoints",
        params={"limit": 1, "cursor": page["next_cursor"]},
    ).json()
    assert second["items"][0]["inputs"] == {"q": "2"}
    listing = client.get("/api/v1/datasets").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == ds["id"]
    moved = client.patch(f"/api/v1/datasets/{ds['id']}", json={"path": "other/qa2"})
    assert moved.json()["path"] == "other/qa2"
    assert client.delete(f"/api/v1/datasets/{ds['id']}").status_code == 204
    assert client.get(f"/api/v1/datasets/{ds['id']}").status_code == 404


def test_rows_commit_diff_history_deploy_restore(client: TestClient) -> None:
    ds = client.post("/api/v1/datasets", json={"path": "rows"}).json()
    base = f"/api/v1/datasets/{ds['id']}"
    added = client.post(
        f"{base}/datapoints", json={"datapoints": [{"inputs": {"i": 1}}, {"inputs": {"i": 2}}]}
    )
    assert added.status_code == 201
    first_id = added.json()["ids"][0]
    v1 = client.post(f"{base}/commit", json={"message": "one"}).json()
    assert v1["status"] == "committed"
    patched = client.patch(f"{base}/datapoints/{first_id}", json={"expected": "x"})
    assert patched.json()["expected"] == "x" and patched.json()["inputs"] == {"i": 1}
    v2 = client.post(f"{base}/commit", json={"message": "two"}).json()
    diff = client.get(f"{base}/diff", params={"base": v1["id"], "target": v2["id"]}).json()
    assert diff["stats"] == {"added": 0, "removed": 0, "changed": 1}
    assert diff["changed"][0]["fields"] == ["expected"]
    history = client.get(f"{base}/datapoints/{first_id}/history").json()
    assert [h["op"] for h in history["items"]] == ["created", "updated"]
    assert (
        client.put(f"{base}/deployments/production", json={"version_id": v1["id"]}).status_code
        == 200
    )
    deployed = client.get(f"{base}/datapoints", params={"environment": "production"}).json()
    assert "expected" not in deployed["items"][0]
    restored = client.post(f"{base}/versions/{v1['id']}/restore", json={})
    assert restored.status_code == 201
    assert client.get(f"{base}/datapoints").json()["items"][0] == {
        "id": first_id,
        "inputs": {"i": 1},
    }
    versions = client.get(f"{base}/versions").json()["items"]
    assert [v["number"] for v in versions] == [3, 2, 1]


def test_import_and_export_all_formats(client: TestClient) -> None:
    ds = client.post("/api/v1/datasets", json={"path": "io"}).json()
    base = f"/api/v1/datasets/{ds['id']}"
    lines = "\n".join(
        f'{{"inputs": {{"i": {i}}}, "expected": "e{i}", "note": "x"}}' for i in range(50)
    )
    imported = client.post(
        f"{base}/import", content=lines, headers={"content-type": "application/x-ndjson"}
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["datapoint_count"] == 50
    exported = {}
    for fmt in ("ndjson", "csv", "parquet"):
        response = client.get(f"{base}/export", params={"format": fmt})
        assert response.status_code == 200
        exported[fmt] = response.content
    for fmt in ("csv", "parquet"):
        target = client.post("/api/v1/datasets", json={"path": f"io-{fmt}"}).json()
        files = {"file": (f"data.{fmt}", exported[fmt])}
        result = client.post(f"/api/v1/datasets/{target['id']}/import", files=files)
        assert result.status_code == 201, result.text
        back = client.get(f"/api/v1/datasets/{target['id']}/export").text.splitlines()
        original = client.get(f"{base}/export").text.splitlines()
        strip = [__import__("json").loads(x) for x in back]
        orig = [__import__("json").loads(x) for x in original]
        assert [{k: v for k, v in r.items() if k != "id"} for r in strip] == [
            {k: v for k, v in r.items() if k != "id"} for r in orig
        ]


def test_bad_import_line_changes_nothing(client: TestClient) -> None:
    ds = client.post("/api/v1/datasets", json={"path": "bad"}).json()
    body = '{"inputs": {}}\n{"inputs": {}}\n{not json\n'
    response = client.post(f"/api/v1/datasets/{ds['id']}/import", content=body)
    assert response.status_code == 422
    assert "line 3" in response.json()["error"]["message"]
    assert client.get(f"/api/v1/datasets/{ds['id']}/versions").json()["items"] == []


def test_error_shapes(client: TestClient, engine: Engine, tmp_path: Path) -> None:
    missing = client.get("/api/v1/datasets/ds_nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad_json = client.post(
        "/api/v1/datasets", content=b"{", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "bad_json"
    wrong_type = client.post("/api/v1/datasets", json={"path": 3})
    assert wrong_type.status_code == 422
    client.post("/api/v1/datasets", json={"path": "dup"})
    taken = client.post("/api/v1/datasets", json={"path": "dup"})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "name_taken"
    anonymous = client.get("/api/v1/datasets", headers={"X-API-KEY": ""})
    assert anonymous.status_code == 401
    small = app_client(engine, tmp_path, max_json_body=100)
    too_large = small.post("/api/v1/datasets", json={"path": "x" * 200})
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "payload_too_large"


def test_projects_keys_and_isolation(client: TestClient) -> None:
    project = client.post("/api/v1/projects", json={"name": "tenant-b"})
    assert project.status_code == 201 and isinstance(project.json()["id"], int)
    pid = project.json()["id"]
    key = client.post(
        f"/api/v1/projects/{pid}/keys",
        json={"name": "b", "scopes": ["datasets:read", "datasets:write"]},
    )
    assert key.status_code == 201
    b_headers = {"X-API-KEY": key.json()["key"]}
    reader = client.post(
        f"/api/v1/projects/{pid}/keys", json={"name": "r", "scopes": ["datasets:read"]}
    ).json()
    ds_a = client.post("/api/v1/datasets", json={"path": "secret"}).json()
    client.post(
        f"/api/v1/datasets/{ds_a['id']}/datapoints", json={"datapoints": [{"inputs": {"s": 1}}]}
    )
    for method, path in [
        ("GET", f"/api/v1/datasets/{ds_a['id']}"),
        ("GET", f"/api/v1/datasets/{ds_a['id']}/datapoints"),
        ("GET", f"/api/v1/datasets/{ds_a['id']}/export"),
        ("PATCH", f"/api/v1/datasets/{ds_a['id']}"),
        ("DELETE", f"/api/v1/datasets/{ds_a['id']}"),
        ("POST", f"/api/v1/datasets/{ds_a['id']}/datapoints"),
    ]:
        body: dict[str, object] | None = (
            {"datapoints": [{"inputs": {}}]}
            if method == "POST"
            else ({} if method == "PATCH" else None)
        )
        response = client.request(method, path, headers=b_headers, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert "secret" not in response.text
    assert client.get("/api/v1/datasets", headers=b_headers).json()["total"] == 0
    read_only = {"X-API-KEY": reader["key"]}
    assert client.post("/api/v1/datasets", json={"path": "x"}, headers=read_only).status_code == 403
    assert client.get("/api/v1/datasets", headers=read_only).status_code == 200
    revoked = client.delete(f"/api/v1/projects/{pid}/keys/{reader['id']}")
    assert revoked.status_code == 200
    assert client.get("/api/v1/datasets", headers=read_only).status_code == 401
    assert client.post("/api/v1/projects", json={"name": "c"}, headers=b_headers).status_code == 403
