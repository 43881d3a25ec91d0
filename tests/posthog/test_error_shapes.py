"""Every PostHog error is exceptions_hog's ``{type, code, detail, attr}`` (bar the bodyless 405),
never a 500, and a refused request changes nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from evalsets.core.engine import Engine
from tests.clients import app_client

KEYS = {"type", "code", "detail", "attr"}


def test_error_shapes(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path, max_json_body=2000)
    root = "/api/projects/1"
    ds = client.post(f"{root}/datasets/", json={"name": "d"}).json()["id"]
    item = client.post(f"{root}/dataset_items/", json={"dataset": ds, "input": "q"}).json()
    cases = {
        "oversized": client.post(f"{root}/datasets/", json={"name": "x" * 5000}),
        "not an object": client.post(f"{root}/datasets/", json=[1]),
        "form body": client.post(f"{root}/datasets/", data={"name": "x"}),
        "empty body": client.post(
            f"{root}/datasets/", content=b"", headers={"content-type": "application/json"}
        ),
        "bad uuid": client.get(f"{root}/dataset_items/", params={"dataset": "zz"}),
        "unknown dataset": client.get(
            f"{root}/dataset_items/", params={"dataset": "00000000-0000-0000-0000-000000000000"}
        ),
        "bad tags": client.get(f"{root}/datasets/", params={"tags": "[1]"}),
        "bad revision": client.get(
            f"{root}/dataset_items/", params={"dataset": ds, "revision": "9"}
        ),
        "no slash": client.get(f"{root}/datasets", follow_redirects=False),
        "unknown path": client.get(f"{root}/nothing/"),
        "bad project": client.get("/api/projects/abc/datasets/"),
        "put collection": client.put(f"{root}/datasets/", json={}),
        "stale": client.patch(
            f"{root}/dataset_items/{item['id']}/", json={"base_version": 7, "input": "x"}
        ),
        "bad base": client.post(
            f"{root}/dataset_items/{item['id']}/archive/", json={"base_version": "1"}
        ),
        "missing base": client.post(f"{root}/dataset_items/{item['id']}/restore/", json={}),
        "not archived": client.post(
            f"{root}/dataset_items/{item['id']}/restore/", json={"base_version": 1}
        ),
    }
    statuses = {name: response.status_code for name, response in cases.items()}
    assert statuses == {
        "oversized": 413,
        "not an object": 400,
        "form body": 400,
        "empty body": 400,
        "bad uuid": 400,
        "unknown dataset": 400,
        "bad tags": 400,
        "bad revision": 400,
        "no slash": 404,
        "unknown path": 404,
        "bad project": 404,
        "put collection": 405,
        "stale": 409,
        "bad base": 400,
        "missing base": 400,
        "not archived": 409,
    }
    for name, response in cases.items():
        assert set(response.json()) >= KEYS, name
    assert cases["stale"].json()["current_version"] == 1
    assert cases["missing base"].json()["attr"] == "base_version"
    assert cases["put collection"].json()["code"] == "method_not_allowed"
    versions = client.get(f"{root}/datasets/{ds}/revisions/").json()
    assert versions["count"] == 1
    after = client.get(f"{root}/dataset_items/{item['id']}/").json()
    assert after["version"] == 1 and after["input"] == "q"


def test_concurrent_updates_of_one_base_version(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path)
    root = "/api/projects/1"
    ds = client.post(f"{root}/datasets/", json={"name": "race"}).json()["id"]
    item = client.post(f"{root}/dataset_items/", json={"dataset": ds, "input": "q"}).json()
    url = f"{root}/dataset_items/{item['id']}/"

    def update(n: int) -> int:
        body = {"base_version": 1, "expected_output": f"answer {n}"}
        return client.patch(url, json=body).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(update, range(4)))
    assert statuses == [200, 409, 409, 409]
    versions = client.get(f"{url}versions/").json()
    assert [v["version"] for v in versions["results"]] == [2, 1]
    assert client.get(f"{root}/datasets/{ds}/").json()["current_revision"] == 2


def test_links_use_the_public_url(engine: Engine, tmp_path: Path) -> None:
    client = app_client(engine, tmp_path, public_url="https://evals.example.com/base/")
    for name in ("a", "b"):
        client.post("/api/projects/1/datasets/", json={"name": name})
    page = client.get("/api/projects/1/datasets/", params={"limit": 1}).json()
    assert (
        page["next"] == "https://evals.example.com/base/api/projects/1/datasets/?limit=1&offset=1"
    )
