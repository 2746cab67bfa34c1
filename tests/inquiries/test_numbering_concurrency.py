"""Two desks saving inquiries at the same moment get consecutive numbers, with no gap and no
collision (on PostgreSQL, where writers run side by side)."""

import threading

import pytest
import sqlalchemy as sa


@pytest.mark.no_transaction  # the desks are two connections: their commits must be real
def test_desks_saving_at_once_get_consecutive_numbers(empty_database_url):
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite admits one writer at a time: nothing runs side by side")
    from core.extensions import db
    from core.identity.service import find_user_by_email
    from core.inquiries import service as inquiries
    from core.inquiries.models import Inquiry
    from core.tenancy import Tenant, tenant_context
    from tests.fixtures import app_of_its_own

    start, failures = threading.Barrier(2), []

    def desks_tenant():
        return db.session.execute(sa.select(Tenant).where(Tenant.slug == "desks")).scalar_one()

    def desk(app, name: str) -> None:
        with app.app_context():
            tenant = desks_tenant()
            with tenant_context(tenant):
                clerk = find_user_by_email("admin@desks.test")
            start.wait()
            for n in range(15):
                try:
                    with tenant_context(tenant):
                        inquiries.create_inquiry({"channel": "phone", "requester": {"name": name},
                                                  "subject": f"{name} {n}", "answer": "已答复"}, clerk)
                    db.session.commit()
                except Exception as error:  # noqa: BLE001 - reported by the assertion below
                    db.session.rollback()
                    failures.append(repr(error))
            db.session.remove()

    with app_of_its_own(empty_database_url, "desks") as app:
        desks = [threading.Thread(target=desk, args=(app, name)) for name in ("甲", "乙")]
        for thread in desks:
            thread.start()
        for thread in desks:
            thread.join(60)
        with app.app_context(), tenant_context(desks_tenant()):
            seqs = db.session.execute(sa.select(Inquiry.seq).order_by(Inquiry.seq)).scalars().all()
    assert failures == []
    assert seqs == list(range(1, 31))
