"""GET /reports/monthly: the month's figures, computed in SQL, in the tenant's calendar."""

from datetime import UTC, datetime, timedelta

from core.extensions import db
from core.identity.service import find_user_by_email
from core.inquiries import service as inquiries
from core.tenancy import tenant_context
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api

NOV = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def fill(tenant):
    """Four November inquiries (two answered at once, one late, one overdue) and one October."""
    with tenant_context(tenant):
        clerk = find_user_by_email("admin@alpha.test")
        base = {"channel": "phone", "requester": {"name": "张先生", "phone": "13800000000"},
                "category": "repair"}
        inquiries.create_inquiry({**base, "subject": "电梯", "answer": "已派工程部"}, clerk, now=NOV)
        inquiries.create_inquiry({**base, "channel": "walk_in", "subject": "物业费",
                                  "category": "fees", "answer": "按月缴纳"}, clerk,
                                 now=NOV + timedelta(hours=1))
        late = inquiries.create_inquiry({**base, "subject": "漏水",
                                         "agreed_reply_at": NOV + timedelta(hours=3)},
                                        clerk, now=NOV)
        inquiries.add_reply(late, "已修复", True, clerk, now=NOV + timedelta(days=2))
        inquiries.create_inquiry({**base, "subject": "噪音",
                                  "agreed_reply_at": NOV + timedelta(hours=5)},
                                 clerk, now=NOV)
        inquiries.create_inquiry({**base, "subject": "十月的"}, clerk,
                                 now=datetime(2026, 10, 20, 2, tzinfo=UTC))
        db.session.commit()


def test_monthly_figures(admin_a, tenant_a):
    fill(tenant_a)
    report = admin_a.get("/reports/monthly?month=2026-11").get_json()
    i = report["inquiries"]
    assert report["month"] == "2026-11" and i["total"] == 4
    assert {r["key"]: r["count"] for r in i["by_channel"]} == {"phone": 3, "walk_in": 1}
    assert {r["key"]: r["count"] for r in i["by_category"]} == {"repair": 3, "fees": 1}
    assert i["answered_at_once"] == 2 and i["answered_at_once_rate"] == 0.5
    assert i["overdue"] == 2 and i["overdue_rate"] == 0.5  # one answered late, one still waiting
    assert i["still_waiting"] == 1
    # answered: 0 s, 0 s (hour one… at once) and 2 days: the median is the middle value
    assert i["median_seconds_to_answer"] == 0.0
    assert admin_a.get("/reports/monthly?month=2026-10").get_json()["inquiries"]["total"] == 1


def test_bad_month_and_permissions(client, admin_a, tenant_a):
    assert admin_a.get("/reports/monthly?month=2026-13").status_code == 422
    assert admin_a.get("/reports/monthly?month=november").status_code == 422
    make_user(tenant_a, "clerk@alpha.test", ["desk"])
    clerk = sign_in_api(client, "alpha", "clerk@alpha.test", USER_PASSWORD)
    assert clerk.get("/reports/monthly").status_code == 403


def test_report_page_has_svg_charts(app, tenant_a):
    from tests.fixtures import ADMIN_PASSWORD, sign_in_page

    fill(tenant_a)
    browser = app.test_client()
    sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    html = browser.get("/t/alpha/reports/monthly?month=2026-11").get_data(as_text=True)
    assert "<svg" in html and 'data-figure="total">4<' in html


def test_monthly_announcement_once_and_not_when_disabled(runner, admin_a, tenant_a):
    from core.notifications.models import Notification

    make_user(tenant_a, "boss@alpha.test", ["manager"])
    runner.invoke(args=["sweep"])
    runner.invoke(args=["sweep"])
    with tenant_context(tenant_a):
        import sqlalchemy as sa

        count = db.session.execute(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.kind == "report.monthly")).scalar_one()
    assert count == 1
    admin_a.patch("/policy", json={"rules": {"core.monthly_report": {"enabled": False}}})
    other = make_user(tenant_a, "boss2@alpha.test", ["manager"])
    runner.invoke(args=["sweep"])
    with tenant_context(tenant_a):
        mine = db.session.execute(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.recipient_id == other.id)).scalar_one()
    assert mine == 0
