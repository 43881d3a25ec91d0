"""The fast lane of datapoint pages answers exactly as the route does, and only when it may."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from evalsets.core.engine import Engine
from evalsets.http.native import fast_page
from evalsets.http.native.fast_page import FastPage
from tests.clients import ADMIN_SECRET, app_client


class Passed:
    """Records the requests the fast lane passes on to the route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.paths.append(f"{scope['path']}?{scope['query_string'].decode()}")
        await self.app(scope, receive, send)


def _lane(client: TestClient) -> FastPage:
    client.get("/healthz")  # builds the middleware stack
    node: Any = client.app
    node = node.middleware_stack
    while not isinstance(node, FastPage):
        node = node.app
    return node


def _without_lane(engine: Engine, tmp_path: Path) -> TestClient:
    client = app_client(engine, tmp_path)
    app: Any = client.app
    app.user_middleware = [m for m in app.user_middleware if m.cls is not FastPage]
    return client


def test_the_lane_knows_the_route(engine: Engine, tmp_path: Path) -> None:
    app: Any = app_client(engine, tmp_path).app
    spec = app.openapi()["paths"][fast_page.ROUTE]["get"]["parameters"]
    params = {p["name"]: p["schema"] for p in spec if p["in"] == "query"}
    # A new parameter of the route must be taught to the lane (or left to the route).
    assert set(params) == fast_page.PARAMS | {"as_of", "offset", "filter", "search"}
    limit = params["limit"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, fast_page.MAX_LIMIT, 100)


@pytest.fixture
def clients(engine: Engine, tmp_path: Path) -> tuple[TestClient, TestClient, dict[str, str]]:
    fast = app_client(engine, tmp_path)
    slow = _without_lane(engine, tmp_path)
    ds = fast.post("/api/v1/datasets", json={"path": "team/pages"}).json()["id"]
    first = fast.post(
        f"/api/v1/datasets/{ds}/versions",
        json={"datapoints": [{"inputs": {"i": i}} for i in range(7)] + [{}], "message": "one"},
    ).json()["id"]
    fast.post(f"/api/v1/datasets/{ds}/versions", json={"action": "add", "datapoints": [{"x": 1}]})
    fast.post("/api/v1/environments", json={"name": "production"})
    fast.put(f"/api/v1/datasets/{ds}/deployments/production", json={"version_id": first})
    cursor = fast.get(f"/api/v1/datasets/{ds}/datapoints", params={"limit": 3}).json()
    project = fast.post("/api/v1/projects", json={"name": "other"}).json()["id"]
    other = fast.post(f"/api/v1/projects/{project}/keys", json={"name": "o", "scopes": ["admin"]})
    reader = fast.post("/api/v1/projects/1/keys", json={"name": "r", "scopes": ["datasets:read"]})
    revoked = fast.post("/api/v1/projects/1/keys", json={"name": "x", "scopes": ["admin"]}).json()
    fast.get("/api/v1/me", headers={"X-API-KEY": revoked["key"]})  # remembered ...
    fast.delete(f"/api/v1/projects/1/keys/{revoked['id']}")  # ... then revoked
    names = {
        "ds": ds,
        "first": first,
        "cursor": cursor["next_cursor"],
        "other": other.json()["key"],
        "reader": reader.json()["key"],
        "revoked": revoked["key"],
    }
    return fast, slow, names


REQUESTS = [
    "",
    "?limit=3",
    "?limit=3&cursor={cursor}",
    "?cursor={cursor}&version_id={first}",
    "?version_id={first}&limit=10000",
    "?environment=production",
    "?environment=staging",
    "?version_id=ver_nope",
    "?version_id=",
    "?cursor=",
    "?cursor=not-a-cursor",
    "?limit=0",
    "?limit=10001",
    "?limit=05",
    "?limit=%2B5",
    "?limit=%205",
    "?limit=abc",
    "?limit=99999999999999999999",
    "?limit=2&limit=3",
    "?offset=2&limit=2",
    "?as_of=2020-01-01T00:00:00Z",
    "?as_of=2020-01-01T00:00:00",
    "?filter=inputs.i=3",
    "?search=x",
    "?unknown=1",
]


def test_same_answers_with_and_without_the_lane(
    clients: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    fast, slow, names = clients
    base = f"/api/v1/datasets/{names['ds']}/datapoints"
    everything = [base + q.format(**names) for q in REQUESTS]
    everything += ["/api/v1/datasets/ds_nope/datapoints", base + "/"]
    callers = {
        "admin": ({"X-API-KEY": ADMIN_SECRET}, everything),
        "bearer": ({"Authorization": f"Bearer {ADMIN_SECRET}"}, everything[:6]),
        "reader": ({"X-API-KEY": names["reader"]}, everything[:6]),
        "other project": ({"X-API-KEY": names["other"]}, everything[:6]),
        "revoked": ({"X-API-KEY": names["revoked"]}, everything[:3]),
        "no key": ({"X-API-KEY": ""}, everything[:3]),
    }
    for who, (header, paths) in callers.items():
        for path in paths:
            got, want = fast.get(path, headers=header), slow.get(path, headers=header)
            assert (got.status_code, got.headers.items(), got.content) == (
                want.status_code,
                want.headers.items(),
                want.content,
            ), (who, path)
    assert fast.head(base).status_code == slow.head(base).status_code == 405


def test_plain_requests_skip_the_route(
    clients: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    fast, _, names = clients
    lane = _lane(fast)
    passed = lane.app = Passed(lane.app)
    base = f"/api/v1/datasets/{names['ds']}/datapoints"
    for query in ("", "?limit=3", "?cursor={cursor}&limit=3&version_id={first}"):
        page = fast.get(base + query.format(**names))
        assert page.status_code == 200 and page.json()["items"]
    assert fast.get(base, headers={"X-API-KEY": names["reader"]}).status_code == 200
    assert passed.paths == []
    assert fast.get(base + "?offset=1").status_code == 200
    assert fast.get(base, headers={"X-API-KEY": names["revoked"]}).status_code == 401
    assert fast.get("/api/v1/datasets/ds_nope/datapoints").status_code == 404
    assert passed.paths == [f"{base}?offset=1", f"{base}?", "/api/v1/datasets/ds_nope/datapoints?"]


def test_a_page_of_another_project_is_not_found(
    clients: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    fast, _, names = clients
    found = fast.get(
        f"/api/v1/datasets/{names['ds']}/datapoints", headers={"X-API-KEY": names["other"]}
    )
    assert found.status_code == 404 and found.json()["error"]["code"] == "not_found"


def test_pages_read_on_the_event_loop_see_every_commit(
    clients: tuple[TestClient, TestClient, dict[str, str]], backend: str
) -> None:
    fast, _, names = clients
    lane = _lane(fast)
    assert (lane.inline is not None) == (backend == "sqlite")
    base = f"/api/v1/datasets/{names['ds']}/datapoints"
    for i in range(3):
        added = fast.post(base, json={"datapoints": [{"inputs": {"n": i}}], "commit": True})
        assert added.status_code == 201, added.text
        page = fast.get(base, params={"limit": 100}).json()
        assert page["items"][-1]["inputs"] == {"n": i}


@pytest.mark.parametrize(
    ("url", "inline"),
    [
        ("sqlite:////data/evalsets.db", True),
        ("sqlite:///relative.db", True),
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("sqlite:///file:x?mode=memory&uri=true", False),
        ("postgresql+psycopg://u@h/db", False),
    ],
)
def test_only_sqlite_files_are_read_inline(url: str, inline: bool) -> None:
    assert fast_page._sqlite_file(url) is inline
