"""The ORM hooks: scoped by construction, failing closed, refusing cross-tenant writes."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from core.extensions import db
from core.identity.models import User
from core.tenancy import CrossTenantWrite, TenantContextMissing, UTCDateTime, tenant_context
from tests.fixtures import make_user


def test_query_sees_only_current_tenant(tenant_a, tenant_b):
    make_user(tenant_a, "a1@x.test", ["desk"])
    make_user(tenant_b, "b1@x.test", ["desk"])
    with tenant_context(tenant_a):
        emails = set(db.session.execute(sa.select(User.email)).scalars())
        count = db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()
    assert emails == {"admin@alpha.test", "a1@x.test"}
    assert count == 2


def test_joined_and_aliased_queries_are_scoped(tenant_a, tenant_b):
    from sqlalchemy.orm import aliased

    from core.identity.models import UserRole

    make_user(tenant_b, "b1@x.test", ["desk"])
    other = aliased(User)
    with tenant_context(tenant_a):
        rows = db.session.execute(
            sa.select(User.email, other.email).join(other, other.name != "")
        ).all()
        roles = db.session.execute(sa.select(UserRole.role).join(User)).scalars().all()
    assert {r[1] for r in rows} == {"admin@alpha.test"}
    assert roles == ["admin"]


def test_scoped_query_without_tenant_fails_loudly(app):
    with pytest.raises(TenantContextMissing):
        db.session.execute(sa.select(User)).all()


def test_explicit_all_tenants_opt_out(tenant_a, tenant_b):
    emails = set(db.session.execute(
        sa.select(User.email).execution_options(all_tenants=True)).scalars())
    assert {"admin@alpha.test", "admin@beta.test"} <= emails


def test_new_rows_are_stamped_with_current_tenant(tenant_a):
    user = make_user(tenant_a, "new@x.test", ["desk"])
    assert user.tenant_id == tenant_a.id


def test_writing_another_tenants_row_is_refused(tenant_a, tenant_b):
    with tenant_context(tenant_b):
        victim = db.session.execute(sa.select(User)).scalar_one()
    with tenant_context(tenant_a):
        victim.name = "hijacked"
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_bulk_update_is_scoped(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        db.session.execute(sa.update(User).values(name="renamed"))
    with tenant_context(tenant_b):
        names = db.session.execute(sa.select(User.name)).scalars().all()
    assert "renamed" not in names


def test_database_refuses_links_between_tenants(tenant_a, tenant_b):
    """A foreign key carries tenant_id: a row of A cannot point at a user of B."""
    from consultdesk_notes.models import Note

    with tenant_context(tenant_b):
        b_user = db.session.execute(sa.select(User)).scalar_one()
    with tenant_context(tenant_a):
        db.session.add(Note(body="x", author_id=b_user.id))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_scoped_rows_sees_only_current_tenant(tenant_a, tenant_b):
    from core.tenancy import scoped_rows

    make_user(tenant_a, "a1@x.test", ["desk"])
    make_user(tenant_b, "b1@x.test", ["desk"])
    with tenant_context(tenant_b):
        rows = scoped_rows(sa.select(User.email, User.tenant_id).order_by(User.email))
    assert [tuple(r) for r in rows] == [("admin@beta.test", tenant_b.id), ("b1@x.test", tenant_b.id)]
    with pytest.raises(TenantContextMissing):
        scoped_rows(sa.select(User.email))


@pytest.mark.parametrize("stored, expected", [
    ("2026-11-24 08:12:33.123456", datetime(2026, 11, 24, 8, 12, 33, 123456, tzinfo=UTC)),
    ("2026-11-24 08:12:33", datetime(2026, 11, 24, 8, 12, 33, tzinfo=UTC)),  # CURRENT_TIMESTAMP
    (None, None),
])
def test_sqlite_timestamps_read_back_aware_in_utc(stored, expected):
    dialect = sqlite.dialect()
    read = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    value = read(stored)
    assert value == expected
    assert value is None or value.utcoffset() == timedelta(0)


def test_sqlite_timestamps_in_another_form_take_the_general_way():
    dialect = sqlite.dialect()
    read = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    with pytest.raises(ValueError):  # as SQLAlchemy's own DATETIME does for text it cannot read
        read("24.11.2026")
