"""Demo records: confidential files, an archived one and a break-glass disclosure where the
variant keeps confidential records; a couple of ordinary records for the property desk."""

import sqlalchemy as sa

from core.extensions import db
from core.records.models import Disclosure, Record
from core.tenancy import find_tenant, tenant_context


def _records(slug):
    tenant = find_tenant(slug)
    with tenant_context(tenant):
        records = db.session.execute(sa.select(Record)).scalars().all()
        disclosures = db.session.execute(sa.select(Disclosure)).scalars().all()
    return records, disclosures


def test_demo_records_follow_each_variants_policy(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    school, disclosures = _records("demo-school")
    assert any(r.confidential for r in school) and any(r.archived for r in school)
    assert len(disclosures) == 1 and disclosures[0].type == "break_glass"
    assert all(r.subject_name or r.body for r in school)
    prop, prop_disclosures = _records("demo-property")
    assert 1 <= len(prop) <= 2 and not any(r.confidential for r in prop) and prop_disclosures == []
