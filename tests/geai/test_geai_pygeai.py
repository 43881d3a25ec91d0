"""pygeai 0.8.0, unchanged, against a served evalsets: every dataset method the SDK has."""

from __future__ import annotations

import importlib
import json
import uuid
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.clients import ADMIN_SECRET, serve


def _import(name: str) -> Any:
    """A pygeai module (its import warns about its own pydantic v1 style; not ours to fix)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module(name)


@pytest.fixture
def geai_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """pygeai writes ~/.geai/credentials: point HOME (and its settings paths) into tmp."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("GEAI_API_KEY", "GEAI_API_BASE_URL", "GEAI_API_EVAL_URL"):
        monkeypatch.delenv(name, raising=False)
    config = _import("pygeai.core.common.config")
    settings_dir = home / ".geai"
    settings_dir.mkdir(exist_ok=True)
    monkeypatch.setattr(config.SettingsManager, "GEAI_SETTINGS_DIR", str(settings_dir))
    monkeypatch.setattr(config.SettingsManager, "GEAI_CREDS_FILE", settings_dir / "credentials")
    return home


def _client(url: str, key: str) -> Any:
    clients = _import("pygeai.evaluation.dataset.clients")
    return clients.EvaluationDatasetClient(api_key=key, base_url=url, eval_url=url)


def test_pygeai_every_dataset_method(database_url: str, tmp_path: Path, geai_home: Path) -> None:
    errors = _import("pygeai.core.common.exceptions")
    with serve(database_url, tmp_path) as server:
        sdk = _client(server.url, ADMIN_SECRET)
        assert sdk.list_datasets() == []
        ds = sdk.create_dataset(
            dataset_name="qa",
            dataset_description="demo",
            dataset_type="T",
            dataset_active=True,
            rows=[{"dataSetRowInput": "1+1?", "dataSetRowExpectedAnswer": "2"}],
        )
        ds_id = ds["dataSetId"]
        with pytest.raises(errors.APIResponseError, match="HTTP 409"):
            sdk.create_dataset(dataset_name="qa", dataset_description="", dataset_type="T")
        row = sdk.create_dataset_row(
            ds_id,
            {
                "dataSetRowInput": "2+2?",
                "dataSetRowExpectedAnswer": "4",
                "dataSetRowContextDocument": "",
            },
        )
        row_id = row["dataSetRowId"]
        assert [r["dataSetRowInput"] for r in sdk.list_dataset_rows(ds_id)] == ["1+1?", "2+2?"]
        assert sdk.get_dataset_row(ds_id, row_id) == row
        updated = sdk.update_dataset_row(ds_id, row_id, {"dataSetRowExpectedAnswer": "four"})
        assert updated["dataSetRowExpectedAnswer"] == "four"

        _sources_and_variables(sdk, ds_id, row_id)

        rows_file = tmp_path / "rows.json"
        rows_file.write_text(
            json.dumps(
                [
                    {"dataSetRowInput": f"q{i}", "dataSetRowExpectedAnswer": f"a{i}"}
                    for i in range(5)
                ]
            )
        )
        assert sdk.upload_dataset_rows_file(ds_id, str(rows_file))["totalRowsUploaded"] == 5
        assert len(sdk.list_dataset_rows(ds_id)) == 7
        assert "message" in sdk.delete_dataset_row(ds_id, row_id)
        with pytest.raises(errors.APIResponseError, match="HTTP 404"):
            sdk.get_dataset_row(ds_id, row_id)

        renamed = sdk.update_dataset(
            ds_id,
            dataset_name="qa-v2",
            dataset_description="new",
            dataset_type="E",
            dataset_active=False,
        )
        assert (renamed["dataSetName"], renamed["dataSetType"], len(renamed["rows"])) == (
            "qa-v2",
            "E",
            6,
        )
        dataset_file = tmp_path / "dataset.json"
        dataset_file.write_text(
            json.dumps(
                {
                    "dataSetName": "from-file",
                    "rows": [{"dataSetRowInput": "x", "dataSetRowExpectedAnswer": "y"}],
                }
            )
        )
        uploaded = sdk.create_dataset_from_file(str(dataset_file))
        assert uploaded["dataSetActive"] is True and len(uploaded["rows"]) == 1
        assert [d["dataSetName"] for d in sdk.list_datasets()] == ["qa-v2", "from-file"]

        _raw_http_variants(server.url, ds_id)
        _native_reads_it(server.url, ds_id)
        first = {**sdk.get_dataset(ds_id)["rows"][0], "dataSetRowExpectedAnswer": "two"}
        merged = sdk.update_dataset(
            ds_id,
            dataset_name="qa-v2",
            dataset_description="new",
            dataset_type="E",
            dataset_active=False,
            rows=[first, {"dataSetRowInput": "added", "dataSetRowExpectedAnswer": "x"}],
        )
        assert [(r["dataSetRowInput"], r["dataSetRowExpectedAnswer"]) for r in merged["rows"]] == [
            ("1+1?", "two"),
            ("added", "x"),
        ]

        assert sdk.delete_dataset(uploaded["dataSetId"]) == {
            "message": "Dataset deleted successfully"
        }
        with pytest.raises(errors.APIResponseError, match="HTTP 404"):
            sdk.get_dataset(uploaded["dataSetId"])
        with pytest.raises(errors.APIResponseError, match="HTTP 401"):
            _client(server.url, "es_wrong").list_datasets()


def _raw_http_variants(url: str, ds_id: str) -> None:
    """What the SDK never sends: the documented path variants and multipart uploads."""
    headers = {"Authorization": f"Bearer {ADMIN_SECRET}"}
    with httpx.Client(base_url=f"{url}/dataSetApi", headers=headers, timeout=30) as http:
        made = http.post("/dataSets", json={"dataSetName": "plural-path"})
        assert made.status_code == 200 and uuid.UUID(made.json()["dataSetId"])
        row_id = http.get(f"/dataSet/{ds_id}/dataSetRows").json()[0]["dataSetRowId"]
        singular = http.get(f"/dataSet/{ds_id}/dataSetRow/{row_id}/dataSetRowExpectedSource")
        assert singular.status_code == 200 and singular.json() == []
        document = {"dataSetName": "multipart", "rows": []}
        multi = http.post("/dataSet/FileUpload", files={"file": ("d.json", json.dumps(document))})
        assert multi.status_code == 200 and multi.json()["rows"] == []
        rows = [{"dataSetRowInput": "m", "dataSetRowExpectedAnswer": "n"}]
        up = http.post(
            f"/dataSet/{multi.json()['dataSetId']}/dataSetRow/FileUpload",
            files={"file": ("rows.json", json.dumps(rows))},
        )
        assert up.json()["totalRowsUploaded"] == 1


def _native_reads_it(url: str, ds_id: str) -> None:
    native_id = "ds_" + uuid.UUID(ds_id).hex
    with httpx.Client(base_url=url, headers={"X-API-KEY": ADMIN_SECRET}, timeout=30) as http:
        ds = http.get(f"/api/v1/datasets/{native_id}").json()
        assert (ds["path"], ds["active"], ds["type"]) == ("qa-v2", False, "E")
        items = http.get(f"/api/v1/datasets/{native_id}/datapoints").json()["items"]
        assert items[0] == {"id": items[0]["id"], "inputs": {"input": "1+1?"}, "expected": "2"}


def _sources_and_variables(sdk: Any, ds_id: str, row_id: str) -> None:
    """The ten expected-source and filter-variable methods."""
    source = sdk.create_expected_source(ds_id, row_id, "doc", "text", "txt")
    src_id = source["dataSetExpectedSourceId"]
    assert source["dataSetexpectedSourceExtention"] == "txt"
    assert sdk.list_expected_sources(ds_id, row_id) == [source]
    assert sdk.get_expected_source(ds_id, row_id, src_id) == source
    changed = sdk.update_expected_source(ds_id, row_id, src_id, "doc2", "text2", "md")
    assert changed["dataSetExpectedSourceName"] == "doc2"
    assert changed["dataSetExpectedSourceExtension"] == "md"
    variable = sdk.create_filter_variable(ds_id, row_id, "V", "lang", "en", "=")
    var_id = variable["dataSetRowFilterVarId"]
    assert sdk.list_filter_variables(ds_id, row_id) == [variable]
    assert sdk.get_filter_variable(ds_id, row_id, var_id) == variable
    moved = sdk.update_filter_variable(ds_id, row_id, var_id, "F", "lang", "es", "!=")
    assert (moved["dataSetMetadataType"], moved["dataSetRowFilterOperator"]) == ("F", "!=")

    full = sdk.get_dataset(ds_id)
    (with_entries,) = [r for r in full["rows"] if r["dataSetRowId"] == row_id]
    assert with_entries["expectedSources"][0]["dataSetExpectedSourceValue"] == "text2"
    assert with_entries["filterVariables"][0]["dataSetRowFilterValue"] == "es"

    assert "message" in sdk.delete_filter_variable(ds_id, row_id, var_id)
    assert sdk.list_filter_variables(ds_id, row_id) == []
    assert "message" in sdk.delete_expected_source(ds_id, row_id, src_id)
    assert sdk.list_expected_sources(ds_id, row_id) == []
