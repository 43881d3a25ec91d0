"""datapoints without a foreign key to datasets

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("datapoints", schema=None) as batch_op:
        batch_op.drop_constraint("fk_datapoints_dataset_pk_datasets", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("datapoints", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_datapoints_dataset_pk_datasets",
            "datasets",
            ["dataset_pk"],
            ["pk"],
            ondelete="CASCADE",
        )
