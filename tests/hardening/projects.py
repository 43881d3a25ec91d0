"""Two tenants for the hardening tests: project A with secret-laden data, project B attacking."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from evalsets.core.engine import Engine
from evalsets.core.ids import DATAPOINT, DATASET, VERSION, to_uuid
from evalsets.http.arize import ids as arize_ids
from evalsets.store import schema
from tests.clients import app_client

ALL_SCOPES = ["datasets:read", "datasets:write", "admin"]
SECRET_NAME = "zz-secret-dataset-name-7f3a"
SECRET_VALUES = ("zz-secret-question-91c2", "zz-secret-answer-44be", "zz-secret-doc-0d1e")


@dataclass
class Tenant:
    """A project, a key of it (all scopes) and, for A, the ids of its objects."""

    project_id: int
    key_id: str
    secret: str
    dataset: str = ""
    path: str = ""
    versions: list[str] = field(default_factory=list)
    datapoints: list[str] = field(default_factory=list)
    environment_id: str = ""
    sources: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)


def make_tenant(engine: Engine, name: str) -> Tenant:
    project = engine.admin.create_project(name)
    key, secret = engine.admin.create_key(project.id, f"{name}-key", ALL_SCOPES)
    return Tenant(project.id, key.id, secret)


def populate(engine: Engine, tenant: Tenant, tmp_path: Any) -> None:
    """Give project A a dataset with two versions (one deployed), a draft and Globant entries."""
    client = app_client(engine, tmp_path)
    client.headers["X-API-KEY"] = tenant.secret
    ds = client.post("/api/v1/datasets", json={"path": f"team/{SECRET_NAME}"})
    assert ds.status_code == 201, ds.text
    tenant.dataset, tenant.path = ds.json()["id"], ds.json()["path"]
    base = f"/api/v1/datasets/{tenant.dataset}"
    question, answer, doc = SECRET_VALUES
    rows = [
        {
            "inputs": {"question": question},
            "expected": answer,
            "context": doc,
            "sources": [{"dataSetExpectedSourceName": "src", "dataSetExpectedSourceValue": doc}],
            "filters": [{"dataSetMetadataType": "V", "dataSetRowFilterKey": "k"}],
        },
        {"inputs": {"question": f"{question}-2"}, "expected": f"{answer}-2"},
    ]
    added = client.post(f"{base}/datapoints", json={"datapoints": rows})
    assert added.status_code == 201, added.text
    tenant.datapoints = list(added.json()["ids"])
    v1 = client.post(f"{base}/commit", json={"message": "one"})
    assert v1.status_code in (200, 201), v1.text
    deployed = client.put(f"{base}/deployments/production", json={"version_id": v1.json()["id"]})
    assert deployed.status_code == 200, deployed.text
    more = client.post(f"{base}/datapoints", json={"datapoints": [{"inputs": {"q": question}}]})
    assert more.status_code == 201, more.text
    tenant.datapoints.extend(more.json()["ids"])
    tenant.versions = [v.id for v in engine.datasets.versions(tenant.project_id, tenant.dataset)]
    env = engine.admin.get_environment(tenant.project_id, "production")
    tenant.environment_id = env.id
    row = f"/dataSetApi/dataSet/{uuid(tenant.dataset, DATASET)}/dataSetRow/"
    row += uuid(tenant.datapoints[0], DATAPOINT)
    sources = client.get(f"{row}/dataSetRowExpectedSources")
    assert sources.status_code == 200, sources.text
    tenant.sources = [s["dataSetExpectedSourceId"] for s in sources.json()]
    filters = client.get(f"{row}/dataSetRowFilterVariables")
    assert filters.status_code == 200, filters.text
    tenant.filters = [f["dataSetRowFilterVarId"] for f in filters.json()]
    assert tenant.sources and tenant.filters


def uuid(ident: str, prefix: str) -> str:
    """The dashed UUID of a prefixed id."""
    return str(to_uuid(ident, prefix))


def id_forms(tenant: Tenant) -> list[set[str]]:
    """Every spelling of each of the tenant's object ids, one set per object."""
    objects: list[set[str]] = [{tenant.key_id}, {tenant.environment_id}]
    ds = to_uuid(tenant.dataset, DATASET)
    objects.append(
        {tenant.dataset, str(ds), ds.hex, arize_ids.dataset_id(tenant.project_id, tenant.dataset)}
    )
    for version in tenant.versions:
        vu = to_uuid(version, VERSION)
        objects.append({version, str(vu), vu.hex, arize_ids.version_id(tenant.project_id, version)})
    for point in tenant.datapoints:
        pu = to_uuid(point, DATAPOINT)
        objects.append({point, str(pu), pu.hex})
    objects.extend({entry} for entry in tenant.sources + tenant.filters)
    return objects


def _rows(conn: Connection, table: Any, *where: Any) -> list[tuple[Any, ...]]:
    return sorted((tuple(r) for r in conn.execute(select(table).where(*where))), key=repr)


def fingerprint(engine: Engine, project_id: int) -> str:
    """A hash of every stored row that belongs to a project (any change shows)."""
    with engine.store.read() as conn:
        pks = [
            r.pk
            for r in conn.execute(
                select(schema.datasets.c.pk).where(schema.datasets.c.project_id == project_id)
            )
        ]
        parts: list[Any] = [
            _rows(conn, schema.projects, schema.projects.c.id == project_id),
            _rows(conn, schema.api_keys, schema.api_keys.c.project_id == project_id),
            _rows(conn, schema.environments, schema.environments.c.project_id == project_id),
            _rows(conn, schema.datasets, schema.datasets.c.project_id == project_id),
        ]
        for table in (schema.versions, schema.changes, schema.datapoints, schema.deployments):
            parts.append(_rows(conn, table, table.c.dataset_pk.in_(pks)))
    return hashlib.sha256(repr(parts).encode()).hexdigest()
