"""CLI tests run against a real server, one per backend for the whole package."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Cli
from tests.clients import Served
from tests.sdk.served import server

__all__ = ["cli", "server"]


@pytest.fixture
def cli(server: Served, tmp_path: Path) -> Cli:
    """``evalsets`` pointed at the served instance with its admin key."""
    return Cli(server, tmp_path)
