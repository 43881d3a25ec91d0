"""index only closed revisions on to_seq

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_CLOSED = sa.text(f"to_seq < {2**62}")


def upgrade() -> None:
    with op.batch_alter_table("datapoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_datapoints_dataset_pk_to_seq"))
        batch_op.create_index(
            "ix_datapoints_closed",
            ["dataset_pk", "to_seq"],
            unique=False,
            sqlite_where=_CLOSED,
            postgresql_where=_CLOSED,
        )


def downgrade() -> None:
    with op.batch_alter_table("datapoints", schema=None) as batch_op:
        batch_op.drop_index("ix_datapoints_closed")
        batch_op.create_index(
            batch_op.f("ix_datapoints_dataset_pk_to_seq"), ["dataset_pk", "to_seq"], unique=False
        )
