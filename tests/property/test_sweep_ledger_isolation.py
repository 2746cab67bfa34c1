"""The sweep flags a missed review once; the ledger XLSX carries the review columns; a tenant that
does not enable the plugin sees none of its routes, rules or pages."""

from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from core.extensions import db
from core.tenancy import tenant_context
from plugins.property_frontdesk.models import ReviewFlag
from tests.fixtures import ADMIN_PASSWORD, USER_PASSWORD, make_tenant, sign_in_api, sign_in_page
from tests.inquiries.factories import local, make_inquiry
from tests.property.helpers import disable, notes_of


def sweep(tenant, now):
    from plugins.property_frontdesk import service

    with tenant_context(tenant):
        count = service.flag_missed_daily_reviews(tenant, now) + service.flag_missed_weekly_reviews(
            tenant, now
        )
        db.session.commit()
    return count


def flags(tenant):
    with tenant_context(tenant):
        return [
            (f.kind, f.period.isoformat())
            for f in db.session.execute(sa.select(ReviewFlag).order_by(ReviewFlag.period)).scalars()
        ]


# Wednesday 2026-03-04 (a working day); Thursday 03-05 the next working day
WED = local(2026, 3, 4, 10, 0)


def test_missed_daily_review_flagged_once_after_the_grace_period(prop):
    make_inquiry(prop.tenant, "desk@alpha.test", now=WED)
    assert sweep(prop.tenant, local(2026, 3, 5, 23, 0)) == 0  # still within the next working day
    assert sweep(prop.tenant, local(2026, 3, 6, 9, 0)) == 1
    assert flags(prop.tenant) == [("daily", "2026-03-04")]
    assert sweep(prop.tenant, local(2026, 3, 6, 10, 0)) == 0  # once
    assert len(notes_of(prop.tenant, prop.users["sup"], "property.daily_review.missed")) == 1
    assert len(notes_of(prop.tenant, prop.users["dm"], "property.daily_review.missed")) == 1


def test_reviewed_day_is_not_flagged(prop):
    from plugins.property_frontdesk import service

    make_inquiry(prop.tenant, "desk@alpha.test", now=WED)
    with tenant_context(prop.tenant):
        service.record_daily_review(
            WED.date(), {"arrangements": "跟进"}, prop.users["sup"], now=local(2026, 3, 4, 18, 0)
        )
        db.session.commit()
    assert sweep(prop.tenant, local(2026, 3, 6, 9, 0)) == 0


def test_missed_week_flagged_once(prop):
    make_inquiry(prop.tenant, "desk@alpha.test", now=WED)
    assert sweep(prop.tenant, local(2026, 3, 8, 12, 0)) == 1  # Sunday: only the day; the week goes on
    assert flags(prop.tenant) == [("daily", "2026-03-04")]
    assert sweep(prop.tenant, local(2026, 3, 9, 9, 0)) == 1
    assert ("weekly", "2026-03-02") in flags(prop.tenant)
    assert sweep(prop.tenant, local(2026, 3, 9, 10, 0)) == 0
    assert len(notes_of(prop.tenant, prop.users["pm"], "property.weekly_review.missed")) == 1


def test_sweep_disabled(prop):
    disable(prop.admin, "property.daily_review")
    disable(prop.admin, "property.weekly_review")
    make_inquiry(prop.tenant, "desk@alpha.test", now=WED)
    assert sweep(prop.tenant, local(2026, 3, 10, 9, 0)) == 0 and flags(prop.tenant) == []


def test_sweep_command_runs_the_jobs(prop, runner):
    result = runner.invoke(args=["sweep"])
    assert result.exit_code == 0, result.output


# --- the ledger XLSX --------------------------------------------------------------------------


def _ledger(api, day):
    response = api.get(f"/ledger?date={day}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_ledger_xlsx_has_the_review_columns(prop):
    response = prop.desk.post(
        "/inquiries", json={"channel": "phone", "requester": {"name": "张"}, "subject": "漏水"}
    )
    inquiry = response.get_json()
    assert (
        prop.desk.post(
            f"/inquiries/{inquiry['id']}/forward", json={"department": "engineering", "remark": "工程部上门"}
        ).status_code
        == 200
    )
    day = inquiry["local_date"]
    prop.sup.post(
        "/property/reviews",
        json={"kind": "daily", "date": day, "remarks": "记录完整", "arrangements": "今日上门"},
    )
    prop.pm.post("/property/reviews", json={"kind": "weekly", "date": day, "guidance": "统一口径"})
    header, row = _ledger(prop.desk, day)[:2]
    assert "备注" in header and "物业主管查看" in header and "物业经理查看" in header
    assert "工程部上门" in row[header.index("备注")]
    assert "今日上门" in row[header.index("物业主管查看")]
    assert "统一口径" in row[header.index("物业经理查看")]
    assert header.index("物业主管查看") > header.index("状态")


def test_ledger_xlsx_without_the_plugin(client, tenant_a, admin_a):
    response = admin_a.post(
        "/inquiries", json={"channel": "phone", "requester": {"name": "张"}, "subject": "漏水"}
    )
    header = _ledger(admin_a, response.get_json()["local_date"])[0]
    assert "备注" in header and "物业主管查看" not in header
    csv = admin_a.get(f"/ledger?date={response.get_json()['local_date']}&format=csv").get_data(as_text=True)
    assert "物业主管查看" not in csv


def test_ledger_csv_with_the_plugin(prop):
    response = prop.desk.post(
        "/inquiries", json={"channel": "phone", "requester": {"name": "张"}, "subject": "漏水"}
    )
    csv = prop.desk.get(f"/ledger?date={response.get_json()['local_date']}&format=csv").get_data(as_text=True)
    assert "物业主管查看" in csv.splitlines()[0]


# --- another variant ----------------------------------------------------------------------------


@pytest.fixture
def hospital(app, client):
    make_tenant("hosp", variant="hospital")
    return sign_in_api(client, "hosp", "admin@hosp.test", ADMIN_PASSWORD)


PROPERTY_API = [
    "/property/reviews",
    "/property/info",
    "/property/approvals",
    "/property/events",
    "/property/work-record",
]
PROPERTY_PAGES = [
    "reviews/daily",
    "reviews/weekly",
    "info",
    "approvals",
    "events",
    "work-record",
    "info/search?q=x",
]


def test_a_hospital_sees_nothing_of_the_plugin(hospital, client):
    for path in PROPERTY_API:
        assert hospital.get(path).status_code == 404, path
    assert hospital.post("/property/reviews", json={}).status_code == 404
    rules = hospital.get("/policy").get_json()
    assert "property." not in str(rules)
    sign_in_page(client, "hosp", "admin@hosp.test", ADMIN_PASSWORD)
    for path in PROPERTY_PAGES:
        assert client.get(f"/t/hosp/property/{path}").status_code == 404, path
    ledger = client.get("/t/hosp/ledger")
    assert ledger.status_code == 200 and "info_search.js" not in ledger.get_data(as_text=True)


def test_the_property_preset_enables_the_plugin(app, client):
    make_tenant("estate")
    admin = sign_in_api(client, "estate", "admin@estate.test", ADMIN_PASSWORD)
    policy = admin.get("/policy").get_json()
    assert {"name": "property_frontdesk", "enabled": True}.items() <= next(
        p for p in policy["plugins"] if p["name"] == "property_frontdesk"
    ).items()
    assert "property.daily_review" in str(policy)


# --- pages --------------------------------------------------------------------------------------


def test_supervisor_review_page(prop, client):
    from tests.fixtures import csrf_token

    response = prop.desk.post(
        "/inquiries", json={"channel": "phone", "requester": {"name": "张"}, "subject": "楼道灯不亮"}
    )
    day = response.get_json()["local_date"]
    sign_in_page(client, "alpha", "sup@alpha.test", USER_PASSWORD)
    page = client.get(f"/t/alpha/property/reviews/daily?date={day}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "楼道灯不亮" in html
    saved = client.post(
        f"/t/alpha/property/reviews/daily?date={day}",
        data={"csrf_token": csrf_token(html), "remarks": "记录完整", "arrangements": "工程部今日修复"},
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "工程部今日修复" in saved.get_data(as_text=True)
    for path in (
        "reviews/weekly",
        "info",
        "approvals",
        "events",
        "work-record",
        f"inquiries/{response.get_json()['id']}",
    ):
        assert client.get(f"/t/alpha/property/{path}").status_code == 200, path
    home = client.get("/t/alpha/").get_data(as_text=True)
    assert "今日台帐查看" in home and "已查看" in home
    detail = client.get(f"/t/alpha/inquiries/{response.get_json()['id']}").get_data(as_text=True)
    assert "property-links" in detail


def test_demo_populates_the_property_tenant(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    from core.tenancy import find_tenant
    from plugins.property_frontdesk.models import DailyReview, ExternalEvent, InfoEntry

    tenant = find_tenant("demo-property")
    with tenant_context(tenant):
        for model in (DailyReview, InfoEntry, ExternalEvent):
            assert db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one() > 0
        from plugins.property_frontdesk.repair.models import RoundsLog, WorkOrder

        statuses = db.session.execute(sa.select(WorkOrder.status, WorkOrder.repeat_of_id)).all()
        assert {"closed", "in_progress", "notified"} <= {s for s, _ in statuses}
        assert any(repeat for _, repeat in statuses)  # the repeat complaint is linked
        assert db.session.execute(sa.select(sa.func.count()).select_from(RoundsLog)).scalar_one() == 3
