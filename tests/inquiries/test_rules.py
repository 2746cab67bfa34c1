"""Each inquiry rule: enforced as the tenant's policy says, and not when the tenant disables it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.notifications.models import Notification
from core.tenancy import tenant_context, utcnow
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api
from tests.inquiries.factories import disable, local, make_inquiry, set_params, utc

CALLER = {"name": "张先生", "phone": "13800138000"}


@pytest.fixture
def desk(client, tenant_a):
    make_user(tenant_a, "desk@alpha.test", ["desk"], name="李静")
    return sign_in_api(client, "alpha", "desk@alpha.test", USER_PASSWORD)


@pytest.fixture
def staff(tenant_a):
    return {"supervisor": make_user(tenant_a, "sup@alpha.test", ["supervisor"], name="王强"),
            "manager": make_user(tenant_a, "mgr@alpha.test", ["manager"], name="陈明")}


def notes_of(tenant, user) -> list[Notification]:
    with tenant_context(tenant):
        return db.session.execute(sa.select(Notification).where(Notification.recipient_id == user.id)
                                  .order_by(Notification.id)).scalars().all()


def violation(response, rule_id):
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "rule_violation" and error["rule"] == rule_id, error
    assert error["clause"]
    return error


# --- core.inquiry.ledger ------------------------------------------------------------------------


def test_ledger_requires_channel_requester_and_content(desk):
    error = violation(desk.post("/inquiries", json={"subject": "停车位怎么租"}), "core.inquiry.ledger")
    assert "S0-1" in error["clause"]
    violation(desk.post("/inquiries", json={"channel": "phone", "subject": "停车位怎么租"}),
              "core.inquiry.ledger")
    response = desk.post("/inquiries", json={"channel": "phone", "requester": {"phone": "13900001111"},
                                             "subject": "停车位怎么租"})
    assert response.status_code == 201  # a phone number identifies the requester too


def test_ledger_disabled_needs_only_the_content(desk, admin_a):
    disable(admin_a, "core.inquiry.ledger")
    response = desk.post("/inquiries", json={"body": "停车位怎么租\n地下车库还有没有空位"})
    assert response.status_code == 201, response.get_json()
    inquiry = response.get_json()
    assert inquiry["subject"] == "停车位怎么租" and inquiry["channel"] is None
    assert desk.post("/inquiries", json={}).status_code == 422  # content is always needed
    day = inquiry["local_date"]
    assert [r["id"] for r in desk.get(f"/ledger?date={day}").get_json()["items"]] == [inquiry["id"]]


# --- core.inquiry.reply_deadline ----------------------------------------------------------------


def test_default_deadline_is_the_cap_in_working_days(tenant_a):
    # Friday 2026-11-20 10:00 in Shanghai; the property preset's cap is 3 working days
    inquiry = make_inquiry(tenant_a, now=local(2026, 11, 20, 10, 0))
    assert inquiry.due_at == local(2026, 11, 25, 23, 59, 59)  # Mon 23, Tue 24, Wed 25
    assert inquiry.number == "20261120-0001" and str(inquiry.local_date) == "2026-11-20"


def test_agreed_time_is_capped_across_national_day_2026(tenant_a):
    from core.errors import RuleViolation

    received = local(2026, 9, 30, 10, 0)
    # Oct 1–7 are holidays; Oct 8, 9 and the make-up Saturday Oct 10 are the 3 working days
    inquiry = make_inquiry(tenant_a, now=received, agreed_reply_at=local(2026, 10, 10, 17, 0))
    assert inquiry.due_at == local(2026, 10, 10, 17, 0)
    assert make_inquiry(tenant_a, now=received).due_at == local(2026, 10, 10, 23, 59, 59)
    with pytest.raises(RuleViolation) as refused:
        make_inquiry(tenant_a, now=received, agreed_reply_at=local(2026, 10, 12, 9, 0))
    assert refused.value.rule == "core.inquiry.reply_deadline"
    assert "2026-10-10 23:59" in refused.value.message


def test_default_cap_of_five_working_days_across_national_day(tenant_a, admin_a):
    set_params(admin_a, "core.inquiry.reply_deadline", {"max_working_days": 5})
    inquiry = make_inquiry(tenant_a, now=local(2026, 9, 30, 10, 0))
    assert inquiry.due_at == local(2026, 10, 13, 23, 59, 59)  # 8, 9, 10 (Sat), 12, 13


def test_agreeing_later_is_capped_from_when_the_inquiry_came_in(tenant_a, desk):
    from core.errors import RuleViolation
    from core.identity import service as identity
    from core.inquiries import service

    inquiry = make_inquiry(tenant_a, now=local(2026, 9, 30, 10, 0))
    with tenant_context(tenant_a):
        actor = identity.find_user_by_email("desk@alpha.test")
        inquiry = service.get_inquiry(inquiry.id, actor)
        service.agree_reply_time(inquiry, local(2026, 10, 9, 15, 0), actor, now=local(2026, 10, 8, 9, 0))
        assert inquiry.due_at == local(2026, 10, 9, 15, 0)
        with pytest.raises(RuleViolation):
            service.agree_reply_time(inquiry, local(2026, 10, 12, 15, 0), actor,
                                     now=local(2026, 10, 9, 9, 0))


def test_reply_deadline_over_the_api_names_the_rule(desk):
    far = (utcnow() + timedelta(days=30)).isoformat()
    error = violation(desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                                    "subject": "x", "agreed_reply_at": far}),
                      "core.inquiry.reply_deadline")
    assert "3" in error["message"]


def test_reply_deadline_disabled_no_cap_and_no_default_deadline(tenant_a, admin_a, desk):
    disable(admin_a, "core.inquiry.reply_deadline")
    inquiry = make_inquiry(tenant_a, now=local(2026, 9, 30, 10, 0))
    assert inquiry.due_at is None
    far = make_inquiry(tenant_a, now=local(2026, 9, 30, 10, 0), agreed_reply_at=local(2026, 10, 30, 9, 0))
    assert far.due_at == local(2026, 10, 30, 9, 0)
    response = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "x",
                                             "agreed_reply_at": (utcnow() + timedelta(days=30)).isoformat()})
    assert response.status_code == 201


# --- core.reply.forbidden_phrases ---------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["不知道", "沒辦法", "不归我管"])
def test_forbidden_phrases_refuse_replies_and_at_once_answers(desk, phrase):
    error = violation(desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                                    "subject": "x", "answer": f"这个我{phrase}"}),
                      "core.reply.forbidden_phrases")
    assert phrase in error["message"]
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "x"}).get_json()
    for final in (False, True):
        error = violation(desk.post(f"/inquiries/{inquiry['id']}/replies",
                                    json={"body": f"{phrase}，你去问别人", "final": final}),
                          "core.reply.forbidden_phrases")
        assert phrase in error["message"]
    assert desk.get(f"/inquiries/{inquiry['id']}").get_json()["status"] == "open"


def test_forbidden_phrases_are_the_tenants_own(desk, admin_a):
    set_params(admin_a, "core.reply.forbidden_phrases", {"phrases": ["踢皮球"]})
    assert desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "x",
                                         "answer": "不知道"}).status_code == 201
    violation(desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "x",
                                            "answer": "别踢皮球"}), "core.reply.forbidden_phrases")


def test_forbidden_phrases_disabled(desk, admin_a):
    disable(admin_a, "core.reply.forbidden_phrases")
    response = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "x",
                                             "answer": "不知道，没办法"})
    assert response.status_code == 201 and response.get_json()["status"] == "answered"


# --- core.inquiry.forward -----------------------------------------------------------------------


def test_forward_requires_department_and_remark_and_notifies_supervisors(tenant_a, desk, staff):
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "电梯异响"}).get_json()
    url = f"/inquiries/{inquiry['id']}/forward"
    violation(desk.post(url, json={"remark": "请查看"}), "core.inquiry.forward")
    error = violation(desk.post(url, json={"department": "engineering"}), "core.inquiry.forward")
    assert "备注" in error["message"]
    assert desk.post(url, json={"department": "no-such", "remark": "x"}).status_code == 422
    response = desk.post(url, json={"department": "engineering", "remark": "请今天上门查看"})
    assert response.status_code == 200 and response.get_json()["status"] == "forwarded"
    [note] = notes_of(tenant_a, staff["supervisor"])
    assert note.kind == "inquiry.forwarded" and "工程部" in note.title
    assert note.url == f"/t/alpha/inquiries/{inquiry['id']}"
    assert notes_of(tenant_a, staff["manager"]) == []
    row = desk.get(f"/ledger?date={inquiry['local_date']}").get_json()["items"][0]
    assert row["remark"] == "工程部：请今天上门查看"


def test_forward_without_remark_when_the_tenant_does_not_require_one(desk, admin_a):
    set_params(admin_a, "core.inquiry.forward", {"remark_required": False})
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "x"}).get_json()
    assert desk.post(f"/inquiries/{inquiry['id']}/forward",
                     json={"department": "engineering"}).status_code == 200


def test_forward_disabled(desk, admin_a):
    disable(admin_a, "core.inquiry.forward")
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "x"}).get_json()
    response = desk.post(f"/inquiries/{inquiry['id']}/forward", json={})
    assert response.status_code == 200 and response.get_json()["status"] == "forwarded"


# --- core.inquiry.escalate_important ------------------------------------------------------------


def test_important_inquiry_goes_up_the_chain_at_once_and_step_by_step(tenant_a, desk, staff):
    inquiry = desk.post("/inquiries", json={"channel": "walk_in", "requester": CALLER, "important": True,
                                            "subject": "业主投诉楼上装修噪音扰民"}).get_json()
    assert inquiry["escalation_level"] == 1
    [note] = notes_of(tenant_a, staff["supervisor"])
    assert note.kind == "inquiry.escalated" and inquiry["number"] in note.title
    assert notes_of(tenant_a, staff["manager"]) == []

    up = desk.post(f"/inquiries/{inquiry['id']}/escalate", json={"note": "业主情绪激动"})
    assert up.status_code == 200 and up.get_json()["escalation_level"] == 2
    [note] = notes_of(tenant_a, staff["manager"])
    assert "业主情绪激动" in note.body

    top = desk.post(f"/inquiries/{inquiry['id']}/escalate", json={"note": "再上报"})
    assert top.status_code == 409
    events = desk.get(f"/inquiries/{inquiry['id']}/timeline").get_json()["items"]
    escalations = [e["details"] for e in events if e["kind"] == "escalated"]
    assert [(e["to_role"], e["level"]) for e in escalations] == [("supervisor", 1), ("manager", 2)]


def test_escalating_an_ordinary_inquiry_marks_it_important(desk, staff):
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "x"}).get_json()
    assert inquiry["escalation_level"] == 0
    up = desk.post(f"/inquiries/{inquiry['id']}/escalate", json={}).get_json()
    assert up["important"] is True and up["escalation_level"] == 1


def test_the_chain_is_the_tenants(tenant_a, desk, admin_a, staff):
    set_params(admin_a, "core.inquiry.escalate_important", {"chain": ["manager"]})
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "important": True,
                                            "subject": "x"}).get_json()
    assert len(notes_of(tenant_a, staff["manager"])) == 1 and notes_of(tenant_a, staff["supervisor"]) == []
    assert desk.post(f"/inquiries/{inquiry['id']}/escalate", json={}).status_code == 409


def test_escalate_important_disabled_notifies_nobody_at_creation(tenant_a, desk, admin_a, staff):
    disable(admin_a, "core.inquiry.escalate_important")
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "important": True,
                                            "subject": "x"}).get_json()
    assert inquiry["escalation_level"] == 0 and inquiry["important"] is True
    assert notes_of(tenant_a, staff["supervisor"]) == []


# --- core.inquiry.refer_out ---------------------------------------------------------------------


def test_refer_out_requires_whom_and_how(desk):
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "房产证什么时候发"}).get_json()
    url = f"/inquiries/{inquiry['id']}/refer"
    violation(desk.post(url, json={"contact": "12345"}), "core.inquiry.refer_out")
    violation(desk.post(url, json={"to": "区不动产登记中心"}), "core.inquiry.refer_out")
    assert desk.post(url, json={"to": "区不动产登记中心", "contact": "12345"}).status_code == 200


def test_refer_out_without_contact_when_the_tenant_does_not_require_it(desk, admin_a):
    set_params(admin_a, "core.inquiry.refer_out", {"contact_required": False})
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "x"}).get_json()
    assert desk.post(f"/inquiries/{inquiry['id']}/refer", json={"to": "街道办"}).status_code == 200


def test_refer_out_disabled(desk, admin_a):
    disable(admin_a, "core.inquiry.refer_out")
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER,
                                            "subject": "x"}).get_json()
    response = desk.post(f"/inquiries/{inquiry['id']}/refer", json={})
    assert response.status_code == 200 and response.get_json()["status"] == "referred"


def test_overdue_is_derived_from_the_stored_deadline(tenant_a):
    inquiry = make_inquiry(tenant_a, now=local(2026, 9, 30, 10, 0), agreed_reply_at=local(2026, 9, 30, 15, 0))
    assert inquiry.is_overdue(utc(2026, 9, 30, 6, 59)) is False
    assert inquiry.is_overdue(utc(2026, 9, 30, 7, 1)) is True
