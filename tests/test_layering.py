"""Imports go one way: core, store and formats never import HTTP; the SDK never the server."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "evalsets"
FORBIDDEN = ("fastapi", "starlette", "evalsets.http", "uvicorn", "httpx")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("package", ["core", "store", "formats"])
def test_lower_layers_do_not_import_http(package: str) -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offenders == []


def test_store_does_not_import_the_engine() -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / "store").rglob("*.py"))
        for name in _imports(path)
        if name.startswith("evalsets.core.")
        and name.split(".")[2] not in ("model", "errors", "content", "ids", "buckets", "changes")
    ]
    assert offenders == []


def test_sdk_does_not_import_the_server() -> None:
    server = ("fastapi", "starlette", "uvicorn", "evalsets.http", "evalsets.store")
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / "sdk").rglob("*.py"))
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in server)
        or name == "evalsets.core.engine"
    ]
    assert offenders == []
