"""The Globant ``dataSetApi`` dialect in process, on both backends."""

from __future__ import annotations

import gc
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from tests.clients import ADMIN_SECRET, app_client

API = "/dataSetApi"


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> TestClient:
    found = app_client(engine, tmp_path)
    found.headers.pop("X-API-KEY")
    found.headers["Authorization"] = f"Bearer {ADMIN_SECRET}"
    return found


def _row(text: str, answer: str, **more: Any) -> dict[str, Any]:
    return {"dataSetRowInput": text, "dataSetRowExpectedAnswer": answer, **more}


def _create(client: TestClient, name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    reply = client.post(
        f"{API}/dataSet",
        json={"dataSetName": name, "dataSetDescription": "d", "dataSetType": "T", "rows": rows},
    )
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_datasets_create_get_list_update_delete(client: TestClient) -> None:
    ds = _create(client, "qa", [_row("2+2?", "4", dataSetRowContextDocument="math")])
    ds_id = ds["dataSetId"]
    assert uuid.UUID(ds_id) and ds["dataSetName"] == "qa" and ds["dataSetActive"] is True
    assert len(ds["dataSetCreateDate"]) == 10 and ds["dataSetType"] == "T"
    (row,) = ds["rows"]
    assert uuid.UUID(row["dataSetRowId"])
    assert (row["dataSetRowInput"], row["dataSetRowContextDocument"]) == ("2+2?", "math")
    assert row["expectedSources"] == [] and row["filterVariables"] == []
    assert client.get(f"{API}/dataSet/{ds_id}").json() == ds
    listed = client.get(f"{API}/dataSets").json()
    assert [d["dataSetId"] for d in listed] == [ds_id] and listed[0]["rows"] == ds["rows"]
    # PUT: metadata, and rows as the new set (replace by id, add without id, drop the rest)
    second = client.post(f"{API}/dataSet/{ds_id}/dataSetRow", json=_row("3+3?", "6")).json()
    updated = client.put(
        f"{API}/dataSet/{ds_id}",
        json={
            "dataSetName": "qa2",
            "dataSetActive": False,
            "rows": [
                {**row, "dataSetRowExpectedAnswer": "four"},
                _row("new", "row"),
            ],
        },
    )
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert (body["dataSetName"], body["dataSetActive"], body["dataSetDescription"]) == (
        "qa2",
        False,
        "d",
    )
    answers = [(r["dataSetRowInput"], r["dataSetRowExpectedAnswer"]) for r in body["rows"]]
    assert answers == [("2+2?", "four"), ("new", "row")]
    assert body["rows"][0]["dataSetRowId"] == row["dataSetRowId"]
    assert second["dataSetRowId"] not in {r["dataSetRowId"] for r in body["rows"]}
    deleted = client.delete(f"{API}/dataSet/{ds_id}")
    assert deleted.status_code == 200 and deleted.json() == {
        "message": "Dataset deleted successfully"
    }
    assert client.get(f"{API}/dataSet/{ds_id}").status_code == 404
    assert client.get(f"{API}/dataSets").json() == []


def test_rows_sources_and_filters(client: TestClient) -> None:
    ds_id = _create(client, "rows", [])["dataSetId"]
    base = f"{API}/dataSet/{ds_id}/dataSetRow"
    row = client.post(base, json=_row("q", "a")).json()
    row_id = row["dataSetRowId"]
    assert client.get(f"{API}/dataSet/{ds_id}/dataSetRows").json() == [row]
    patched = client.put(f"{base}/{row_id}", json={"dataSetRowExpectedAnswer": "b"}).json()
    assert (patched["dataSetRowInput"], patched["dataSetRowExpectedAnswer"]) == ("q", "b")
    assert client.get(f"{base}/{row_id}").json() == patched
    # expected sources: both spellings of the extension in, both out
    src_base = f"{base}/{row_id}/dataSetRowExpectedSource"
    doc = client.post(
        src_base,
        json={
            "dataSetExpectedSourceName": "a.txt",
            "dataSetExpectedSourceValue": "A",
            "dataSetexpectedSourceExtention": "txt",
        },
    ).json()
    sdk = client.post(
        src_base,
        json={
            "dataSetExpectedSourceName": "b.pdf",
            "dataSetExpectedSourceValue": "B",
            "dataSetExpectedSourceExtension": "pdf",
        },
    ).json()
    assert doc["dataSetexpectedSourceExtention"] == doc["dataSetExpectedSourceExtension"] == "txt"
    assert sdk["dataSetexpectedSourceExtention"] == "pdf"
    assert (doc["dataSetId"], doc["dataSetRowId"]) == (ds_id, row_id)
    plural = client.get(f"{base}/{row_id}/dataSetRowExpectedSources").json()
    assert plural == client.get(src_base).json() == [doc, sdk]
    src_id = doc["dataSetExpectedSourceId"]
    changed = client.put(f"{src_base}/{src_id}", json={"dataSetExpectedSourceValue": "A2"})
    assert changed.json() == {**doc, "dataSetExpectedSourceValue": "A2"}
    assert client.get(f"{src_base}/{src_id}").json() == changed.json()
    gone = client.delete(f"{src_base}/{sdk['dataSetExpectedSourceId']}")
    assert gone.status_code == 200 and "message" in gone.json()
    # filter variables
    flt_base = f"{base}/{row_id}/dataSetRowFilterVariable"
    flt = client.post(
        flt_base,
        json={
            "dataSetMetadataType": "V",
            "dataSetRowFilterKey": "lang",
            "dataSetRowFilterValue": "en",
            "dataSetRowFilterOperator": "=",
        },
    ).json()
    flt_id = flt["dataSetRowFilterVarId"]
    assert uuid.UUID(flt_id) and flt["dataSetRowFilterKey"] == "lang"
    assert client.get(f"{base}/{row_id}/dataSetRowFilterVariables").json() == [flt]
    moved = client.put(f"{flt_base}/{flt_id}", json={"dataSetRowFilterValue": "es"}).json()
    assert moved == {**flt, "dataSetRowFilterValue": "es"}
    assert client.get(f"{flt_base}/{flt_id}").json() == moved
    whole = client.get(f"{base}/{row_id}").json()
    assert whole["filterVariables"] == [
        {k: v for k, v in moved.items() if k not in ("dataSetId", "dataSetRowId")}
    ]
    assert [s["dataSetExpectedSourceValue"] for s in whole["expectedSources"]] == ["A2"]
    assert client.delete(f"{flt_base}/{flt_id}").status_code == 200
    assert client.get(f"{flt_base}/{flt_id}").status_code == 404
    assert client.delete(f"{base}/{row_id}").json() == {
        "message": "Dataset row deleted successfully"
    }
    assert client.get(f"{API}/dataSet/{ds_id}/dataSetRows").json() == []


def test_file_uploads_raw_multipart_and_json(client: TestClient) -> None:
    """Uploads pause the cyclic GC, and always turn it back on."""
    document = {
        "dataSetName": "uploaded",
        "rows": [
            _row(
                "q1",
                "a1",
                expectedSources=[
                    {
                        "dataSetExpectedSourceName": "s",
                        "dataSetExpectedSourceValue": "v",
                        "dataSetexpectedSourceExtention": "txt",
                    }
                ],
            )
        ],
    }
    raw = client.post(
        f"{API}/dataSet/FileUpload",
        content=orjson.dumps(document),
        headers={"Content-Type": "application/json"},
    )
    assert raw.status_code == 200, raw.text
    ds = raw.json()
    assert (
        ds["dataSetActive"] is True
        and ds["rows"][0]["expectedSources"][0]["dataSetExpectedSourceName"] == "s"
    )
    multi = client.post(
        f"{API}/dataSet/FileUpload",
        files={"file": ("d.json", orjson.dumps({**document, "dataSetName": "multi"}))},
    )
    assert multi.status_code == 200 and multi.json()["dataSetName"] == "multi"
    rows_url = f"{API}/dataSet/{ds['dataSetId']}/dataSetRow/FileUpload"
    rows = [_row(f"q{i}", f"a{i}") for i in range(2, 5)]
    up = client.post(rows_url, files={"file": ("rows.json", orjson.dumps(rows))})
    assert up.json() == {"success": True, "totalRowsUploaded": 3, "errors": []}
    assert client.post(rows_url, json=rows[:1]).json()["totalRowsUploaded"] == 1
    listed = client.get(f"{API}/dataSet/{ds['dataSetId']}/dataSetRows").json()
    assert [r["dataSetRowInput"] for r in listed] == ["q1", "q2", "q3", "q4", "q2"]
    assert gc.isenabled()
    bad = client.post(f"{API}/dataSet/FileUpload", json={"dataSetName": "gc", "rows": [{}]})
    assert bad.status_code == 400 and gc.isenabled()


def test_readable_across_dialects(client: TestClient) -> None:
    ds = _create(client, "team/cross", [_row("hi", "hello", dataSetRowContextDocument="ctx")])
    native_id = "ds_" + uuid.UUID(ds["dataSetId"]).hex
    native = client.get(f"/api/v1/datasets/{native_id}").json()
    assert (native["path"], native["name"], native["type"]) == ("team/cross", "cross", "T")
    (point,) = client.get(f"/api/v1/datasets/{native_id}/datapoints").json()["items"]
    assert point["id"] == "dp_" + uuid.UUID(ds["rows"][0]["dataSetRowId"]).hex
    assert (point["inputs"], point["expected"], point["context"]) == (
        {"input": "hi"},
        "hello",
        "ctx",
    )
    # and the other way: native rows with rich inputs read well, and survive a round trip
    made = client.post("/api/v1/datasets", json={"path": "native"}).json()
    client.post(
        f"/api/v1/datasets/{made['id']}/datapoints",
        json={
            "datapoints": [
                {"inputs": {"q": "x", "lang": "en"}, "expected": {"a": 1}, "metadata": {"m": 1}}
            ]
        },
    )
    geai_id = str(uuid.UUID(made["id"][3:]))
    (row,) = client.get(f"{API}/dataSet/{geai_id}/dataSetRows").json()
    assert row["dataSetRowInput"] == '{"q":"x","lang":"en"}'
    assert row["dataSetRowExpectedAnswer"] == '{"a":1}'
    client.put(f"{API}/dataSet/{geai_id}/dataSetRow/{row['dataSetRowId']}", json=row)
    client.put(f"{API}/dataSet/{geai_id}", json={"rows": [row]})
    (after,) = client.get(f"/api/v1/datasets/{made['id']}/datapoints").json()["items"]
    assert after["inputs"] == {"q": "x", "lang": "en"} and after["metadata"] == {"m": 1}
    assert after["expected"] == {"a": 1}


def test_entries_written_elsewhere_get_stable_ids(client: TestClient) -> None:
    made = client.post("/api/v1/datasets", json={"path": "entries"}).json()
    added = client.post(
        f"/api/v1/datasets/{made['id']}/datapoints",
        json={"datapoints": [{"inputs": {"input": "q"}, "sources": [{"name": "a"}, "plain"]}]},
    ).json()
    ds, row = str(uuid.UUID(made["id"][3:])), str(uuid.UUID(added["ids"][0][3:]))
    base = f"{API}/dataSet/{ds}/dataSetRow/{row}/dataSetRowExpectedSource"
    first, second = client.get(f"{base}s").json()
    assert (first["dataSetExpectedSourceName"], second["dataSetExpectedSourceValue"]) == (
        "a",
        "plain",
    )
    assert client.get(f"{base}s").json() == [first, second]
    changed = client.put(
        f"{base}/{second['dataSetExpectedSourceId'].upper()}",
        json={"dataSetExpectedSourceName": "b"},
    ).json()
    assert changed == {**second, "dataSetExpectedSourceName": "b"}
    assert client.delete(f"{base}/{first['dataSetExpectedSourceId']}").status_code == 200
    assert client.get(f"{base}s").json() == [changed]
    (point,) = client.get(f"/api/v1/datasets/{made['id']}/datapoints").json()["items"]
    assert point["sources"] == [
        {"id": second["dataSetExpectedSourceId"], "value": "plain", "name": "b"}
    ]
