"""One served evalsets per backend per test package (started once, shared by its tests)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.backends import Templates
from tests.clients import Served, serve
from tests.conftest import BACKENDS


@pytest.fixture(scope="package", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A running ``evalsets serve`` on a fresh database of one backend."""
    folder = tmp_path_factory.mktemp("served")
    with templates.database(request.param, folder) as url, serve(url, folder) as served:
        yield served


def unique(prefix: str = "t") -> str:
    """A dataset path no other test uses."""
    return f"{prefix}/{uuid.uuid4().hex[:10]}"
