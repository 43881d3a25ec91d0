"""``evalsets push`` and ``pull`` between two served evalsets (the second one on SQLite)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from evalsets.sdk import Client
from tests.backends import Templates
from tests.cli.helpers import Cli
from tests.clients import Served, serve
from tests.sdk.served import unique

_OTHER: dict[str, Served] = {}


@pytest.fixture(scope="module")
def other(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Served:
    """A second server (SQLite), started once and stopped when the session ends."""
    if "other" not in _OTHER:
        stack = ExitStack()
        request.config.add_cleanup(stack.close)
        folder = tmp_path_factory.mktemp("other")
        url = stack.enter_context(templates.database("sqlite", folder))
        _OTHER["other"] = stack.enter_context(serve(url, folder))
    return _OTHER["other"]


def _content(client: Client, path: str, version: str) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in r.items() if k != "id"}
        for r in client.export_records(path, version=version)
    ]


def _history(client: Client, path: str) -> list[tuple[str | None, str | None, int]]:
    return [(v.commit_message, v.name, v.datapoint_count) for v in reversed(client.versions(path))]


def test_push_and_pull_copy_only_missing_versions(
    cli: Cli, server: Served, other: Served, tmp_path: Path
) -> None:
    path = unique("sync")
    with Client(server.url, server.admin_key) as here, Client(other.url, other.admin_key) as there:
        here.create_dataset(path, description="synced")
        here.write_version(path, [{"inputs": {"i": i}} for i in range(20)], message="one")
        v2 = here.write_version(
            path, [{"inputs": {"i": i}} for i in range(5, 30)], message="two", name="second"
        )
        here.deploy(path, "production", v2.id)
        here.add(path, [{"inputs": {"draft": True}}])
        cli("login", "--url", other.url, "--key", other.admin_key, "--profile", "other")
        pushed = cli("push", path, "other").stdout
        assert "2 versions pushed, 0 already there, deployed to production" in pushed
        committed = [h for h in _history(here, path) if h[0] is not None]
        assert _history(there, path) == committed
        for mine, theirs in zip(
            reversed(there.versions(path)), reversed(here.versions(path)[1:]), strict=True
        ):
            assert _content(there, path, mine.id) == _content(here, path, theirs.id)
        assert there.dataset(path).deployed == {"production": there.versions(path)[0].id}
        assert there.dataset(path).description == "synced"
        here.commit(path, message="three")
        again = cli("push", path, "other").stdout
        assert "1 versions pushed, 2 already there" in again
        copy = path + "-back"
        pulled = cli("pull", path, other.url, "--remote-key", other.admin_key, "--as", copy)
        assert "3 versions pulled" in pulled.stdout
        assert _history(here, copy) == _history(here, path)
        assert "0 versions pulled, 3 already there" in cli("pull", path, "other").stdout
