"""suggestions and appeals

Revision ID: 0004_complaints
Revises: 0002_notifications
Create Date: 2026-11-25 02:19:36.218436

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_complaints'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaints',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('demand', sa.Text(), nullable=True),
    sa.Column('about', sa.String(length=200), nullable=True),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('subject_key', sa.String(length=200), nullable=True),
    sa.Column('handler_id', sa.String(length=26), nullable=True),
    sa.Column('lead_id', sa.String(length=26), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('dereliction', sa.Boolean(), nullable=False),
    sa.Column('findings_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_outcome', sa.String(length=20), nullable=True),
    sa.Column('approved_by_id', sa.String(length=26), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approval_note', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('on_the_spot', sa.Boolean(), nullable=True),
    sa.Column('spot_notes', sa.JSON(), nullable=True),
    sa.Column('implemented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sanction', sa.Text(), nullable=True),
    sa.Column('corrective_action', sa.Text(), nullable=True),
    sa.Column('corrective_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result_text', sa.Text(), nullable=True),
    sa.Column('result_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hq_escalation', sa.Text(), nullable=True),
    sa.Column('hq_escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hq_outcome', sa.Text(), nullable=True),
    sa.Column('follow_up_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_notes', sa.Text(), nullable=True),
    sa.Column('satisfaction', sa.String(length=20), nullable=True),
    sa.Column('repeat_of_id', sa.String(length=26), nullable=True),
    sa.Column('flagged_repeat', sa.Boolean(), nullable=False),
    sa.Column('overdue_flagged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('corrective_flagged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'approved_by_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_complaints_tenant_id_approved_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_complaints_tenant_id_created_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'handler_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_complaints_tenant_id_handler_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'lead_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_complaints_tenant_id_lead_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'repeat_of_id'], ['complaints.tenant_id', 'complaints.id'], name=op.f('fk_complaints_tenant_id_repeat_of_id_complaints')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaints_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_complaints_tenant_id_number'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_corrective_due', ['tenant_id', 'corrective_due_at'], unique=False)
        batch_op.create_index('ix_complaints_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_complaints_due', ['tenant_id', 'due_at'], unique=False)
        batch_op.create_index('ix_complaints_follow_up_due', ['tenant_id', 'follow_up_due_at'], unique=False)
        batch_op.create_index('ix_complaints_kind', ['tenant_id', 'kind', 'status', 'id'], unique=False)
        batch_op.create_index('ix_complaints_phone', ['tenant_id', 'phone', 'category', 'created_at'], unique=False)
        batch_op.create_index('ix_complaints_repeat', ['tenant_id', 'flagged_repeat', 'id'], unique=False)
        batch_op.create_index('ix_complaints_status', ['tenant_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_complaints_subject', ['tenant_id', 'subject_key', 'created_at'], unique=False)

    op.create_table('complaint_steps',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('complaint_id', sa.String(length=26), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.String(length=26), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'actor_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_complaint_steps_tenant_id_actor_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'complaint_id'], ['complaints.tenant_id', 'complaints.id'], name=op.f('fk_complaint_steps_tenant_id_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_complaint_steps_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_complaint_steps'))
    )
    with op.batch_alter_table('complaint_steps', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_steps_complaint', ['tenant_id', 'complaint_id', 'at'], unique=False)



def downgrade():
    with op.batch_alter_table('complaint_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_steps_complaint')

    op.drop_table('complaint_steps')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_subject')
        batch_op.drop_index('ix_complaints_status')
        batch_op.drop_index('ix_complaints_repeat')
        batch_op.drop_index('ix_complaints_phone')
        batch_op.drop_index('ix_complaints_kind')
        batch_op.drop_index('ix_complaints_follow_up_due')
        batch_op.drop_index('ix_complaints_due')
        batch_op.drop_index('ix_complaints_created')
        batch_op.drop_index('ix_complaints_corrective_due')

    op.drop_table('complaints')
