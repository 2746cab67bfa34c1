"""notes plugin: the notes_notes table

Revision ID: n0001_notes
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "n0001_notes"
down_revision = None
branch_labels = ("notes",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "notes_notes",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.String(length=26), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "author_id"], ["users.tenant_id", "users.id"],
                                name=op.f("fk_notes_notes_tenant_id_users")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_notes_notes_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notes_notes")),
    )


def downgrade():
    op.drop_table("notes_notes")
