"""One served evalsets per backend for the SDK and CLI tests, started on first use.

Both test packages use the same two servers (started once per session, stopped when the
session ends); each test works on datasets of its own (see :func:`unique`).
"""

from __future__ import annotations

import uuid
from contextlib import ExitStack

import pytest

from tests.backends import Templates
from tests.clients import Served, serve
from tests.conftest import BACKENDS

_RUNNING: dict[str, Served] = {}


@pytest.fixture(scope="package", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Served:
    """A running ``evalsets serve`` on a database of one backend."""
    backend: str = request.param
    if backend not in _RUNNING:
        stack = ExitStack()
        request.config.add_cleanup(stack.close)
        folder = tmp_path_factory.mktemp(f"served-{backend}")
        url = stack.enter_context(templates.database(backend, folder))
        _RUNNING[backend] = stack.enter_context(serve(url, folder))
    return _RUNNING[backend]


def unique(prefix: str = "t") -> str:
    """A dataset path no other test uses."""
    return f"{prefix}/{uuid.uuid4().hex[:10]}"
