"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import evalsets.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_name")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", evalsets.store.types.JsonText(), nullable=False),
        sa.Column("created_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_api_keys_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_keys_secret_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_project_id"), ["project_id"], unique=False)

    op.create_table(
        "datasets",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=100), nullable=True),
        sa.Column("readme", sa.Text(), nullable=True),
        sa.Column("tags", evalsets.store.types.JsonText(), nullable=False),
        sa.Column("attributes", evalsets.store.types.JsonText(), nullable=False),
        sa.Column("json_schema", evalsets.store.types.JsonText(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), nullable=False),
        sa.Column("head_version_id", sa.String(length=40), nullable=True),
        sa.Column("next_ordinal", sa.BigInteger(), nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_datasets_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_datasets")),
        sa.UniqueConstraint("id", name=op.f("uq_datasets_id")),
    )
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_datasets_project_id_created_at"),
            ["project_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "uq_datasets_live_path",
            ["project_id", "path"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "environments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_environments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_environments")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_environments_project_id_name")),
    )
    op.create_table(
        "changes",
        sa.Column("dataset_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("version_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_changes_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_pk", "seq", name=op.f("pk_changes")),
    )
    op.create_table(
        "datapoints",
        sa.Column(
            "rid",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("dataset_pk", sa.Integer(), nullable=False),
        sa.Column("uid", sa.LargeBinary(length=16), nullable=False),
        sa.Column("ordinal", sa.BigInteger(), nullable=False),
        sa.Column("from_seq", sa.BigInteger(), nullable=False),
        sa.Column("to_seq", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_datapoints_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rid", name=op.f("pk_datapoints")),
    )
    with op.batch_alter_table("datapoints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_datapoints_dataset_pk_content_hash"),
            ["dataset_pk", "content_hash"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_datapoints_dataset_pk_from_seq"),
            ["dataset_pk", "from_seq"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_datapoints_dataset_pk_ordinal_from_seq"),
            ["dataset_pk", "ordinal", "from_seq"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_datapoints_dataset_pk_to_seq"), ["dataset_pk", "to_seq"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_datapoints_dataset_pk_uid_from_seq"),
            ["dataset_pk", "uid", "from_seq"],
            unique=False,
        )

    op.create_table(
        "versions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("dataset_pk", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("parent_id", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("commit_message", sa.Text(), nullable=True),
        sa.Column("attributes", evalsets.store.types.JsonText(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("datapoint_count", sa.BigInteger(), nullable=False),
        sa.Column("buckets", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("committed_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_versions_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("dataset_pk", "number", name=op.f("uq_versions_dataset_pk_number")),
    )
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.create_index(
            "uq_versions_live_name",
            ["dataset_pk", "name"],
            unique=True,
            sqlite_where=sa.text("name IS NOT NULL AND status <> 'deleted'"),
            postgresql_where=sa.text("name IS NOT NULL AND status <> 'deleted'"),
        )

    op.create_table(
        "deployments",
        sa.Column("dataset_pk", sa.Integer(), nullable=False),
        sa.Column("environment_id", sa.String(length=40), nullable=False),
        sa.Column("version_id", sa.String(length=40), nullable=False),
        sa.Column("deployed_at", evalsets.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_deployments_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["environment_id"],
            ["environments.id"],
            name=op.f("fk_deployments_environment_id_environments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f("fk_deployments_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_pk", "environment_id", name=op.f("pk_deployments")),
    )


def downgrade() -> None:
    op.drop_table("deployments")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_versions_live_name",
            sqlite_where=sa.text("name IS NOT NULL AND status <> 'deleted'"),
            postgresql_where=sa.text("name IS NOT NULL AND status <> 'deleted'"),
        )

    op.drop_table("versions")
    with op.batch_alter_table("datapoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_datapoints_dataset_pk_uid_from_seq"))
        batch_op.drop_index(batch_op.f("ix_datapoints_dataset_pk_to_seq"))
        batch_op.drop_index(batch_op.f("ix_datapoints_dataset_pk_ordinal_from_seq"))
        batch_op.drop_index(batch_op.f("ix_datapoints_dataset_pk_from_seq"))
        batch_op.drop_index(batch_op.f("ix_datapoints_dataset_pk_content_hash"))

    op.drop_table("datapoints")
    op.drop_table("changes")
    op.drop_table("environments")
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_datasets_live_path",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_datasets_project_id_created_at"))

    op.drop_table("datasets")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_project_id"))

    op.drop_table("api_keys")
    op.drop_table("projects")
