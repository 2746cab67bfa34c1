"""merge the capability branches: inquiries, complaints, records, follow-ups

Revision ID: 0007_merge
Revises: 0003_inquiries, 0004_complaints, 0005_records, 0006_followups
Create Date: 2026-11-25

The four capabilities were built side by side on 0002_notifications; this revision joins
them so that `consultdesk db upgrade` has one head again.
"""

revision = "0007_merge"
down_revision = ("0003_inquiries", "0004_complaints", "0005_records", "0006_followups")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
