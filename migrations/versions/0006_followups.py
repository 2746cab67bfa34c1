"""surveys and follow-ups

Revision ID: 0006_followups
Revises: 0002_notifications
Create Date: 2026-11-25 02:12:30.040512

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_followups'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_ups',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=26), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('assignee_id', sa.String(length=26), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.String(length=26), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_follow_ups_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('tenant_id', 'object_type', 'object_id', name=op.f('uq_follow_ups_tenant_id_object_type_object_id'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_due', ['tenant_id', 'done_at', 'due_at'], unique=False)

    op.create_table('surveys',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=26), nullable=False),
    sa.Column('respondent', sa.String(length=20), nullable=False),
    sa.Column('declined', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('experience', sa.Text(), nullable=False),
    sa.Column('gains', sa.Text(), nullable=False),
    sa.Column('suggestions', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=26), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_surveys_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_surveys'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index('ix_surveys_object', ['tenant_id', 'object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_surveys_recorded', ['tenant_id', 'recorded_at'], unique=False)



def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_surveys_recorded')
        batch_op.drop_index('ix_surveys_object')

    op.drop_table('surveys')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_due')

    op.drop_table('follow_ups')
