"""One OpenAPI document per vendor dialect, cut out of the app's own OpenAPI document.

``scripts/openapi-dialects`` writes them to ``docs/openapi/<dialect>.json``; tests/fuzz drives
each dialect with schemathesis from them.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

#: Path prefixes of each dialect (see each dialect package's ``PREFIX``/``PREFIXES``).
DIALECT_PREFIXES: dict[str, tuple[str, ...]] = {
    "humanloop": ("/v5/",),
    "arize": ("/v2/",),
    "geai": ("/dataSetApi/",),
    "posthog": ("/api/projects/", "/api/environments/"),
}


def dialect_openapi(app: FastAPI, dialect: str) -> dict[str, Any]:
    """The app's OpenAPI document restricted to one dialect's paths and the schemas they use."""
    full = app.openapi()
    prefixes = DIALECT_PREFIXES[dialect]
    paths = {path: item for path, item in full["paths"].items() if path.startswith(prefixes)}
    schemas: dict[str, Any] = full.get("components", {}).get("schemas", {})
    used = _referenced(paths, schemas)
    document: dict[str, Any] = {
        "openapi": full["openapi"],
        "info": {
            "title": f"evalsets: {dialect} dialect",
            "version": full["info"]["version"],
            "description": f"The {dialect} dialect served by evalsets (generated from the app).",
        },
        "paths": paths,
    }
    if used:
        document["components"] = {"schemas": {name: schemas[name] for name in sorted(used)}}
    return document


_REF = "#/components/schemas/"


def prune_components(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with only the component schemas its paths reach (in place, and returned)."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    used = _referenced(document["paths"], schemas)
    document["components"]["schemas"] = {name: schemas[name] for name in sorted(used)}
    return document


def _referenced(root: Any, schemas: dict[str, Any]) -> set[str]:
    """Names of the component schemas reachable from ``root`` through ``$ref``s."""
    found: set[str] = set()
    pending = [root]
    while pending:
        text = json.dumps(pending.pop())
        for chunk in text.split(f'"$ref": "{_REF}')[1:]:
            name = chunk.split('"', 1)[0]
            if name not in found and name in schemas:
                found.add(name)
                pending.append(schemas[name])
    return found
