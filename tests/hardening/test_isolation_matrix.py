"""Tenant isolation, walked over the whole route table: a key of B never reaches A's objects.

Every API route of ``create_app`` (every dialect, the native API and the UI) is called with a
key of project B against project A's objects. A route whose path parameters the mapping below
cannot fill fails the test, unless it is in ``NO_PROJECT_OBJECT`` (checked separately), so a
new route is never silently skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.core.ids import DATASET
from evalsets.http.arize import ids as arize_ids
from evalsets.http.posthog.mapping import dataset_uuid
from tests.clients import app_client
from tests.hardening.projects import (
    SECRET_NAME,
    SECRET_VALUES,
    Tenant,
    fingerprint,
    id_forms,
    make_tenant,
    populate,
    uuid,
)
from tests.hardening.routes import Params, api_routes, body, fillers_for
from tests.ui.helpers import csrf_of, sign_in, ui_app

DENIED = {401, 403, 404}

# Routes that name no project object; each is checked in test_routes_without_project_objects.
NO_PROJECT_OBJECT = {
    ("GET", "/healthz"),
    ("GET", "/"),
    ("POST", "/api/v1/projects"),
    ("GET", "/api/v1/projects"),
    ("GET", "/api/v1/environments"),
    ("POST", "/api/v1/environments"),
    ("GET", "/api/v1/me"),
    ("GET", "/v2/spaces"),
    ("GET", "/ui/sign-in"),
    ("POST", "/ui/sign-in"),
    ("POST", "/ui/sign-out"),
    ("GET", "/ui/static/{name}"),
    ("GET", "/ui/import"),
}

# Collection routes: B acts on its own project (2xx allowed) but must see nothing of A's.
# The bodies below reference A's objects where the route accepts a reference.
COLLECTIONS = {
    ("GET", "/api/v1/datasets"),
    ("POST", "/api/v1/datasets"),
    ("GET", "/v5/datasets"),
    ("POST", "/v5/datasets"),
    ("GET", "/v2/datasets"),
    ("GET", "/dataSetApi/dataSets"),
    ("POST", "/dataSetApi/dataSets"),
    ("POST", "/dataSetApi/dataSet"),
    ("POST", "/dataSetApi/dataSet/FileUpload"),
    ("GET", "/ui/"),
    ("POST", "/ui/import"),
}

# Routes that take A's object in the body or query string (not the path): refused (PostHog
# answers a reference to an unknown dataset with DRF's 400 ``does_not_exist``).
REFERENCING = {
    ("POST", "/v2/datasets"),
    ("GET", "/api/projects/{project_ref}/dataset_items/"),
    ("POST", "/api/projects/{project_ref}/dataset_items/"),
    ("GET", "/api/environments/{project_ref}/dataset_items/"),
    ("POST", "/api/environments/{project_ref}/dataset_items/"),
}

# Dialect rules: PostHog never hard-deletes (405 whatever the object).
DIALECT_STATUSES = {("DELETE", "/api/projects/"): {405}, ("DELETE", "/api/environments/"): {405}}


def _leaks(text: str, url: str, a: Tenant) -> list[str]:
    """A's secrets in a response body: its dataset name, datapoint values, other ids."""
    found = [s for s in (SECRET_NAME, *SECRET_VALUES) if s in text]
    for forms in id_forms(a):
        if any(form in url for form in forms):
            continue
        found.extend(form for form in forms if form and form in text)
    return found


def _call(client: TestClient, method: str, url: str, body: Any, ui_csrf: str | None) -> Any:
    if url.startswith("/ui/") and method == "POST":
        form = {
            "csrf": ui_csrf or "",
            "message": "b",
            "environment": "production",
            "content": '{"inputs": {"q": "b"}}',
        }
        return client.post(url, data=form, files={"file": ("b.jsonl", b'{"inputs": {}}\n')})
    if method == "GET" or body is None:
        return client.request(method, url)
    return client.request(method, url, json=body)


def _judge(method: str, path: str, values: Params, a: Tenant, status: int) -> str | None:
    """What is wrong with a status for this call, or None."""
    params = set(re.findall(r"{(\w+)(?::\w+)?}", path))
    own_project = values.get("project_ref") != str(a.project_id)
    targets_a = bool(params - {"project_ref"}) or not own_project
    if status >= 500:
        return f"status {status}"
    if targets_a:
        allowed = set(DENIED)
        for (verb, prefix), extra in DIALECT_STATUSES.items():
            if method == verb and path.startswith(prefix):
                allowed |= extra
        return None if status in allowed else f"status {status}, expected one of {allowed}"
    if (method, path) in REFERENCING:
        return None if status in DENIED | {400} else f"status {status} for a reference to A"
    if (method, path) in COLLECTIONS or params == {"project_ref"}:
        return None
    return "names no object of A: classify the route (COLLECTIONS or NO_PROJECT_OBJECT)"


def _ui_browser(engine: Engine, tmp_path: Path, b: Tenant) -> tuple[TestClient, str]:
    browser = sign_in(ui_app(engine, tmp_path), b.secret)
    return browser.client, browser.csrf


def test_every_route_refuses_another_projects_objects(engine: Engine, tmp_path: Path) -> None:
    a, b = make_tenant(engine, "tenant-a"), make_tenant(engine, "tenant-b")
    populate(engine, a, tmp_path)
    before = fingerprint(engine, a.project_id)
    api = app_client(engine, tmp_path)
    api.headers["X-API-KEY"] = b.secret
    ui, csrf = _ui_browser(engine, tmp_path, b)
    problems: list[str] = []
    checked = 0
    for method, path, _route in api_routes(api):
        if (method, path) in NO_PROJECT_OBJECT:
            continue
        params = set(re.findall(r"{(\w+)(?::\w+)?}", path))
        fillers = fillers_for(path)
        if fillers is None:
            problems.append(f"{method} {path}: no filler for this prefix (add one)")
            continue
        for fill in fillers:
            values = fill(a, b)
            missing = params - values.keys()
            if missing:
                problems.append(f"{method} {path}: cannot fill {sorted(missing)}")
                continue
            url = path
            for name in params:
                url = re.sub("{" + name + r"(?::\w+)?}", values[name], url)
            client = ui if path.startswith("/ui/") else api
            query = {
                "dataset": uuid(a.dataset, DATASET),
                "version_id": a.versions[0],
                "base": a.versions[0],
                "target": a.versions[-1],
            }
            if "?" not in url:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            payload = body(method, path, a, checked)
            reply = _call(client, method, url, payload, csrf)
            checked += 1
            problem = _judge(method, path, values, a, reply.status_code)
            if problem:
                problems.append(f"{method} {url}: {problem} {reply.text[:300]!r}")
            # Ids B sent may be echoed (in an error, for query parameters); nothing else of A's.
            sent = url if reply.status_code >= 400 else url.partition("?")[0]
            leaks = _leaks(reply.text, sent + json.dumps(payload), a)
            if leaks:
                problems.append(f"{method} {url}: leaks {leaks}")
    assert checked > 100
    assert not problems, "\n".join(problems)
    assert fingerprint(engine, a.project_id) == before


def test_routes_without_project_objects(engine: Engine, tmp_path: Path) -> None:
    """The allow-listed routes: B's admin key manages only B; public pages show nothing of A."""
    a, b = make_tenant(engine, "tenant-a"), make_tenant(engine, "tenant-b")
    populate(engine, a, tmp_path)
    before = fingerprint(engine, a.project_id)
    api = app_client(engine, tmp_path)
    api.headers["X-API-KEY"] = b.secret
    listed = {(m, p) for m, p, _ in api_routes(api)}
    assert NO_PROJECT_OBJECT <= listed, NO_PROJECT_OBJECT - listed
    assert api.get("/healthz").status_code == 200
    assert api.post("/api/v1/projects", json={"name": "b-made"}).status_code == 404
    projects = api.get("/api/v1/projects").json()["items"]
    assert [p["id"] for p in projects] == [b.project_id]
    me = api.get("/api/v1/me").json()
    assert me["project_id"] == b.project_id
    envs = api.get("/api/v1/environments").json()["items"]
    assert a.environment_id not in {e["id"] for e in envs}
    assert api.post("/api/v1/environments", json={"name": "b-env"}).status_code == 201
    spaces = api.get("/v2/spaces")
    assert spaces.status_code == 200
    assert arize_ids.space_id(a.project_id) not in spaces.text
    assert arize_ids.space_id(b.project_id) in spaces.text
    ui, _ = _ui_browser(engine, tmp_path, b)
    for page in ("/", "/ui/", "/ui/import", "/ui/sign-in", "/ui/static/app.css"):
        reply = ui.get(page)
        assert reply.status_code < 500 and not _leaks(reply.text, page, a), page
    signed_out = ui.post("/ui/sign-out", data={"csrf": csrf_of(ui.get("/ui/").text)})
    assert signed_out.status_code in (303, 302)
    assert ui.get("/ui/").status_code in (302, 303, 401)
    for ident in (a.dataset, dataset_uuid(a.dataset)):
        assert ui.get(f"/ui/datasets/{ident}").status_code in (302, 303, 401, 404)
    assert fingerprint(engine, a.project_id) == before
