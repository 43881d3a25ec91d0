"""The UI over HTTP in process, on both backends: sessions, CSRF, escaping, isolation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.core.model import Scope
from evalsets.core.versioning import VersionMeta
from evalsets.http.ui import session
from tests.clients import ADMIN_SECRET
from tests.ui.helpers import Browser, csrf_of, sign_in, ui_app

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> TestClient:
    engine.admin.bootstrap(ADMIN_SECRET)
    return ui_app(engine, tmp_path)


@pytest.fixture
def browser(client: TestClient) -> Browser:
    return sign_in(client, ADMIN_SECRET)


def _dataset(engine: Engine, records: list[dict[str, object]], path: str = "qa/gold") -> str:
    ds = engine.datasets.create(1, path)
    engine.data.import_records(1, ds.id, records, meta=VersionMeta(commit=True, message="v1"))
    return ds.id


def test_pages_need_a_session_and_api_paths_keep_their_errors(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/ui/"
    found = client.get("/ui/datasets/ds_x?offset=5")
    assert found.status_code == 303
    assert found.headers["location"] == "/ui/sign-in?next=/ui/datasets/ds_x%3Foffset%3D5"
    assert client.post("/ui/datasets/ds_x/commit", data={"message": "m"}).status_code == 401
    api = client.get("/api/v1/datasets")
    assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/healthz").status_code == 200


def test_sign_in_checks_key_and_form_token(client: TestClient, engine: Engine) -> None:
    form = client.get("/ui/sign-in?next=//evil.example/")
    token = csrf_of(form.text)
    assert 'value="/ui/"' in form.text  # an outside "next" is dropped
    wrong = client.post("/ui/sign-in", data={"key": "nope", "csrf": token})
    assert wrong.status_code == 401 and "not valid" in wrong.text
    forged = client.post("/ui/sign-in", data={"key": ADMIN_SECRET, "csrf": "other"})
    assert forged.status_code == 403 and session.COOKIE not in forged.cookies
    token = csrf_of(client.get("/ui/sign-in").text)
    done = client.post("/ui/sign-in", data={"key": ADMIN_SECRET, "csrf": token})
    assert done.status_code == 303
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/ui" in cookie
    assert ADMIN_SECRET not in cookie  # the cookie names the key, never holds its secret


def test_forged_expired_and_revoked_sessions_are_signed_out(engine: Engine, tmp_path: Path) -> None:
    key, secret = engine.admin.create_key(1, "temp", [Scope.READ.value])
    client = ui_app(engine, tmp_path)
    browser = sign_in(client, secret)
    assert browser.client.get("/ui/").status_code == 200
    value = client.cookies[session.COOKIE]
    assert session.unsign(b"s" * 32, value) is not None
    assert session.unsign(b"t" * 32, value) is None
    assert session.unsign(b"s" * 32, value, now=10**12) is None
    assert session.unsign(b"s" * 32, value[:-2] + "AA") is None
    other_server = ui_app(engine, tmp_path, secret="u" * 32)
    other_server.cookies.set(session.COOKIE, value)
    assert other_server.get("/ui/").status_code == 303
    engine.admin.revoke_key(1, key.id)
    assert client.get("/ui/").status_code == 303


def test_every_post_needs_the_csrf_token(browser: Browser, engine: Engine) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": 1}}])
    dp = engine.data.page(1, ds_id).items[0]
    no_token = browser.client.post(
        f"/ui/datasets/{ds_id}/datapoints/{dp.id}", data={"content": '{"inputs": 2}'}
    )
    assert no_token.status_code == 422
    bad = browser.client.post(
        f"/ui/datasets/{ds_id}/datapoints/{dp.id}",
        data={"content": '{"inputs": 2}', "csrf": "forged"},
    )
    assert bad.status_code == 403 and "form expired" in bad.text
    assert engine.data.get(1, ds_id, dp.id).content == {"inputs": {"q": 1}}
    assert engine.datasets.draft(1, ds_id) is None


def test_edit_add_delete_commit_deploy_restore(browser: Browser, engine: Engine) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": 1}}, {"inputs": {"q": 2}}])
    v1 = engine.datasets.newest(1, ds_id)
    assert v1 is not None
    first, second = engine.data.page(1, ds_id).items
    base = f"/ui/datasets/{ds_id}"
    saved = browser.post(
        f"{base}/datapoints/{first.id}", content='{"inputs": {"q": 1}, "expected": "a"}'
    )
    assert saved.status_code == 303
    added = browser.post(f"{base}/datapoints", content='{"inputs": {"q": 3}}', head="")
    assert added.status_code == 303
    draft = engine.datasets.draft(1, ds_id)
    assert draft is not None and draft.datapoint_count == 3
    deleted = browser.post(f"{base}/datapoints/{second.id}/delete", head=draft.id)
    assert deleted.status_code == 303
    stale = browser.post(f"{base}/datapoints/{first.id}/delete", head=v1.id)
    assert stale.status_code == 409
    committed = browser.post(f"{base}/commit", message="edited", name="gold-2")
    assert committed.status_code == 303
    v2 = engine.datasets.newest(1, ds_id)
    assert v2 is not None and (v2.status.value, v2.name, v2.datapoint_count) == (
        "committed",
        "gold-2",
        2,
    )
    assert v2.author == "key:bootstrap-admin" or v2.author is None or v2.author.startswith("key:")
    deploy = browser.post(f"{base}/versions/{v1.id}/deploy", environment="production")
    assert deploy.status_code == 303
    [deployment] = engine.datasets.deployments(1, ds_id)
    assert (deployment.environment.name, deployment.version_id) == ("production", v1.id)
    named = browser.post(f"{base}/versions/{v1.id}", name="first", description="the start")
    assert named.status_code == 303
    assert engine.datasets.version(1, ds_id, v1.id).name == "first"
    restored = browser.post(f"{base}/versions/{v1.id}/restore")
    assert restored.status_code == 303
    v3 = engine.datasets.newest(1, ds_id)
    assert v3 is not None and v3.number == 3 and v3.commit_message == "Restore version 1"
    assert [d.content for d in engine.data.page(1, ds_id).items] == [
        {"inputs": {"q": 1}},
        {"inputs": {"q": 2}},
    ]
    page = browser.client.get(f"{base}?version={v1.id}")
    assert "read-only" in page.text and f"{base}/datapoints/{first.id}/edit" not in page.text


def test_bad_input_is_a_page_not_a_500_and_changes_nothing(
    browser: Browser, engine: Engine
) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": 1}}])
    dp = engine.data.page(1, ds_id).items[0]
    base = f"/ui/datasets/{ds_id}"
    for content in ("{not json", "[1, 2]", '"text"'):
        bad = browser.post(f"{base}/datapoints/{dp.id}", content=content)
        assert bad.status_code == 422, content
        assert 'aria-invalid="true"' in bad.text
    assert browser.post(f"{base}/commit", message=" ").status_code == 422
    assert browser.post(f"{base}/commit", message="x").status_code == 404
    for url in (
        f"{base}?limit=13",
        f"{base}?offset=-4",
        f"{base}?cols=password",
        f"{base}?version=dsv_missing",
        "/ui/?sort=secret",
        f"{base}/datapoints/dp_nope",
        f"{base}/diff?base=dsv_nope",
        "/ui/datasets/ds_nope",
    ):
        response = browser.client.get(url)
        assert 400 <= response.status_code < 500, url
        assert "<h1>" in response.text
    assert engine.datasets.draft(1, ds_id) is None
    assert len(engine.datasets.versions(1, ds_id)) == 1


def test_datapoint_content_is_escaped_everywhere(browser: Browser, engine: Engine) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": XSS}, "expected": XSS, XSS: 1}], path=f"x/{XSS}")
    engine.datasets.update(1, ds_id, tags=[XSS], description=XSS)
    dp = engine.data.page(1, ds_id).items[0]
    engine.data.update(1, ds_id, [(dp.id, {"inputs": {"q": "safe"}, "expected": XSS})])
    engine.datasets.commit(1, ds_id, message=XSS, name="n1")
    base = f"/ui/datasets/{ds_id}"
    pages = [
        "/ui/",
        f"{base}?cols=inputs&cols=expected&cols=other",
        f"{base}/datapoints/{dp.id}",
        f"{base}/datapoints/{dp.id}/edit",
        f"{base}/diff",
    ]
    for url in pages:
        html = browser.client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
    response = browser.client.get(base)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # the only scripts on a page are the UI's own file
    assert re.findall(r"<script[^>]*>", response.text) == ['<script src="/ui/static/ui.js" defer>']


def test_a_key_of_another_project_sees_nothing(engine: Engine, tmp_path: Path) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": "secret"}}])
    v1 = engine.datasets.newest(1, ds_id)
    assert v1 is not None
    other = engine.admin.create_project("other")
    _, secret = engine.admin.create_key(other.id, "w", [Scope.WRITE.value])
    browser = sign_in(ui_app(engine, tmp_path), secret)
    home = browser.client.get("/ui/")
    assert "qa/gold" not in home.text and "No datasets" in home.text
    base = f"/ui/datasets/{ds_id}"
    for url in (base, f"{base}/diff", f"{base}/export", f"{base}/datapoints/new"):
        assert browser.client.get(url).status_code == 404, url
    assert (
        browser.post(f"{base}/versions/{v1.id}/deploy", environment="production").status_code == 404
    )
    assert browser.post(f"{base}/commit", message="x").status_code == 404
    assert engine.datasets.deployments(1, ds_id) == []


def test_read_only_key_cannot_write(engine: Engine, tmp_path: Path) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": 1}}])
    _, secret = engine.admin.create_key(1, "reader", [Scope.READ.value])
    browser = sign_in(ui_app(engine, tmp_path), secret)
    page = browser.client.get(f"/ui/datasets/{ds_id}")
    assert page.status_code == 200 and "Add a datapoint" not in page.text
    refused = browser.post(f"/ui/datasets/{ds_id}/datapoints", content='{"inputs": {}}')
    assert refused.status_code == 403
    assert engine.datasets.draft(1, ds_id) is None


def test_import_creates_a_dataset_and_export_returns_it(browser: Browser, engine: Engine) -> None:
    body = b'{"inputs": {"q": 1}}\n{"inputs": {"q": 2}}\n'
    made = browser.client.post(
        "/ui/import",
        data={"csrf": browser.csrf, "path": "imports/a", "message": "from file"},
        files={"file": ("a.jsonl", body, "application/x-ndjson")},
        headers={"x-requested-with": "fetch"},
    )
    assert made.status_code == 201, made.text
    ds_id = made.json()["dataset_id"]
    [version] = engine.datasets.versions(1, ds_id)
    assert (version.commit_message, version.datapoint_count) == ("from file", 2)
    csv = browser.client.get(f"/ui/datasets/{ds_id}/export?format=csv")
    assert csv.status_code == 200 and csv.text.count("\n") == 3
    broken = browser.client.post(
        "/ui/import",
        data={"csrf": browser.csrf, "path": "imports/b"},
        files={"file": ("b.jsonl", b'{"inputs": 1}\n{broken\n', "application/x-ndjson")},
        headers={"x-requested-with": "fetch"},
    )
    assert broken.status_code == 400 or broken.status_code == 422, broken.text
    assert "error" in broken.json()
    assert engine.datasets.find_by_path(1, "imports/b") is None


def test_json_twins_are_the_page_data(browser: Browser, engine: Engine) -> None:
    ds_id = _dataset(engine, [{"inputs": {"q": i}} for i in range(60)])
    twin = browser.client.get(f"/ui/datasets/{ds_id}?format=json&offset=50").json()
    native = browser.client.get(
        f"/api/v1/datasets/{ds_id}/datapoints",
        params={"offset": 50, "limit": 50},
        headers={"X-API-KEY": ADMIN_SECRET},
    ).json()
    assert twin["page"]["items"] == native["items"] and twin["page"]["total"] == 60
    jumped = browser.client.get(f"/ui/datasets/{ds_id}?format=json&row=57&limit=25").json()
    assert jumped["page"]["offset"] == 50


def test_sign_out_and_static_files(browser: Browser) -> None:
    css = browser.client.get("/ui/static/ui.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert browser.client.get("/ui/static/../../settings.py").status_code == 404
    assert browser.client.get("/ui/static/nope.js").status_code == 404
    assert browser.post("/ui/sign-out", csrf="wrong").status_code == 403
    out = browser.post("/ui/sign-out")
    assert out.status_code == 303 and out.headers["location"] == "/ui/sign-in"
    assert browser.client.get("/ui/").status_code == 303
