"""Globant error replies: statuses, the JSON shape, and that a refused request changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.core.model import Scope
from tests.clients import ADMIN_SECRET, app_client

API = "/dataSetApi"
MISSING = str(uuid.uuid4())


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> TestClient:
    found = app_client(engine, tmp_path)
    found.headers.pop("X-API-KEY")
    found.headers["Authorization"] = f"Bearer {ADMIN_SECRET}"
    return found


@pytest.fixture
def seeded(client: TestClient) -> dict[str, str]:
    """A dataset with one row holding one expected source and one filter variable."""
    ds = client.post(
        f"{API}/dataSet",
        json={
            "dataSetName": "seeded",
            "rows": [
                {
                    "dataSetRowInput": "q",
                    "dataSetRowExpectedAnswer": "a",
                    "expectedSources": [{"dataSetExpectedSourceName": "s"}],
                    "filterVariables": [{"dataSetRowFilterKey": "k"}],
                }
            ],
        },
    ).json()
    row = ds["rows"][0]
    return {
        "ds": ds["dataSetId"],
        "row": row["dataSetRowId"],
        "src": row["expectedSources"][0]["dataSetExpectedSourceId"],
        "flt": row["filterVariables"][0]["dataSetRowFilterVarId"],
    }


def _state(client: TestClient) -> Any:
    return client.get(f"{API}/dataSets").json()


def _assert_error(reply: Any, status: int) -> None:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body) == {"error", "message", "status"} and body["status"] == status
    assert isinstance(body["message"], str) and body["message"]


def test_bad_json_and_invalid_files_are_400_and_change_nothing(
    client: TestClient, seeded: dict[str, str]
) -> None:
    before = _state(client)
    ds, row = seeded["ds"], seeded["row"]
    json_header = {"Content-Type": "application/json"}
    bad_requests = [
        client.post(f"{API}/dataSet", content=b"{not json", headers=json_header),
        client.post(f"{API}/dataSet", json={"dataSetDescription": "no name"}),
        client.post(f"{API}/dataSet", json={"dataSetName": "x", "rows": [{"expectedSources": 1}]}),
        client.post(f"{API}/dataSet", json={"dataSetName": "x", "dataSetActive": "maybe"}),
        client.put(f"{API}/dataSet/{ds}", content=b"[", headers=json_header),
        client.put(f"{API}/dataSet/{ds}", json={"dataSetName": "/"}),
        client.post(f"{API}/dataSet/{ds}/dataSetRow", json=["not", "an", "object"]),
        client.put(f"{API}/dataSet/{ds}/dataSetRow/{row}", content=b"{", headers=json_header),
        client.post(
            f"{API}/dataSet/{ds}/dataSetRow/{row}/dataSetRowFilterVariable",
            json={"dataSetRowFilterKey": 5},
        ),
        # invalid files
        client.post(f"{API}/dataSet/FileUpload", content=b"", headers=json_header),
        client.post(f"{API}/dataSet/FileUpload", content=b"{oops", headers=json_header),
        client.post(f"{API}/dataSet/FileUpload", files={"file": ("d.json", b"[1, 2]")}),
        client.post(f"{API}/dataSet/FileUpload", files={"other": (None, "no file part")}),
        client.post(
            f"{API}/dataSet/FileUpload",
            json={"dataSetName": "half", "rows": [{"dataSetRowInput": "no answer"}]},
        ),
        client.post(f"{API}/dataSet/{ds}/dataSetRow/FileUpload", json={"not": "an array"}),
        client.post(
            f"{API}/dataSet/{ds}/dataSetRow/FileUpload",
            json=[
                {"dataSetRowInput": "ok", "dataSetRowExpectedAnswer": "ok"},
                {"dataSetRowInput": "missing answer"},
            ],
        ),
        client.post(f"{API}/dataSet/{ds}/dataSetRow/FileUpload", files={"file": ("r", b"[{")}),
    ]
    for reply in bad_requests:
        _assert_error(reply, 400)
    assert _state(client) == before


def test_401_without_or_with_a_wrong_key_403_without_the_scope(
    engine: Engine, client: TestClient, seeded: dict[str, str]
) -> None:
    before = _state(client)
    _, secret = engine.admin.create_key(1, "r", [Scope.READ.value])
    reader = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/dataSets", headers=reader).json() == before
    _assert_error(client.post(f"{API}/dataSet", json={"dataSetName": "n"}, headers=reader), 403)
    _assert_error(client.delete(f"{API}/dataSet/{seeded['ds']}", headers=reader), 403)
    _assert_error(client.get(f"{API}/dataSets", headers={"Authorization": ""}), 401)
    wrong = {"Authorization": "Bearer es_not_a_key"}
    _assert_error(client.post(f"{API}/dataSet", json={"dataSetName": "n"}, headers=wrong), 401)
    _assert_error(client.delete(f"{API}/dataSet/{seeded['ds']}", headers=wrong), 401)
    assert _state(client) == before


def test_404_for_unknown_ids_at_every_level(client: TestClient, seeded: dict[str, str]) -> None:
    before = _state(client)
    ds, row, src, flt = seeded["ds"], seeded["row"], seeded["src"], seeded["flt"]
    source, variable = "dataSetRowExpectedSource", "dataSetRowFilterVariable"
    urls = [
        f"/dataSet/{MISSING}",
        "/dataSet/not-a-uuid",
        f"/dataSet/{MISSING}/dataSetRow/{row}",
        f"/dataSet/{ds}/dataSetRow/{MISSING}",
        f"/dataSet/{ds}/dataSetRow/xyz",
        f"/dataSet/{ds}/dataSetRow/{MISSING}/{source}/{src}",
        f"/dataSet/{ds}/dataSetRow/{row}/{source}/{MISSING}",
        f"/dataSet/{ds}/dataSetRow/{row}/{source}/{flt}",
        f"/dataSet/{ds}/dataSetRow/{row}/{variable}/{MISSING}",
        f"/dataSet/{ds}/dataSetRow/{row}/{variable}/{src}",
    ]
    for url in urls:
        for method in ("GET", "PUT", "DELETE"):
            body: Any = {} if method == "PUT" else None
            _assert_error(client.request(method, API + url, json=body), 404)
    lists_and_creates = [
        ("GET", f"/dataSet/{MISSING}/dataSetRows"),
        ("POST", f"/dataSet/{MISSING}/dataSetRow"),
        ("POST", f"/dataSet/{MISSING}/dataSetRow/FileUpload"),
        ("GET", f"/dataSet/{ds}/dataSetRow/{MISSING}/{source}s"),
        ("POST", f"/dataSet/{ds}/dataSetRow/{MISSING}/{source}"),
        ("GET", f"/dataSet/{ds}/dataSetRow/{MISSING}/{variable}s"),
        ("POST", f"/dataSet/{ds}/dataSetRow/{MISSING}/{variable}"),
    ]
    for method, url in lists_and_creates:
        payload: Any = [] if url.endswith("FileUpload") else ({} if method == "POST" else None)
        _assert_error(client.request(method, API + url, json=payload), 404)
    put_rows = {"rows": [{"dataSetRowId": MISSING, "dataSetRowInput": "x"}]}
    _assert_error(client.put(f"{API}/dataSet/{ds}", json=put_rows), 404)
    assert MISSING in client.get(f"{API}/dataSet/{MISSING}").json()["message"]
    assert _state(client) == before


def test_409_for_duplicate_names_and_another_projects_key_sees_404(
    engine: Engine, client: TestClient, seeded: dict[str, str]
) -> None:
    other = client.post(f"{API}/dataSet", json={"dataSetName": "other"}).json()
    before = _state(client)
    _assert_error(client.post(f"{API}/dataSet", json={"dataSetName": "seeded"}), 409)
    _assert_error(client.post(f"{API}/dataSet/FileUpload", json={"dataSetName": "seeded"}), 409)
    renamed = {"dataSetName": "seeded", "dataSetDescription": "changed", "rows": []}
    _assert_error(client.put(f"{API}/dataSet/{other['dataSetId']}", json=renamed), 409)
    assert _state(client) == before
    project = engine.admin.create_project("other")
    _, secret = engine.admin.create_key(project.id, "w", [Scope.READ.value, Scope.WRITE.value])
    theirs = {"Authorization": f"Bearer {secret}"}
    ds, row, src = seeded["ds"], seeded["row"], seeded["src"]
    assert client.get(f"{API}/dataSets", headers=theirs).json() == []
    for method, url in [
        ("GET", f"/dataSet/{ds}"),
        ("PUT", f"/dataSet/{ds}"),
        ("DELETE", f"/dataSet/{ds}"),
        ("GET", f"/dataSet/{ds}/dataSetRows"),
        ("POST", f"/dataSet/{ds}/dataSetRow"),
        ("DELETE", f"/dataSet/{ds}/dataSetRow/{row}"),
        ("GET", f"/dataSet/{ds}/dataSetRow/{row}/dataSetRowExpectedSource/{src}"),
        ("DELETE", f"/dataSet/{ds}/dataSetRow/{row}/dataSetRowExpectedSource/{src}"),
    ]:
        body: Any = {} if method in ("PUT", "POST") else None
        _assert_error(client.request(method, API + url, json=body, headers=theirs), 404)
    same_name = client.post(f"{API}/dataSet", json={"dataSetName": "seeded"}, headers=theirs)
    assert same_name.status_code == 200
    assert _state(client) == before


def test_oversized_bodies_wrong_methods_and_unknown_paths(engine: Engine, tmp_path: Path) -> None:
    small = app_client(engine, tmp_path, max_json_body=200, max_upload=300)
    small.headers["Authorization"] = f"Bearer {ADMIN_SECRET}"
    big = {"dataSetName": "big", "dataSetDescription": "x" * 500}
    _assert_error(small.post(f"{API}/dataSet", json=big), 413)
    _assert_error(small.post(f"{API}/dataSet/FileUpload", json={**big, "rows": []}), 413)
    _assert_error(small.patch(f"{API}/dataSet/{MISSING}", json={}), 405)
    _assert_error(small.get(f"{API}/nothing/here"), 404)
    assert small.get(f"{API}/dataSets").json() == []
