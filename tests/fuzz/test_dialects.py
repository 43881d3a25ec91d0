"""Property-based API tests: schemathesis drives every dialect from its OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalsets.core.engine import Engine
from evalsets.http.app import create_app
from evalsets.http.openapi_dialects import DIALECT_PREFIXES, dialect_openapi
from evalsets.settings import Settings
from evalsets.store.store import Store
from tests.fuzz.harness import DIALECTS, DOCS, fuzz, target_cases


def test_dialect_documents_are_current(tmp_path: Path) -> None:
    """docs/openapi/<dialect>.json match the app; regenerate with scripts/openapi-dialects."""
    app = create_app(Settings(data_dir=tmp_path), Store(f"sqlite:///{tmp_path / 'x.db'}"))
    assert set(DIALECT_PREFIXES) == set(DIALECTS)
    for dialect in DIALECTS:
        committed = json.loads((DOCS / f"{dialect}.json").read_text())
        current = json.loads(json.dumps(dialect_openapi(app, dialect)))
        assert committed == current, f"{dialect} changed: run scripts/openapi-dialects"
        assert committed["paths"], f"{dialect} documents no path"


@pytest.mark.parametrize("dialect", [*DIALECTS, "native"])
def test_generated_requests_never_fail_the_server(
    engine: Engine, tmp_path: Path, dialect: str
) -> None:
    """No 5xx, and every documented response conforms to the dialect's document."""
    app = create_app(Settings(data_dir=tmp_path), engine.store)
    cases = target_cases()
    report = fuzz(app, engine, dialect, cases)
    statuses = dict(sorted(report.statuses.items()))
    print(f"{dialect} ({engine.store.dialect}): {report.total} cases, statuses {statuses}")
    assert report.failures == [], "\n\n".join(report.failures)
    assert report.total >= min(cases, 4 * len(report.cases)), report.cases
