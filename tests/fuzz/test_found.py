"""Regressions: the 5xx the fuzz tests found, each pinned as a plain request."""

from __future__ import annotations

from pathlib import Path

from evalsets.core.engine import Engine
from evalsets.http.geai.mapping import public_id
from tests.clients import app_client
from tests.fuzz.harness import fuzz_key, seed

BIG = "9" * 25  # beyond the database's 64-bit integers


def test_client_mistakes_found_by_the_fuzz_are_4xx(engine: Engine, tmp_path: Path) -> None:
    seeded = seed(engine)
    client = app_client(engine, tmp_path)
    client.headers["X-API-KEY"] = fuzz_key(engine)
    ds, uuid = seeded.dataset_id, public_id(seeded.dataset_id)
    reads = {
        f"/v5/datasets?page={BIG}": 422,
        f"/v5/datasets/{ds}/datapoints?page={BIG}": 422,
        f"/api/projects/{BIG}/dataset_items/": 404,
        f"/api/projects/1/datasets/?offset={BIG}": 200,
        f"/api/projects/1/datasets/{uuid}/revisions/?offset={BIG}": 200,
        f"/api/projects/1/dataset_items/?dataset={uuid}&revision={BIG}": 400,
        f"/api/v1/datasets?offset={BIG}": 422,
        f"/api/v1/datasets/{ds}/export?version_id=dsv_nope": 404,
    }
    for url, status in reads.items():
        assert client.get(url).status_code == status, url
    writes = {
        "/api/v1/datasets": '{"path": "x/y", "attributes": {"n": BIG}}',
        "/api/projects/1/datasets/": '{"name": "p", "metadata": {"n": BIG}}',
        f"/api/v1/datasets/{ds}/versions": '{"datapoints": [], "attributes": {"n": BIG}}',
    }
    for url, body in writes.items():
        body = body.replace("BIG", BIG)
        response = client.post(url, content=body, headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, (url, response.text)
    assert [d.path for d in engine.datasets.page(1)[0]] == [engine.datasets.get(1, ds).path]
    assert client.post(f"/v2/datasets/{BIG}/examples/annotate", json={}).status_code < 500
    admin = app_client(engine, tmp_path)
    assert admin.get(f"/api/v1/projects/{BIG}").status_code == 422
