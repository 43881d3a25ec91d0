"""The route table as the hardening tests see it: routes, path-parameter fillers, bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.testclient import TestClient

from evalsets.core.ids import DATAPOINT, DATASET
from evalsets.http.arize import ids as arize_ids
from tests.hardening.projects import Tenant, uuid

Params = dict[str, str]
Filler = Callable[[Tenant, Tenant], Params]


def _native(a: Tenant, b: Tenant) -> Params:
    return {
        "dataset_id": a.dataset,
        "version_id": a.versions[0],
        "datapoint_id": a.datapoints[0],
        "environment": "production",
        "project_id": str(a.project_id),
        "key_id": a.key_id,
    }


def _humanloop(a: Tenant, b: Tenant) -> Params:
    return {
        "dataset_id": a.dataset,
        "version_id": a.versions[0],
        "environment_id": a.environment_id,
    }


def _arize(a: Tenant, b: Tenant) -> Params:
    return {
        "dataset_id": arize_ids.dataset_id(a.project_id, a.dataset),
        "space_id": arize_ids.space_id(a.project_id),
    }


def _geai(a: Tenant, b: Tenant) -> Params:
    return {
        "dataSetId": uuid(a.dataset, DATASET),
        "dataSetRowId": uuid(a.datapoints[0], DATAPOINT),
        "dataSetExpectedSourceId": a.sources[0],
        "dataSetRowFilterVarId": a.filters[0],
    }


def _posthog(project: Callable[[Tenant, Tenant], int]) -> Filler:
    def fill(a: Tenant, b: Tenant) -> Params:
        return {
            "project_ref": str(project(a, b)),
            "dataset_ref": uuid(a.dataset, DATASET),
            "item_ref": uuid(a.datapoints[0], DATAPOINT),
        }

    return fill


# Per path prefix: fillers of its path parameters. PostHog is tried twice: A's project id in the
# path (B's key is not a key of it) and B's own project id with A's dataset/item ids.
FILLERS: list[tuple[str, list[Filler]]] = [
    ("/api/v1/", [_native]),
    ("/v5/", [_humanloop]),
    ("/v2/", [_arize]),
    ("/dataSetApi/", [_geai]),
    ("/api/projects/", [_posthog(lambda a, b: a.project_id), _posthog(lambda a, b: b.project_id)]),
    (
        "/api/environments/",
        [_posthog(lambda a, b: a.project_id), _posthog(lambda a, b: b.project_id)],
    ),
    ("/ui/", [_native]),
]


_NATIVE_BODIES: dict[tuple[str, str], Callable[[Tenant], Any]] = {
    ("POST", "/api/v1/datasets"): lambda a: {"path": "b/own"},
    ("PATCH", "/api/v1/datasets/{dataset_id}"): lambda a: {"description": "b"},
    ("POST", "/api/v1/datasets/{dataset_id}/versions"): lambda a: {
        "datapoints": [{"inputs": {"q": "b"}}],
        "base_version_id": a.versions[0],
    },
    ("PATCH", "/api/v1/datasets/{dataset_id}/versions/{version_id}"): lambda a: {
        "description": "b"
    },
    ("POST", "/api/v1/datasets/{dataset_id}/datapoints/delete"): lambda a: {"ids": a.datapoints},
    ("POST", "/api/v1/projects/{project_id}/keys"): lambda a: {"name": "stolen"},
}


def _native_body(method: str, path: str, a: Tenant, serial: int) -> Any:
    if (method, path) in _NATIVE_BODIES:
        return _NATIVE_BODIES[method, path](a)
    if path.endswith(("/commit", "/restore")):
        return {"message": "b"}
    if "/deployments/" in path:
        return {"version_id": a.versions[0]}
    if path.endswith("/datapoints"):
        return {"datapoints": [_ROW]}
    return _ROW


def _humanloop_body(method: str, path: str, a: Tenant, serial: int) -> Any:
    if path == "/v5/datasets":
        return {"path": f"b/own{serial}", "datapoints": [{"inputs": {"q": "b"}}]}
    if path.endswith("/commit"):
        return {"commit_message": "b"}
    if "/versions/" in path:
        return {"name": f"b{serial}", "description": "b"}
    if "/environments/" in path:
        return None
    return {"path": "b/moved", "name": "moved"}


def _arize_body(method: str, path: str, a: Tenant, serial: int) -> Any:
    example = {"id": str(uuid(a.datapoints[0], DATAPOINT)), "question": "b"}
    if path == "/v2/datasets":
        return {"name": "b", "space_id": arize_ids.space_id(a.project_id), "examples": [_ROW]}
    if path.endswith("/examples/search"):
        return {"limit": 10}
    if path.endswith("/examples/annotate"):
        return {"annotations": [{"record_id": example["id"], "values": [{"name": "x"}]}]}
    if path.endswith("/examples"):
        return {
            "examples": [example],
            "dataset_version_id": arize_ids.version_id(a.project_id, a.versions[0]),
            "example_ids": [example["id"]],
        }
    if path.endswith("/tags"):
        return {"tag_ids": [arize_ids.tag_id(a.project_id, "t")]}
    return {"name": "renamed"}


def _geai_body(method: str, path: str, a: Tenant, serial: int) -> Any:
    if path.endswith("/dataSetRowExpectedSource") or "ExpectedSource/" in path:
        return {"dataSetExpectedSourceName": "b", "dataSetExpectedSourceValue": "b"}
    if path.endswith("/dataSetRowFilterVariable") or "FilterVariable/" in path:
        return {"dataSetMetadataType": "V", "dataSetRowFilterKey": "b"}
    if "dataSetRow" in path:
        return {"dataSetRowInput": "b", "dataSetRowExpectedAnswer": "b"}
    return {"dataSetName": f"b-own-{serial}", "rows": []}


def _posthog_body(method: str, path: str, a: Tenant, serial: int) -> Any:
    if "/dataset_items/" in path:
        return {
            "dataset": uuid(a.dataset, DATASET),
            "input": {"q": "b"},
            "id": uuid(a.datapoints[0], DATAPOINT),
            "base_version": 1,
        }
    return {"name": f"b-renamed-{serial}"}


_ROW = {"inputs": {"q": "from b"}, "expected": "b"}
_BODIES: list[tuple[str, Callable[[str, str, Tenant, int], Any]]] = [
    ("/api/v1/", _native_body),
    ("/v5/", _humanloop_body),
    ("/v2/", _arize_body),
    ("/dataSetApi/", _geai_body),
    ("/api/projects/", _posthog_body),
    ("/api/environments/", _posthog_body),
]


def body(method: str, path: str, a: Tenant, serial: int) -> Any:
    """A plausible request body for a write, referencing A's objects where it can."""
    for prefix, make in _BODIES:
        if path.startswith(prefix):
            return make(method, path, a, serial)
    return {}


def api_routes(client: TestClient) -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) of every API route of the client's app."""
    found: list[tuple[str, str, APIRoute]] = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        for method in sorted(route.methods or ()):
            found.append((method, str(context.path), route))
    return found


def fillers_for(path: str) -> list[Filler] | None:
    """The path-parameter fillers for a route's prefix, or None if there are none."""
    for prefix, fillers in FILLERS:
        if path.startswith(prefix):
            return fillers
    return None
