"""Surveys (core.satisfaction_survey) and follow-ups (core.follow_up)."""

from datetime import timedelta

import sqlalchemy as sa

from core.extensions import db
from core.followups import service
from core.followups.models import FollowUp
from core.identity.service import find_user_by_email
from core.notifications.models import Notification
from core.tenancy import tenant_context, utcnow
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api


def _subject(tenant):
    """Any tenant object can carry a survey or a follow-up; a user is the simplest one."""
    with tenant_context(tenant):
        return find_user_by_email(f"admin@{tenant.slug}.test")


def test_survey_needs_a_score_or_a_recorded_refusal(admin_a, tenant_a):
    subject = _subject(tenant_a)
    base = {"object_type": "users", "object_id": subject.id}
    assert admin_a.post("/surveys", json=base).status_code == 422
    assert admin_a.post("/surveys", json={**base, "score": 6}).status_code == 422
    ok = admin_a.post("/surveys", json={**base, "score": 4, "experience": "耐心", "gains": "解决了",
                                        "suggestions": "再快一点"})
    assert ok.status_code == 201 and ok.get_json()["score"] == 4
    assert admin_a.post("/surveys", json={**base, "declined": True}).status_code == 201


def test_survey_on_another_tenants_object_is_404(admin_a, tenant_b):
    other = _subject(tenant_b)
    response = admin_a.post("/surveys", json={"object_type": "users", "object_id": other.id,
                                              "score": 5})
    assert response.status_code == 404
    assert admin_a.post("/surveys", json={"object_type": "nope", "object_id": "x",
                                          "score": 5}).status_code == 404


def test_follow_up_is_scheduled_by_parameter_and_only_once(admin_a, tenant_a):
    subject = _subject(tenant_a)
    now = utcnow()
    with tenant_context(tenant_a):
        first = service.schedule_follow_up(subject, summary="回访", now=now)
        again = service.schedule_follow_up(subject, summary="回访", now=now)
        assert first.id == again.id and first.due_at == now + timedelta(days=90)
        db.session.commit()
    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"params": {"after_days": 7}}}})
    other = make_user(tenant_a, "x@alpha.test", ["desk"])
    with tenant_context(tenant_a):
        db.session.refresh(tenant_a)
        assert service.schedule_follow_up(other, now=now).due_at == now + timedelta(days=7)


def test_disabled_rule_schedules_nothing(admin_a, tenant_a):
    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"enabled": False}}})
    with tenant_context(tenant_a):
        db.session.refresh(tenant_a)
        assert service.schedule_follow_up(_subject(tenant_a)) is None


def test_due_follow_ups_are_listed_recorded_once_and_reminded_once(admin_a, tenant_a, runner):
    clerk = make_user(tenant_a, "clerk@alpha.test", ["desk"])
    with tenant_context(tenant_a):
        follow_up = service.schedule_follow_up(clerk, summary="张先生 报修回访", assignee_id=clerk.id,
                                               now=utcnow() - timedelta(days=100))
        db.session.commit()
    due = admin_a.get("/follow-ups?due=true").get_json()["items"]
    assert [f["id"] for f in due] == [follow_up.id]
    runner.invoke(args=["sweep"])
    runner.invoke(args=["sweep"])
    with tenant_context(tenant_a):
        reminders = db.session.execute(sa.select(Notification).where(
            Notification.kind == "follow_up.due")).scalars().all()
    assert [n.recipient_id for n in reminders] == [clerk.id]
    api = sign_in_api(admin_a.client, "alpha", "clerk@alpha.test", USER_PASSWORD)
    done = api.post(f"/follow-ups/{follow_up.id}/outcome", json={"outcome": "reached",
                                                                 "notes": "已修好，表示感谢"})
    assert done.status_code == 200 and done.get_json()["outcome"] == "reached"
    assert api.post(f"/follow-ups/{follow_up.id}/outcome",
                    json={"outcome": "reached"}).status_code == 409
    assert admin_a.get("/follow-ups?due=true").get_json()["items"] == []
    with tenant_context(tenant_a):
        db.session.expire_all()  # the requests changed it in their own sessions
        assert db.session.get(FollowUp, (tenant_a.id, follow_up.id)).done_by == clerk.id


def test_archivist_cannot_record(client, tenant_a):
    make_user(tenant_a, "arch@alpha.test", ["archivist"])
    api = sign_in_api(client, "alpha", "arch@alpha.test", USER_PASSWORD)
    subject = _subject(tenant_a)
    assert api.post("/surveys", json={"object_type": "users", "object_id": subject.id,
                                      "score": 3}).status_code == 403


def test_satisfaction_summary_in_sql(admin_a, tenant_a):
    subject = _subject(tenant_a)
    for body in ({"score": 5}, {"score": 3}, {"declined": True}):
        admin_a.post("/surveys", json={"object_type": "users", "object_id": subject.id, **body})
    with tenant_context(tenant_a):
        summary = service.satisfaction_summary(utcnow() - timedelta(hours=1),
                                               utcnow() + timedelta(hours=1))
    assert summary == {"surveys": 3, "declined": 1, "average_score": 4.0}


def test_pages(app, tenant_a):
    from tests.fixtures import ADMIN_PASSWORD, csrf_token, sign_in_page

    subject = _subject(tenant_a)
    browser = app.test_client()
    sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    url = f"/t/alpha/surveys/new?object_type=users&object_id={subject.id}"
    page = browser.get(url)
    saved = browser.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                    "object_type": "users", "object_id": subject.id, "score": "5"})
    assert saved.status_code == 302
    assert browser.get("/t/alpha/follow-ups").status_code == 200
