"""The tables. Migrations under ``migrations/`` must produce exactly this schema (a test checks).

Datapoints are stored as a temporal table (see docs/adr/0001-version-storage.md): each row is one
revision of one datapoint, live on the dataset's change sequence from ``from_seq`` (inclusive) to
``to_seq`` (exclusive). A version is a point ``seq`` on that sequence.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from evalsets.store.types import JsonText, UtcDateTime

OPEN_SEQ = 2**62
"""``to_seq`` of a revision that is still live at the head."""

CLOSED_PREDICATE = f"to_seq < {OPEN_SEQ}"
"""Revisions no longer live at the head: the rows of the partial index on ``to_seq``."""

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

BigId = BigInteger().with_variant(Integer, "sqlite")

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("scopes", JsonText, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Index(None, "project_id"),
)

environments = Table(
    "environments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("project_id", "name"),
)

datasets = Table(
    "datasets",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("name", String(1000), nullable=False),
    Column("description", Text),
    Column("type", String(100)),
    Column("readme", Text),
    Column("tags", JsonText, nullable=False),
    Column("attributes", JsonText, nullable=False),
    Column("json_schema", JsonText),
    Column("active", Boolean, nullable=False),
    Column("head_seq", BigInteger, nullable=False),
    Column("head_version_id", String(40)),
    Column("next_ordinal", BigInteger, nullable=False),
    Column("version_count", Integer, nullable=False),
    Column("created_by", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime),
    Index(
        "uq_datasets_live_path",
        "project_id",
        "path",
        unique=True,
        sqlite_where=text("deleted_at IS NULL"),
        postgresql_where=text("deleted_at IS NULL"),
    ),
    Index(None, "project_id", "created_at"),
)

versions = Table(
    "versions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("dataset_pk", Integer, ForeignKey("datasets.pk", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("parent_id", String(40)),
    Column("status", String(16), nullable=False),
    Column("name", String(200)),
    Column("description", Text),
    Column("commit_message", Text),
    Column("attributes", JsonText, nullable=False),
    Column("author", String(200)),
    Column("datapoint_count", BigInteger, nullable=False),
    Column("buckets", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("committed_at", UtcDateTime),
    UniqueConstraint("dataset_pk", "number"),
    Index(
        "uq_versions_live_name",
        "dataset_pk",
        "name",
        unique=True,
        sqlite_where=text("name IS NOT NULL AND status <> 'deleted'"),
        postgresql_where=text("name IS NOT NULL AND status <> 'deleted'"),
    ),
)

changes = Table(
    "changes",
    metadata,
    Column("dataset_pk", Integer, ForeignKey("datasets.pk", ondelete="CASCADE"), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("author", String(200)),
    Column("version_id", String(40)),
    Column("kind", String(32), nullable=False),
)

datapoints = Table(
    "datapoints",
    metadata,
    Column("rid", BigId, primary_key=True, autoincrement=True),
    # No foreign key: a parent lookup per inserted row is a quarter of PostgreSQL's import
    # cost; datasets are never deleted, and ``evalsets db check`` finds orphans (ADR 0003).
    Column("dataset_pk", Integer, nullable=False),
    Column("uid", LargeBinary(16), nullable=False),
    Column("ordinal", BigInteger, nullable=False),
    Column("from_seq", BigInteger, nullable=False),
    Column("to_seq", BigInteger, nullable=False),
    Column("content_hash", BigInteger, nullable=False),
    Column("content", Text, nullable=False),
    Index(None, "dataset_pk", "ordinal", "from_seq"),
    Index(None, "dataset_pk", "uid", "from_seq"),
    Index(None, "dataset_pk", "content_hash"),
    Index(None, "dataset_pk", "from_seq"),
    # Only closed revisions: an import (all rows open) pays nothing for it. Queries on
    # ``to_seq`` name the predicate ``CLOSED`` literally so both planners can use it.
    Index(
        "ix_datapoints_closed",
        "dataset_pk",
        "to_seq",
        sqlite_where=text(CLOSED_PREDICATE),
        postgresql_where=text(CLOSED_PREDICATE),
    ),
)

deployments = Table(
    "deployments",
    metadata,
    Column("dataset_pk", Integer, ForeignKey("datasets.pk", ondelete="CASCADE"), primary_key=True),
    Column(
        "environment_id",
        String(40),
        ForeignKey("environments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("version_id", String(40), ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
    Column("deployed_at", UtcDateTime, nullable=False),
)


def closed(table: Table = datapoints) -> ColumnElement[bool]:
    """The partial index's predicate on ``table`` (a literal, so the planners can match it)."""
    return table.c.to_seq < literal_column(str(OPEN_SEQ))
