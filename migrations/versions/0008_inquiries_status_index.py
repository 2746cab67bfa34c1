"""inquiries: an index for the status filter in list order

Revision ID: 0008_inquiries_status_id
Revises: 0007_merge
Create Date: 2026-11-25

The benchmark at a million inquiries showed SQLite answering ?status=open by walking the
tenant's rows backwards along the primary key; (tenant_id, status, id) serves the filter
and the newest-first order together.
"""

from alembic import op

revision = "0008_inquiries_status_id"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_inquiries_status_id", "inquiries", ["tenant_id", "status", "id"])


def downgrade():
    op.drop_index("ix_inquiries_status_id", table_name="inquiries")
