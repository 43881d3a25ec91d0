"""Shared fixtures: every store test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evalsets.core.engine import Engine
from evalsets.store.store import Store
from tests.backends import Templates
from tests.clients import Served, serve

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("templates"))
    yield found
    found.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    marker = request.node.get_closest_marker("postgres_only")
    if marker is not None and value != "postgresql":
        pytest.skip("PostgreSQL only")
    return value


@pytest.fixture
def database_url(templates: Templates, backend: str, tmp_path: Path) -> Iterator[str]:
    with templates.database(backend, tmp_path) as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    found = Store(database_url)
    yield found
    found.close()


@pytest.fixture
def engine(store: Store) -> Engine:
    found = Engine(store)
    found.admin.bootstrap(None)
    return found


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One ``evalsets serve`` per backend, shared by the tests of a module."""
    data_dir = tmp_path_factory.mktemp("served")
    with templates.database(request.param, data_dir) as url, serve(url, data_dir) as server:
        yield server
