"""Demo data: a realistic week of inquiries in every variant's own categories."""

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.identity import service as identity
from core.inquiries import demo, service
from core.inquiries.models import Inquiry, InquiryEvent
from core.tenancy import tenant_context, utcnow
from tenants import provisioning
from tests.fixtures import ADMIN_PASSWORD


def test_a_week_of_inquiries_for_every_variant(app):
    for variant in provisioning.working_variants():
        check_variant(variant)


@pytest.mark.parametrize("local_time", ["08:05", "08:40"])
def test_a_week_also_early_in_the_morning(app, local_time):
    """Before the desk opens (08:30 in the demo) the week ends yesterday; just after, today has
    what came in so far. Seven days either way, nothing after now."""
    hour, minute = map(int, local_time.split(":"))
    now = datetime.combine(utcnow().date(), time(hour, minute), tzinfo=ZoneInfo("Asia/Shanghai"))
    check_variant("property", now.astimezone(UTC))


def check_variant(variant, now=None):
    slug = f"demo-{variant.replace('_', '-')}"
    tenant = provisioning.create_tenant(slug, name=f"Demo {variant}", variant=variant,
                                        admin_email=f"admin@{slug}.test", admin_password=ADMIN_PASSWORD)
    now = now or utcnow()
    with tenant_context(tenant):
        admin = identity.find_user_by_email(f"admin@{slug}.test")
        desk = identity.create_user(f"desk@{slug}.test", "李静", "user-pass-123", ["desk"], actor=None)
        demo.populate(tenant, {"admin": admin, "desk": desk}, now, random.Random(slug))
        db.session.flush()
        codes = {c["code"] for c in service.categories()}
        rows = db.session.execute(sa.select(Inquiry)).scalars().all()
        days = {r.local_date for r in rows}
        assert len(days) == 7 and 60 <= len(rows) <= 7 * 30
        assert {r.category for r in rows} <= codes
        assert {"answered", "closed"} <= {r.status for r in rows}
        kinds = set(db.session.execute(sa.select(InquiryEvent.kind).distinct()).scalars())
        assert {"created", "answered", "reply_time_agreed", "forwarded", "referred", "closed"} <= kinds
        assert any(r.answered_at_once for r in rows) and any(r.agreed_reply_at for r in rows)
        assert any(r.important for r in rows)
        assert any(r.is_overdue(now) for r in rows), "some inquiries are overdue"
        assert all(r.created_at <= now for r in rows)
        today = service.today(now)
        ledger = service.ledger_rows(today - timedelta(days=1), desk)
        assert ledger and all(r["receiver"] == "李静" for r in ledger)
