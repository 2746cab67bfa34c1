"""records, attachments, disclosures, read grants, lending approvals

Revision ID: 0005_records
Revises: 0002_notifications
Create Date: 2026-11-25 02:17:52.420768

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_records'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('records',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_name', sa.String(length=200), nullable=False),
    sa.Column('subject_phone', sa.String(length=40), nullable=False),
    sa.Column('subject_email', sa.String(length=254), nullable=False),
    sa.Column('subject_id_card', sa.String(length=30), nullable=False),
    sa.Column('subject_address', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('confidentiality', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.String(length=26), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_by', sa.String(length=26), nullable=True),
    sa.Column('consent_recording', sa.Boolean(), nullable=False),
    sa.Column('consent_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_by', sa.String(length=200), nullable=True),
    sa.Column('consent_recorded_by', sa.String(length=26), nullable=True),
    sa.Column('inquiry_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=26), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_records_tenant_id_created_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_records_tenant_id_owner_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_records_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_records'))
    )
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index('ix_records_archived_at', ['tenant_id', 'status', 'archived_at'], unique=False)
        batch_op.create_index('ix_records_confidentiality', ['tenant_id', 'confidentiality', 'id'], unique=False)
        batch_op.create_index('ix_records_inquiry', ['tenant_id', 'inquiry_id'], unique=False)
        batch_op.create_index('ix_records_kind', ['tenant_id', 'kind', 'id'], unique=False)
        batch_op.create_index('ix_records_owner', ['tenant_id', 'owner_id', 'id'], unique=False)
        batch_op.create_index('ix_records_status', ['tenant_id', 'status', 'id'], unique=False)

    op.create_table('record_attachments',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('record_id', sa.String(length=26), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('uploaded_by', sa.String(length=26), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'record_id'], ['records.tenant_id', 'records.id'], name=op.f('fk_record_attachments_tenant_id_record_id_records')),
    sa.ForeignKeyConstraint(['tenant_id', 'uploaded_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_record_attachments_tenant_id_uploaded_by_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_record_attachments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_record_attachments'))
    )
    with op.batch_alter_table('record_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_record_attachments_record', ['tenant_id', 'record_id', 'id'], unique=False)

    op.create_table('record_disclosures',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('record_id', sa.String(length=26), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=True),
    sa.Column('disclosed_by', sa.String(length=26), nullable=False),
    sa.Column('disclosed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'disclosed_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_record_disclosures_tenant_id_disclosed_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'record_id'], ['records.tenant_id', 'records.id'], name=op.f('fk_record_disclosures_tenant_id_record_id_records')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_record_disclosures_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_record_disclosures'))
    )
    with op.batch_alter_table('record_disclosures', schema=None) as batch_op:
        batch_op.create_index('ix_record_disclosures_record', ['tenant_id', 'record_id', 'id'], unique=False)

    op.create_table('record_lending_approvals',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('record_id', sa.String(length=26), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('borrower_id', sa.String(length=26), nullable=False),
    sa.Column('approver_id', sa.String(length=26), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'approver_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_record_lending_approvals_tenant_id_approver_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'borrower_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_record_lending_approvals_tenant_id_borrower_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'record_id'], ['records.tenant_id', 'records.id'], name=op.f('fk_record_lending_approvals_tenant_id_record_id_records')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_record_lending_approvals_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_record_lending_approvals'))
    )
    with op.batch_alter_table('record_lending_approvals', schema=None) as batch_op:
        batch_op.create_index('ix_record_lending_approvals_record', ['tenant_id', 'record_id', 'borrower_id'], unique=False)

    op.create_table('record_read_grants',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('record_id', sa.String(length=26), nullable=False),
    sa.Column('grantee_id', sa.String(length=26), nullable=False),
    sa.Column('granted_by', sa.String(length=26), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'granted_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_record_read_grants_tenant_id_granted_by_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'grantee_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_record_read_grants_tenant_id_grantee_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'record_id'], ['records.tenant_id', 'records.id'], name=op.f('fk_record_read_grants_tenant_id_record_id_records')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_record_read_grants_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_record_read_grants'))
    )
    with op.batch_alter_table('record_read_grants', schema=None) as batch_op:
        batch_op.create_index('ix_record_read_grants_grantee', ['tenant_id', 'grantee_id', 'record_id', 'expires_at'], unique=False)
        batch_op.create_index('ix_record_read_grants_record', ['tenant_id', 'record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('record_read_grants', schema=None) as batch_op:
        batch_op.drop_index('ix_record_read_grants_record')
        batch_op.drop_index('ix_record_read_grants_grantee')

    op.drop_table('record_read_grants')
    with op.batch_alter_table('record_lending_approvals', schema=None) as batch_op:
        batch_op.drop_index('ix_record_lending_approvals_record')

    op.drop_table('record_lending_approvals')
    with op.batch_alter_table('record_disclosures', schema=None) as batch_op:
        batch_op.drop_index('ix_record_disclosures_record')

    op.drop_table('record_disclosures')
    with op.batch_alter_table('record_attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_record_attachments_record')

    op.drop_table('record_attachments')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_status')
        batch_op.drop_index('ix_records_owner')
        batch_op.drop_index('ix_records_kind')
        batch_op.drop_index('ix_records_inquiry')
        batch_op.drop_index('ix_records_confidentiality')
        batch_op.drop_index('ix_records_archived_at')

    op.drop_table('records')
