"""Migrations: empty → head on both backends, no drift from the models, down and up again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from evalsets.store import migrate
from evalsets.store.database import normalize_url
from evalsets.store.schema import metadata
from tests.backends import create_pg_database, drop_pg_database


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"evalsets_mig_{uuid.uuid4().hex[:12]}"
    url = create_pg_database(name)
    try:
        yield url
    finally:
        drop_pg_database(name)


def _diff(url: str) -> list[object]:
    engine = create_engine(normalize_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(normalize_url(url), poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_empty_to_head_matches_models(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    assert migrate.current_revision(empty_url) == _head()
    assert _diff(empty_url) == []


def test_down_and_up_step_by_step(empty_url: str) -> None:
    revisions = _linear_history()
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) == set()
    for revision in revisions:
        migrate.upgrade(empty_url, revision)
        assert migrate.current_revision(empty_url) == revision
    for previous in [*reversed(revisions[:-1]), "base"]:
        migrate.downgrade(empty_url, previous)
    assert _tables(empty_url) == set()
    migrate.upgrade(empty_url)
    assert _diff(empty_url) == []


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(migrate.MIGRATIONS))


def _head() -> str:
    heads = _script().get_heads()
    assert len(heads) == 1, f"migrations must have one head, not {heads}"
    return heads[0]


def _linear_history() -> list[str]:
    """Revisions oldest first; fails if the history branches."""
    script = _script()
    ordered = [rev.revision for rev in script.walk_revisions()]
    for rev in script.walk_revisions():
        assert rev.down_revision is None or isinstance(rev.down_revision, str), "no merges"
    return list(reversed(ordered))


def test_cli_db_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from evalsets.cli.main import app

    monkeypatch.setenv("EVALSETS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("EVALSETS_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _head() in result.output
    assert (tmp_path / "data" / "evalsets.db").exists()
