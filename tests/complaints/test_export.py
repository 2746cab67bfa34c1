"""A tenant's suggestions and appeals, with their timelines and repeat links, survive export and import."""

import sqlalchemy as sa

from core.complaints.models import Complaint, ComplaintStep
from core.extensions import db
from core.tenancy import tenant_context
from tenants import provisioning
from tests.complaints.factories import register, step


def test_export_and_import_keep_cases_timelines_and_repeats(staff):
    first = register(staff.handler)
    step(staff.handler, first["id"], "acknowledge")
    again = register(staff.handler)
    data = provisioning.export_tenant("alpha")
    copy = provisioning.import_tenant(data, slug="alpha-copy")
    db.session.commit()
    with tenant_context(copy):
        cases = {c.id: c for c in db.session.execute(sa.select(Complaint)).scalars()}
        steps = db.session.execute(sa.select(sa.func.count()).select_from(ComplaintStep)).scalar_one()
    assert set(cases) == {first["id"], again["id"]} and steps == 3
    assert cases[again["id"]].repeat_of_id == first["id"] and cases[first["id"]].status == "acknowledged"
