"""Projects, API keys and environments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from evalsets.core.errors import NameTaken, NotFound
from evalsets.core.ids import ENVIRONMENT, new_id
from evalsets.core.model import ApiKey, Environment, Project
from evalsets.store import rows
from evalsets.store.schema import api_keys, environments, projects

BOOTSTRAP_LOCK = 827364502
"""The PostgreSQL advisory lock of the first-start bootstrap (the migrations hold 827364501)."""


def lock_bootstrap(conn: Connection) -> None:
    """Hold the bootstrap lock until this transaction ends (PostgreSQL; SQLite writers are
    serialised already): servers starting at once on one database bootstrap one by one."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({BOOTSTRAP_LOCK})")


def create_project(
    conn: Connection, name: str, now: datetime, project_id: int | None = None
) -> Project:
    """A new project with its default ``production`` environment."""
    values: dict[str, object] = {"name": name, "created_at": now}
    if project_id is not None:
        values["id"] = project_id
    try:
        with conn.begin_nested():
            new_id_ = conn.execute(
                insert(projects).values(**values).returning(projects.c.id)
            ).scalar_one()
    except IntegrityError:
        raise NameTaken(f"a project named {name!r} already exists") from None
    create_environment(conn, new_id_, "production", is_default=True, now=now)
    return Project(id=new_id_, name=name, created_at=now)


def get_project(conn: Connection, project_id: int) -> Project:
    row = conn.execute(select(projects).where(projects.c.id == project_id)).first()
    if row is None:
        raise NotFound("project", project_id)
    return rows.project(row)


def find_project(conn: Connection, project_id: int) -> Project | None:
    row = conn.execute(select(projects).where(projects.c.id == project_id)).first()
    return None if row is None else rows.project(row)


def list_projects(conn: Connection) -> list[Project]:
    return [rows.project(r) for r in conn.execute(select(projects).order_by(projects.c.id))]


def sync_project_sequence(conn: Connection) -> None:
    """After inserting an explicit id on PostgreSQL, move the serial past it."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('projects', 'id'),"
            " (SELECT COALESCE(MAX(id), 1) FROM projects))"
        )


def insert_key(
    conn: Connection,
    *,
    project_id: int,
    name: str,
    prefix: str,
    secret_hash: str,
    scopes: list[str],
    now: datetime,
    key_id: str,
) -> ApiKey:
    conn.execute(
        insert(api_keys).values(
            id=key_id,
            project_id=project_id,
            name=name,
            prefix=prefix,
            secret_hash=secret_hash,
            scopes=scopes,
            created_at=now,
        )
    )
    return ApiKey(
        id=key_id,
        project_id=project_id,
        name=name,
        prefix=prefix,
        scopes=tuple(scopes),
        created_at=now,
    )


_KEY_BY_HASH = select(api_keys).where(api_keys.c.secret_hash == bindparam("secret_hash"))


def key_by_hash(conn: Connection, secret_hash: str) -> ApiKey | None:
    row = conn.execute(_KEY_BY_HASH, {"secret_hash": secret_hash}).first()
    return None if row is None else rows.api_key(row)


def list_keys(conn: Connection, project_id: int) -> list[ApiKey]:
    query = (
        select(api_keys)
        .where(api_keys.c.project_id == project_id)
        .order_by(api_keys.c.created_at, api_keys.c.id)
    )
    return [rows.api_key(r) for r in conn.execute(query)]


def revoke_key(conn: Connection, project_id: int, key_id: str, now: datetime) -> ApiKey:
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.project_id == project_id, api_keys.c.id == key_id)
        .values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFound("key", key_id)
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).one()
    return rows.api_key(row)


def create_environment(
    conn: Connection, project_id: int, name: str, *, is_default: bool, now: datetime
) -> Environment:
    env_id = new_id(ENVIRONMENT)
    try:
        with conn.begin_nested():
            if is_default:
                conn.execute(
                    update(environments)
                    .where(environments.c.project_id == project_id)
                    .values(is_default=False)
                )
            conn.execute(
                insert(environments).values(
                    id=env_id,
                    project_id=project_id,
                    name=name,
                    is_default=is_default,
                    created_at=now,
                )
            )
    except IntegrityError:
        raise NameTaken(f"an environment named {name!r} already exists") from None
    return Environment(
        id=env_id, project_id=project_id, name=name, is_default=is_default, created_at=now
    )


def list_environments(conn: Connection, project_id: int) -> list[Environment]:
    query = (
        select(environments)
        .where(environments.c.project_id == project_id)
        .order_by(environments.c.created_at, environments.c.id)
    )
    return [rows.environment(r) for r in conn.execute(query)]


def find_environment(conn: Connection, project_id: int, name_or_id: str) -> Environment:
    """An environment of the project by name or by ``env_`` id."""
    query = select(environments).where(
        environments.c.project_id == project_id,
        (environments.c.name == name_or_id) | (environments.c.id == name_or_id),
    )
    row = conn.execute(query).first()
    if row is None:
        raise NotFound("environment", name_or_id)
    return rows.environment(row)


def default_environment(conn: Connection, project_id: int) -> Environment | None:
    query = select(environments).where(
        environments.c.project_id == project_id, environments.c.is_default.is_(True)
    )
    row = conn.execute(query).first()
    return None if row is None else rows.environment(row)
