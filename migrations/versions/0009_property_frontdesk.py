"""property front desk

Revision ID: 0009_property_frontdesk
Revises: 0008_inquiries_status_id
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_property_frontdesk'
down_revision = '0008_inquiries_status_id'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('property_review_flags',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_review_flags_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_review_flags')),
    sa.UniqueConstraint('tenant_id', 'kind', 'period', name='uq_property_review_flags_period')
    )
    op.create_table('property_daily_reviews',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reviewer_id', sa.String(length=26), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('arrangements', sa.Text(), nullable=False),
    sa.Column('important_items', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'reviewer_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_daily_reviews_tenant_id_reviewer_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_daily_reviews_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_daily_reviews')),
    sa.UniqueConstraint('tenant_id', 'day', name='uq_property_daily_reviews_day')
    )
    op.create_table('property_external_events',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('support_needed', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.String(length=26), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('support_arranged', sa.Text(), nullable=True),
    sa.Column('support_by', sa.String(length=26), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'approved_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_external_events_tenant_id_approved_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_external_events_tenant_id_created_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'support_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_external_events_tenant_id_support_by_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_external_events_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_external_events'))
    )
    with op.batch_alter_table('property_external_events', schema=None) as batch_op:
        batch_op.create_index('ix_property_external_events_starts', ['tenant_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_property_external_events_status', ['tenant_id', 'status', 'id'], unique=False)

    op.create_table('property_info_entries',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=True),
    sa.Column('tags', sa.String(length=300), nullable=False),
    sa.Column('updated_by', sa.String(length=26), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'updated_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_info_entries_tenant_id_updated_by_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_info_entries_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_info_entries'))
    )
    with op.batch_alter_table('property_info_entries', schema=None) as batch_op:
        batch_op.create_index('ix_property_info_entries_category', ['tenant_id', 'category', 'id'], unique=False)

    op.create_table('property_weekly_reviews',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('reviewer_id', sa.String(length=26), nullable=True),
    sa.Column('effect', sa.Text(), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('important_items', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'reviewer_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_weekly_reviews_tenant_id_reviewer_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_weekly_reviews_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_weekly_reviews'))
    )
    with op.batch_alter_table('property_weekly_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_property_weekly_reviews_week', ['tenant_id', 'week_start'], unique=False)

    op.create_table('property_approvals',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('inquiry_id', sa.String(length=26), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=26), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=26), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'decided_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_approvals_tenant_id_decided_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'inquiry_id'], ['inquiries.tenant_id', 'inquiries.id'], name=op.f('fk_property_approvals_tenant_id_inquiry_id_inquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'requested_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_approvals_tenant_id_requested_by_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_approvals_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_approvals'))
    )
    with op.batch_alter_table('property_approvals', schema=None) as batch_op:
        batch_op.create_index('ix_property_approvals_inquiry', ['tenant_id', 'inquiry_id', 'id'], unique=False)
        batch_op.create_index('ix_property_approvals_status', ['tenant_id', 'status', 'id'], unique=False)

    op.create_table('property_coordinations',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('inquiry_id', sa.String(length=26), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('input', sa.Text(), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=26), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'author_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_coordinations_tenant_id_author_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'decided_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_coordinations_tenant_id_decided_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'inquiry_id'], ['inquiries.tenant_id', 'inquiries.id'], name=op.f('fk_property_coordinations_tenant_id_inquiry_id_inquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_coordinations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_coordinations'))
    )
    with op.batch_alter_table('property_coordinations', schema=None) as batch_op:
        batch_op.create_index('ix_property_coordinations_inquiry', ['tenant_id', 'inquiry_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('property_coordinations', schema=None) as batch_op:
        batch_op.drop_index('ix_property_coordinations_inquiry')

    op.drop_table('property_coordinations')
    with op.batch_alter_table('property_approvals', schema=None) as batch_op:
        batch_op.drop_index('ix_property_approvals_status')
        batch_op.drop_index('ix_property_approvals_inquiry')

    op.drop_table('property_approvals')
    with op.batch_alter_table('property_weekly_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_property_weekly_reviews_week')

    op.drop_table('property_weekly_reviews')
    with op.batch_alter_table('property_info_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_property_info_entries_category')

    op.drop_table('property_info_entries')
    with op.batch_alter_table('property_external_events', schema=None) as batch_op:
        batch_op.drop_index('ix_property_external_events_status')
        batch_op.drop_index('ix_property_external_events_starts')

    op.drop_table('property_external_events')
    op.drop_table('property_daily_reviews')
    op.drop_table('property_review_flags')
