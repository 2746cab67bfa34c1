"""Demo data: cases across their lifecycle where the policy has the procedure, none where not."""

import random

import pytest
import sqlalchemy as sa

from core.complaints import demo, service
from core.complaints.models import Complaint
from core.extensions import db
from core.identity import service as identity
from core.tenancy import tenant_context
from tests.complaints.factories import local
from tests.fixtures import make_tenant, make_user


def _populate(slug: str, variant: str, users: list[tuple[str, list[str]]]):
    tenant = make_tenant(slug, variant=variant)
    staff = {}
    for email, roles in users:
        user = make_user(tenant, email, roles, name=email.split("@")[0])
        for role in roles:
            staff.setdefault(role, user)
    now = local(2026, 11, 20, 15, 0)
    with tenant_context(tenant):
        staff["admin"] = identity.find_user_by_email(f"admin@{slug}.test")
        demo.populate(tenant, staff, now, random.Random(slug))
        db.session.commit()
        cases = db.session.execute(sa.select(Complaint).order_by(Complaint.created_at)).scalars().all()
        return tenant, now, cases, [service.detail(c, staff["admin"], now=now, audited=False) for c in cases]


@pytest.mark.parametrize("variant", ["property", "hospital", "law_firm"])
def test_demo_cases_across_the_lifecycle(app, variant):
    slug = f"demo-{variant.replace('_', '-')}"
    _, now, cases, details = _populate(slug, variant, [
        (f"desk@{slug}.test", ["desk"]), (f"supervisor@{slug}.test", ["supervisor"]),
        (f"manager@{slug}.test", ["manager"])])
    assert len(cases) == 7
    assert {c.kind for c in cases} == {"suggestion", "appeal"}
    statuses = {c.number: c.status for c in cases}
    assert "closed" in statuses.values() and "registered" in statuses.values()
    assert any(c.overdue_at(now) for c in cases)
    assert sum(c.flagged_repeat for c in cases) == 1
    upheld = [c for c in cases if c.outcome == "upheld"]
    assert len(upheld) == 1 and upheld[0].corrective_action and upheld[0].corrective_due_at > now
    for detail in details:  # every timeline runs forward in time
        times = [entry["at"] for entry in detail["timeline"]]
        assert times == sorted(times) and times[-1] <= now


def test_no_demo_cases_where_the_policy_has_no_procedure(app):
    _, _, cases, _ = _populate("demo-school", "school", [("counselor@demo-school.test", ["desk"])])
    assert cases == []
