"""Notifications: inbox rows in the caller's transaction, deduplicated, e-mailed with retries."""

import smtplib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.notifications import service
from core.notifications.models import Notification, OutboxEmail
from core.tenancy import tenant_context, utcnow
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api


@pytest.fixture
def supervisors(tenant_a):
    return [make_user(tenant_a, f"sup{i}@alpha.test", ["supervisor"]) for i in range(2)]


def test_notify_role_reaches_each_holder_once_and_dedupes(tenant_a, supervisors):
    with tenant_context(tenant_a):
        first = service.notify_role("supervisor", "test.kind", "重要咨询", dedupe_key="inq-1")
        again = service.notify_role("supervisor", "test.kind", "重要咨询", dedupe_key="inq-1")
        db.session.commit()
        rows = db.session.execute(sa.select(Notification)).scalars().all()
    assert len(first) == 2 and again == []
    assert {r.recipient_id for r in rows} == {u.id for u in supervisors}


def test_inbox_api_lists_only_mine_and_marks_read(client, tenant_a, tenant_b, supervisors):
    with tenant_context(tenant_a):
        service.notify([supervisors[0]], "test.kind", "给你的", url="/t/alpha/")
        service.notify([supervisors[1]], "test.kind", "给别人的")
        db.session.commit()
    api = sign_in_api(client, "alpha", "sup0@alpha.test", USER_PASSWORD)
    inbox = api.get("/notifications").get_json()
    assert [n["title"] for n in inbox["items"]] == ["给你的"] and inbox["unread"] == 1
    note_id = inbox["items"][0]["id"]
    assert api.post(f"/notifications/{note_id}/read").get_json()["read_at"]
    assert api.get("/notifications?unread=true").get_json()["items"] == []
    other = api.get("/notifications").get_json()  # another user's notification is 404
    with tenant_context(tenant_a):
        theirs = db.session.execute(sa.select(Notification.id).where(
            Notification.recipient_id == supervisors[1].id)).scalar_one()
    assert api.post(f"/notifications/{theirs}/read").status_code == 404
    assert other["unread"] == 0


def test_unread_count_shows_in_the_page_header(app, tenant_a, supervisors):
    from tests.fixtures import sign_in_page

    with tenant_context(tenant_a):
        service.notify([supervisors[0]], "test.kind", "一条提醒")
        db.session.commit()
    browser = app.test_client()
    sign_in_page(browser, "alpha", "sup0@alpha.test", USER_PASSWORD)
    html = browser.get("/t/alpha/notifications").get_data(as_text=True)
    assert "一条提醒" in html and 'class="badge"' in html


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout):
        if FakeSMTP.fail:
            raise ConnectionRefusedError("smtp down")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append((message["To"], message["Subject"]))


@pytest.fixture
def smtp(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.test")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.fail = [], False
    return FakeSMTP


def test_failed_delivery_is_retried_with_backoff_and_never_lost(tenant_a, supervisors, smtp):
    with tenant_context(tenant_a):
        service.notify([supervisors[0]], "test.kind", "请回复业户")
        db.session.commit()
        now = utcnow()
        smtp.fail = True
        assert service.deliver_outbox(tenant_a, now) == 0
        email = db.session.execute(sa.select(OutboxEmail)).scalar_one()
        assert email.status == "pending" and email.attempts == 1 and "smtp down" in email.last_error
        assert email.next_attempt_at == now + timedelta(minutes=1)
        assert service.deliver_outbox(tenant_a, now) == 0  # not due yet: no attempt
        assert email.attempts == 1
        smtp.fail = False
        assert service.deliver_outbox(tenant_a, now + timedelta(minutes=2)) == 1
        assert email.status == "sent" and smtp.sent == [("sup0@alpha.test", "请回复业户")]
        assert service.deliver_outbox(tenant_a, now + timedelta(hours=1)) == 0  # sent once


def test_backoff_doubles_and_is_capped():
    assert [service.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert service.backoff(30) == timedelta(hours=6)


def test_sweep_delivers_the_outbox(runner, tenant_a, supervisors, smtp):
    with tenant_context(tenant_a):
        service.notify([supervisors[0]], "test.kind", "扫一遍")
        db.session.commit()
    result = runner.invoke(args=["sweep"])
    assert "alpha: notifications.deliver: 1" in result.output
    assert smtp.sent == [("sup0@alpha.test", "扫一遍")]
