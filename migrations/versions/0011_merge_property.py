"""merge the property plugin's two branches: front desk and repair desk

Revision ID: 0011_merge_property
Revises: 0009_property_frontdesk, 0010_property_repair
Create Date: 2026-11-25
"""

revision = "0011_merge_property"
down_revision = ("0009_property_frontdesk", "0010_property_repair")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
