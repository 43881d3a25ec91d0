"""Hostile input on every write endpoint of every dialect: a clear 4xx in the dialect's own
error format (never a 5xx), bounded memory, and a refused request changes nothing."""

from __future__ import annotations

import json
import re
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.store import schema
from tests.clients import ADMIN_SECRET, app_client
from tests.hardening.projects import ALL_SCOPES, Tenant, populate
from tests.hardening.routes import api_routes, body, fillers_for

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
DEEP = 10_000
HUGE = 5 * 1024 * 1024
BIG = 256 * 1024
_LEAF = "\x00HOSTILE\x00"


def _dialect(path: str) -> str:
    for prefix, name in (
        ("/api/v1/", "native"),
        ("/v5/", "humanloop"),
        ("/v2/", "arize"),
        ("/dataSetApi/", "geai"),
        ("/api/projects/", "posthog"),
        ("/api/environments/", "posthog"),
    ):
        if path.startswith(prefix):
            return name
    return "other"


def _dialect_error(dialect: str, status: int, reply: Any) -> bool:
    """Whether a reply is an error in the dialect's own format."""
    try:
        data = reply.json()
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    if dialect == "native":
        error = data.get("error")
        return isinstance(error, dict) and {"code", "message"} <= error.keys()
    if dialect == "humanloop":
        return "detail" in data
    if dialect == "arize":
        return {"type", "title", "status", "detail"} <= data.keys() and data["status"] == status
    if dialect == "geai":
        return {"error", "message", "status"} <= data.keys() and data["status"] == status
    if dialect == "posthog":
        return {"type", "code", "detail", "attr"} <= data.keys()
    return False


def _counts(engine: Engine) -> tuple[int, ...]:
    """Row counts of every table and the newest update time: what a refused write must keep."""
    tables = (
        schema.projects,
        schema.api_keys,
        schema.environments,
        schema.datasets,
        schema.versions,
        schema.changes,
        schema.datapoints,
        schema.deployments,
    )
    with engine.store.read() as conn:
        counts = [conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables]
        newest = [
            conn.execute(select(func.max(column))).scalar_one()
            for column in (schema.datasets.c.updated_at, schema.versions.c.updated_at)
        ]
    return (*counts, hash(tuple(newest)))


def _poison(value: Any) -> Any:
    """The body with every string leaf (keys kept) replaced by a marker."""
    if isinstance(value, dict):
        return {k: _poison(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v) for v in value]
    if isinstance(value, str):
        return _LEAF
    return value


def _with_leaves(plausible: Any, *raw_leaves: str, count: int = -1) -> bytes | None:
    """The JSON text of the body with (the first ``count``) string leaves replaced by these raw
    JSON texts in turn, the others by "x"; None if the body has no string leaf."""
    text = json.dumps(_poison(plausible))
    marker = json.dumps(_LEAF)
    if marker not in text:
        return None
    parts = text.split(marker)
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        leaf = raw_leaves[index % len(raw_leaves)] if count < 0 or index < count else '"x"'
        out += [leaf, part]
    return "".join(out).encode()


def _wrong_types(plausible: Any) -> bytes | None:
    if not isinstance(plausible, dict) or not plausible:
        return None
    wrong: dict[str, Any] = {}
    for key, value in plausible.items():
        container = isinstance(value, dict | list)
        wrong[key] = "not a container" if container else {"not": ["a scalar"]}
    return json.dumps(wrong).encode()


def _deep_text() -> str:
    return "[" * DEEP + "]" * DEEP


# Writes that read no body (as the vendor's own endpoint): any body is ignored.
BODILESS = {
    ("POST", "/api/projects/{project_ref}/datasets/{dataset_ref}/archive/"),
    ("POST", "/api/projects/{project_ref}/datasets/{dataset_ref}/restore/"),
    ("POST", "/v5/datasets/{dataset_id}/environments/{environment_id}"),
}

Payload = Callable[[Any], bytes | None]

# (name, body maker, must be refused). Accepted payloads may succeed but never 5xx.
ODD_TEXT = (
    "x'); DROP TABLE datasets; --",
    "../../etc/passwd",
    "\u202eabc\u200f 👩‍👩‍👧 ﷽ \U0001f600",
    "%s%n%x{}{{0}}",
)

PAYLOADS: list[tuple[str, Payload, bool]] = [
    ("malformed JSON", lambda b: b'{"name": "x", "datapoints": [', True),
    ("not UTF-8", lambda b: b'{"name": "\xff\xfe"}', True),
    ("top-level scalar", lambda b: b'"just a string"', True),
    ("wrong types", _wrong_types, True),
    ("deep nesting (top level)", lambda b: _deep_text().encode(), True),
    ("deep nesting (in a field)", lambda b: _with_leaves(b, _deep_text()), True),
    ("huge string", lambda b: _with_leaves(b, json.dumps("x" * HUGE), count=1), False),
    ("NUL bytes", lambda b: _with_leaves(b, json.dumps("a\x00b")), False),
    ("lone surrogate", lambda b: _with_leaves(b, '"a\\ud800b"', '"\\udfff"'), False),
    ("SQL, traversal, RTL, emoji", lambda b: _with_leaves(b, *map(json.dumps, ODD_TEXT)), False),
]

# Globant row fields take any JSON value (an object input is the canonical ``inputs``).
WRONG_TYPES_ACCEPTED = {
    ("POST", "/dataSetApi/dataSet/{dataSetId}/dataSetRow"),
    ("PUT", "/dataSetApi/dataSet/{dataSetId}/dataSetRow/{dataSetRowId}"),
}


_ACCEPTED = {("wrong types", method, path) for method, path in WRONG_TYPES_ACCEPTED}


def _default_tenant(engine: Engine, tmp_path: Path) -> Tenant:
    key, secret = engine.admin.create_key(1, "hostile", ALL_SCOPES)
    tenant = Tenant(1, key.id, secret)
    populate(engine, tenant, tmp_path)
    return tenant


def _targets(client: TestClient, tenant: Tenant) -> list[tuple[str, str, str]]:
    """(method, route path, url) of each write route, DELETEs last (they remove the targets)."""
    found: list[tuple[str, str, str]] = []
    for method, path, route in api_routes(client):
        fillers = fillers_for(path)
        if method not in WRITES or fillers is None or path.startswith("/ui/"):
            continue
        if (method, path) in BODILESS or (method == "DELETE" and route.body_field is None):
            continue  # the body is not read: hostile bodies cannot matter
        if path.startswith("/api/environments/"):
            continue  # PostHog's environments alias: the same handlers as /api/projects
        url = path
        values = fillers[0](tenant, tenant)
        for name in re.findall(r"{(\w+)(?::\w+)?}", path):
            url = re.sub("{" + name + r"(?::\w+)?}", values[name], url)
        found.append((method, path, url))
    return sorted(found, key=lambda t: t[0] == "DELETE")


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_hostile_bodies_get_clear_errors_and_change_nothing(engine: Engine, tmp_path: Path) -> None:
    engine.admin.bootstrap(ADMIN_SECRET)
    tenant = _default_tenant(engine, tmp_path)
    client = app_client(engine, tmp_path)
    client.headers["X-API-KEY"] = tenant.secret
    targets = _targets(client, tenant)
    assert len(targets) > 40
    rss_before = _max_rss_mb()
    problems: list[str] = []
    dialects_done: set[str] = set()  # the 5 MB string goes to the first route of each dialect
    for serial, (method, path, url) in enumerate(targets):
        plausible = body(method, path, tenant, serial)
        for name, make, must_refuse in PAYLOADS:
            raw = make(plausible)
            if name == "huge string" and _dialect(path) in dialects_done:
                raw = _with_leaves(plausible, json.dumps("x" * BIG), count=1)
            if raw is None:
                continue
            before = _counts(engine)
            reply = client.request(
                method, url, content=raw, headers={"content-type": "application/json"}
            )
            status, where = reply.status_code, f"{method} {path} [{name}]"
            if status >= 500:
                problems.append(f"{where}: {status} {reply.text[:200]!r}")
            elif status >= 400:
                if not _dialect_error(_dialect(path), status, reply):
                    problems.append(f"{where}: {status} not in the dialect's format {reply.text!r}")
                if _counts(engine) != before:
                    problems.append(f"{where}: refused with {status} but the store changed")
            elif must_refuse and (name, method, path) not in _ACCEPTED:
                problems.append(f"{where}: accepted ({status}) {reply.text[:200]!r}")
        dialects_done.add(_dialect(path))
    assert not problems, "\n".join(problems)
    assert _max_rss_mb() - rss_before < 512, "memory grew by more than 512 MB"
    _reads_still_work(client, tenant)


def _reads_still_work(client: TestClient, tenant: Tenant) -> None:
    """After all that, every read route of the tenant's objects still answers without a 5xx."""
    for method, path, _route in api_routes(client):
        fillers = fillers_for(path)
        if method != "GET" or fillers is None:
            continue
        values = fillers[0](tenant, tenant)
        url = path
        for name in re.findall(r"{(\w+)(?::\w+)?}", path):
            url = re.sub("{" + name + r"(?::\w+)?}", values.get(name, "x"), url)
        for params in ({}, {"filter": 'inputs.q="x"', "search": "x"}):
            reply = client.get(url, params=params)
            assert reply.status_code < 500, (url, params, reply.text[:300])


def test_oversized_bodies_get_413_in_each_dialects_format(engine: Engine, tmp_path: Path) -> None:
    engine.admin.bootstrap(ADMIN_SECRET)
    tenant = _default_tenant(engine, tmp_path)
    client = app_client(engine, tmp_path, max_json_body=2048, max_upload=2048)
    client.headers["X-API-KEY"] = tenant.secret
    before = _counts(engine)
    problems: list[str] = []
    for serial, (method, path, url) in enumerate(_targets(client, tenant)):
        plausible = body(method, path, tenant, serial)
        raw = (
            _with_leaves(plausible, json.dumps("x" * 8192))
            or json.dumps({"padding": "x" * 8192}).encode()
        )
        content_type = "application/json"
        if path.endswith("/csv"):
            form = httpx.Request("POST", "http://x", files={"file": ("a.csv", b"q\n" * 8192)})
            raw, content_type = form.read(), form.headers["content-type"]
        for chunked in (False, True):
            content: Any = iter([raw[:1000], raw[1000:]]) if chunked else raw
            reply = client.request(
                method, url, content=content, headers={"content-type": content_type}
            )
            if reply.status_code != 413 or not _dialect_error(_dialect(path), 413, reply):
                problems.append(f"{method} {path} chunked={chunked}: {reply.status_code}")
    assert not problems, "\n".join(problems)
    assert _counts(engine) == before
