"""``evalsets projects`` and ``evalsets keys`` on a local store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evalsets.cli.main import app
from evalsets.core.engine import Engine
from evalsets.store.store import Store


def test_projects_and_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALSETS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EVALSETS_DATABASE_URL", raising=False)
    monkeypatch.delenv("EVALSETS_ADMIN_KEY", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    created = runner.invoke(app, ["projects", "create", "team-b"])
    assert created.exit_code == 0, created.output
    project_id = int(created.output.split()[0])
    assert project_id > 1
    assert "team-b" in runner.invoke(app, ["projects", "list"]).output
    assert runner.invoke(app, ["projects", "create", "team-b"]).exit_code == 1
    made = runner.invoke(
        app, ["keys", "create", "ci", "-p", str(project_id), "-s", "datasets:read"]
    )
    assert made.exit_code == 0, made.output
    key_id, secret = made.output.split()[0], made.output.strip().splitlines()[-1]
    store = Store(f"sqlite:///{tmp_path / 'evalsets.db'}")
    try:
        found = Engine(store).admin.authenticate(secret)
        assert found is not None and found.project_id == project_id
        assert found.scopes == ("datasets:read",)
        listed = runner.invoke(app, ["keys", "list", "-p", str(project_id)])
        assert key_id in listed.output and secret not in listed.output
        assert runner.invoke(app, ["keys", "revoke", key_id, "-p", str(project_id)]).exit_code == 0
        assert Engine(store).admin.authenticate(secret) is None
    finally:
        store.close()
    bad_scope = runner.invoke(app, ["keys", "create", "x", "-s", "everything"])
    assert bad_scope.exit_code == 1 and "scopes" in bad_scope.output


def test_admin_key_from_environment_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evalsets.http.server import prepare
    from evalsets.settings import Settings

    settings = Settings(data_dir=tmp_path, admin_key="es_fixed_secret_for_automation")
    for _ in range(2):
        store = prepare(settings)
        keys = Engine(store).admin.list_keys(1)
        store.close()
    assert [k.name for k in keys] == ["bootstrap"]
    assert Engine(Store(f"sqlite:///{tmp_path / 'evalsets.db'}")).admin.authenticate(
        "es_fixed_secret_for_automation"
    )


def test_first_start_prints_an_admin_key_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from evalsets.http.server import prepare
    from evalsets.settings import Settings

    prepare(Settings(data_dir=tmp_path)).close()
    first = capsys.readouterr().err
    prepare(Settings(data_dir=tmp_path)).close()
    assert "es_" in first and "es_" not in capsys.readouterr().err
