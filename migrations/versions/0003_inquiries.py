"""inquiries and their timeline

Revision ID: 0003_inquiries
Revises: 0002_notifications
Create Date: 2026-11-25 02:18:07.081726

Text search: on PostgreSQL the four *_trgm indexes are pg_trgm GIN indexes, which serve the
ILIKE '%...%' of the inquiry list's ``q``. When ``CREATE EXTENSION pg_trgm`` is refused (no
privilege, extension not installed) the indexes are created as empty placeholders
(``WHERE false``) so that the schema still matches the models, and search scans the tenant's
rows. Upgrade path, once pg_trgm is available::

    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    DROP INDEX ix_inquiries_subject_trgm;
    CREATE INDEX CONCURRENTLY ix_inquiries_subject_trgm ON inquiries USING gin (subject gin_trgm_ops);
    -- the same for body, requester_name and requester_phone

SQLite has no trigram index: there they are empty partial indexes (``WHERE 0``).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_inquiries'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None

SEARCHED = ('subject', 'body', 'requester_name', 'requester_phone')


def _trigram_available(bind) -> bool:
    """Whether pg_trgm exists or could be created here; a refusal leaves the migration intact."""
    try:
        with bind.begin_nested():
            bind.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        return True
    except sa.exc.DBAPIError:
        return False


def _create_search_indexes():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        trigram = _trigram_available(bind)
        for column in SEARCHED:
            if trigram:
                op.create_index(f'ix_inquiries_{column}_trgm', 'inquiries', [column], unique=False,
                                postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'})
            else:
                op.create_index(f'ix_inquiries_{column}_trgm', 'inquiries', [column], unique=False,
                                postgresql_where=sa.text('false'))
    else:
        with op.batch_alter_table('inquiries', schema=None) as batch_op:
            for column in SEARCHED:
                batch_op.create_index(f'ix_inquiries_{column}_trgm', [column], unique=False,
                                      sqlite_where=sa.text('0'))


def upgrade():
    op.create_table('inquiries',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('requester_name', sa.String(length=200), nullable=True),
    sa.Column('requester_phone', sa.String(length=40), nullable=True),
    sa.Column('requester_email', sa.String(length=254), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('department', sa.String(length=60), nullable=True),
    sa.Column('important', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('answered_at_once', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('agreed_reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('referred_to', sa.String(length=300), nullable=True),
    sa.Column('referral_contact', sa.String(length=300), nullable=True),
    sa.Column('forward_remark', sa.String(length=1000), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('overdue_notified_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=26), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by'], ['users.tenant_id', 'users.id'], name=op.f('fk_inquiries_tenant_id_created_by_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inquiries_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_inquiries')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_inquiries_tenant_id_number'))
    )
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.create_index('ix_inquiries_category', ['tenant_id', 'category', 'id'], unique=False)
        batch_op.create_index('ix_inquiries_department', ['tenant_id', 'department', 'id'], unique=False)
        batch_op.create_index('ix_inquiries_important', ['tenant_id', 'important', 'id'], unique=False)
        batch_op.create_index('ix_inquiries_local_date', ['tenant_id', 'local_date', 'seq'], unique=False)
        batch_op.create_index('ix_inquiries_status_due', ['tenant_id', 'status', 'due_at'], unique=False)
    _create_search_indexes()

    op.create_table('inquiry_events',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('inquiry_id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.String(length=26), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'actor_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_inquiry_events_tenant_id_actor_id_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'inquiry_id'], ['inquiries.tenant_id', 'inquiries.id'], name=op.f('fk_inquiry_events_tenant_id_inquiry_id_inquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inquiry_events_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_inquiry_events'))
    )
    with op.batch_alter_table('inquiry_events', schema=None) as batch_op:
        batch_op.create_index('ix_inquiry_events_inquiry', ['tenant_id', 'inquiry_id', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('inquiry_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inquiry_events_inquiry')

    op.drop_table('inquiry_events')
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.drop_index('ix_inquiries_subject_trgm')
        batch_op.drop_index('ix_inquiries_status_due')
        batch_op.drop_index('ix_inquiries_requester_phone_trgm')
        batch_op.drop_index('ix_inquiries_requester_name_trgm')
        batch_op.drop_index('ix_inquiries_local_date')
        batch_op.drop_index('ix_inquiries_important')
        batch_op.drop_index('ix_inquiries_department')
        batch_op.drop_index('ix_inquiries_category')
        batch_op.drop_index('ix_inquiries_body_trgm')

    op.drop_table('inquiries')
