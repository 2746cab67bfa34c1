"""property repair desk

Revision ID: 0010_property_repair
Revises: 0008_inquiries_status_id
Create Date: 2026-11-25 03:13:57.644357

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_property_repair'
down_revision = '0008_inquiries_status_id'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('property_projects',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('manager_id', sa.String(length=26), nullable=True),
    sa.Column('min_staff', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'manager_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_projects_tenant_id_manager_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_projects_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_projects')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_property_projects_tenant_id_name'))
    )
    with op.batch_alter_table('property_projects', schema=None) as batch_op:
        batch_op.create_index('ix_property_projects_manager', ['tenant_id', 'manager_id'], unique=False)

    op.create_table('property_daily_statuses',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('project_id', sa.String(length=26), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('water_use', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('repairs', sa.Text(), nullable=True),
    sa.Column('stock', sa.Text(), nullable=True),
    sa.Column('complaints', sa.Text(), nullable=True),
    sa.Column('machines', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['property_projects.tenant_id', 'property_projects.id'], name=op.f('fk_property_daily_statuses_tenant_id_project_id_property_projects')),
    sa.ForeignKeyConstraint(['tenant_id', 'recorded_by_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_daily_statuses_tenant_id_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_daily_statuses_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_daily_statuses')),
    sa.UniqueConstraint('tenant_id', 'project_id', 'day', name=op.f('uq_property_daily_statuses_tenant_id_project_id_day'))
    )
    op.create_table('property_project_staff',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('project_id', sa.String(length=26), nullable=False),
    sa.Column('user_id', sa.String(length=26), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['property_projects.tenant_id', 'property_projects.id'], name=op.f('fk_property_project_staff_tenant_id_project_id_property_projects')),
    sa.ForeignKeyConstraint(['tenant_id', 'user_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_project_staff_tenant_id_user_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_project_staff_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_project_staff')),
    sa.UniqueConstraint('tenant_id', 'project_id', 'user_id', name=op.f('uq_property_project_staff_tenant_id_project_id_user_id'))
    )
    with op.batch_alter_table('property_project_staff', schema=None) as batch_op:
        batch_op.create_index('ix_property_project_staff_user', ['tenant_id', 'user_id'], unique=False)

    op.create_table('property_repair_flags',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('project_id', sa.String(length=26), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('details', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['property_projects.tenant_id', 'property_projects.id'], name=op.f('fk_property_repair_flags_tenant_id_project_id_property_projects')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_repair_flags_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_repair_flags')),
    sa.UniqueConstraint('tenant_id', 'kind', 'project_id', 'key', name=op.f('uq_property_repair_flags_tenant_id_kind_project_id_key'))
    )
    with op.batch_alter_table('property_repair_flags', schema=None) as batch_op:
        batch_op.create_index('ix_property_repair_flags_project', ['tenant_id', 'project_id', 'id'], unique=False)

    op.create_table('property_rounds_logs',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('project_id', sa.String(length=26), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meter_reading', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('patrol_done', sa.Boolean(), nullable=False),
    sa.Column('water_temperature', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('logged_by_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'logged_by_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_rounds_logs_tenant_id_logged_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['property_projects.tenant_id', 'property_projects.id'], name=op.f('fk_property_rounds_logs_tenant_id_project_id_property_projects')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_rounds_logs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_rounds_logs')),
    sa.UniqueConstraint('tenant_id', 'project_id', 'day', name=op.f('uq_property_rounds_logs_tenant_id_project_id_day'))
    )
    op.create_table('property_work_orders',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('project_id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reporter_name', sa.String(length=100), nullable=True),
    sa.Column('reporter_phone', sa.String(length=40), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('location_key', sa.String(length=200), nullable=False),
    sa.Column('fault', sa.Text(), nullable=False),
    sa.Column('inquiry_id', sa.String(length=26), nullable=True),
    sa.Column('created_by_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_chased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('chase_count', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fix_note', sa.Text(), nullable=True),
    sa.Column('fixed_by_id', sa.String(length=26), nullable=True),
    sa.Column('fixed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result_note', sa.Text(), nullable=True),
    sa.Column('result_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmation_note', sa.Text(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('repeat', sa.Boolean(), nullable=False),
    sa.Column('repeat_of_id', sa.String(length=26), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_work_orders_tenant_id_created_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'fixed_by_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_property_work_orders_tenant_id_fixed_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['property_projects.tenant_id', 'property_projects.id'], name=op.f('fk_property_work_orders_tenant_id_project_id_property_projects')),
    sa.ForeignKeyConstraint(['tenant_id', 'repeat_of_id'], ['property_work_orders.tenant_id', 'property_work_orders.id'], name=op.f('fk_property_work_orders_tenant_id_repeat_of_id_property_work_orders')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_property_work_orders_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_property_work_orders'))
    )
    with op.batch_alter_table('property_work_orders', schema=None) as batch_op:
        batch_op.create_index('ix_property_work_orders_location', ['tenant_id', 'project_id', 'location_key', 'created_at'], unique=False)
        batch_op.create_index('ix_property_work_orders_phone', ['tenant_id', 'reporter_phone', 'created_at'], unique=False)
        batch_op.create_index('ix_property_work_orders_project', ['tenant_id', 'project_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_property_work_orders_repeat', ['tenant_id', 'repeat', 'id'], unique=False)
        batch_op.create_index('ix_property_work_orders_status', ['tenant_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('ix_property_work_orders_week', ['tenant_id', 'project_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('property_work_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_property_work_orders_week')
        batch_op.drop_index('ix_property_work_orders_status')
        batch_op.drop_index('ix_property_work_orders_repeat')
        batch_op.drop_index('ix_property_work_orders_project')
        batch_op.drop_index('ix_property_work_orders_phone')
        batch_op.drop_index('ix_property_work_orders_location')

    op.drop_table('property_work_orders')
    op.drop_table('property_rounds_logs')
    with op.batch_alter_table('property_repair_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_property_repair_flags_project')

    op.drop_table('property_repair_flags')
    with op.batch_alter_table('property_project_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_property_project_staff_user')

    op.drop_table('property_project_staff')
    op.drop_table('property_daily_statuses')
    with op.batch_alter_table('property_projects', schema=None) as batch_op:
        batch_op.drop_index('ix_property_projects_manager')

    op.drop_table('property_projects')
