"""An inquiry's lifecycle over the API: every allowed step, every refused one (409)."""

import re
from datetime import timedelta

import pytest

from core.tenancy import utcnow
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api

CALLER = {"name": "张先生", "phone": "13800138000"}


@pytest.fixture
def desk(client, tenant_a):
    make_user(tenant_a, "desk@alpha.test", ["desk"], name="李静")
    return sign_in_api(client, "alpha", "desk@alpha.test", USER_PASSWORD)


def create(api, **body):
    body = {"channel": "phone", "requester": CALLER, "subject": "3栋1202卫生间漏水", **body}
    response = api.post("/inquiries", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def step(api, inquiry, path, body=None, status=200):
    if path == "close" and body is None:
        body = {"survey": {"score": 5}}  # closing takes the satisfaction survey
    response = api.post(f"/inquiries/{inquiry['id']}/{path}", json=body or {})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def in_hours(n):
    return (utcnow() + timedelta(hours=n)).isoformat()


def test_create_gives_a_numbered_open_inquiry_with_a_deadline(desk):
    inquiry = create(desk, category="repair", body="楼下天花板有水渍")
    assert re.fullmatch(r"\d{8}-0001", inquiry["number"])
    assert inquiry["status"] == "open" and inquiry["overdue"] is False
    assert inquiry["requester"] == {"name": "张先生", "phone": "13800138000", "email": None}
    assert inquiry["due_at"] and re.search(r"\+00:00$", inquiry["created_at"])
    assert inquiry["created_by"] == desk.get("/me").get_json()["user"]["id"]
    second = create(desk)
    assert second["number"] == inquiry["number"][:-4] + "0002"
    assert desk.get(f"/inquiries/{inquiry['id']}").get_json()["subject"] == "3栋1202卫生间漏水"


def test_answered_at_once(desk):
    inquiry = create(desk, answer="物业费可在公众号线上缴纳。")
    assert inquiry["status"] == "answered" and inquiry["answered_at_once"] is True
    assert inquiry["answered_at"] and inquiry["due_at"] is None
    kinds = [e["kind"] for e in desk.get(f"/inquiries/{inquiry['id']}/timeline").get_json()["items"]]
    assert kinds == ["created", "answered"]
    assert step(desk, inquiry, "close")["status"] == "closed"


def test_answer_now_and_agreed_time_together_is_refused(desk):
    response = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "x",
                                             "answer": "好的", "agreed_reply_at": in_hours(2)})
    assert response.status_code == 422 and "agreed_reply_at" in response.get_json()["error"]["fields"]


def test_open_to_answered_by_final_reply_then_closed(desk):
    inquiry = create(desk, agreed_reply_at=in_hours(3))
    assert inquiry["agreed_reply_at"] and inquiry["due_at"] == inquiry["agreed_reply_at"]
    replied = step(desk, inquiry, "replies", {"body": "工程部已安排明早上门。"}, status=201)
    assert replied["status"] == "open"
    answered = step(desk, inquiry, "replies", {"body": "已维修完毕。", "final": True}, status=201)
    assert answered["status"] == "answered" and answered["answer"] == "已维修完毕。"
    assert answered["answered_at_once"] is False and answered["answered_at"]
    closed = step(desk, inquiry, "close")
    assert closed["status"] == "closed" and closed["closed_at"]
    events = desk.get(f"/inquiries/{inquiry['id']}/timeline").get_json()["items"]
    assert [e["kind"] for e in events] == ["created", "reply_time_agreed", "replied", "answered", "closed"]
    assert events[2]["actor_name"] == "李静" and events[2]["details"]["body"] == "工程部已安排明早上门。"


def test_open_to_forwarded_to_answered(desk):
    inquiry = create(desk)
    forwarded = step(desk, inquiry, "forward", {"department": "engineering", "remark": "请上门查看"})
    assert forwarded["status"] == "forwarded" and forwarded["department"] == "engineering"
    assert forwarded["forward_remark"] == "请上门查看"
    again = step(desk, inquiry, "forward", {"department": "security", "remark": "工程部说属安全部"})
    assert again["department"] == "security"
    step(desk, inquiry, "agree-reply-time", {"agreed_reply_at": in_hours(5)})
    assert step(desk, inquiry, "replies", {"body": "已答复", "final": True}, 201)["status"] == "answered"


def test_forwarded_can_be_closed(desk):
    inquiry = create(desk)
    step(desk, inquiry, "forward", {"department": "engineering", "remark": "转工程部"})
    assert step(desk, inquiry, "close")["status"] == "closed"


def test_open_to_referred_to_closed(desk):
    inquiry = create(desk, subject="房产证什么时候发")
    referred = step(desk, inquiry, "refer", {"to": "区不动产登记中心", "contact": "12345"})
    assert referred["status"] == "referred" and referred["referred_to"] == "区不动产登记中心"
    assert referred["referral_contact"] == "12345" and referred["overdue"] is False
    assert step(desk, inquiry, "close")["status"] == "closed"


def test_closing_an_open_inquiry_is_409(desk):
    inquiry = create(desk)
    response = desk.post(f"/inquiries/{inquiry['id']}/close")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "conflict"


@pytest.mark.parametrize("path,body", [
    ("replies", {"body": "再答复一次"}),
    ("replies", {"body": "最终", "final": True}),
    ("agree-reply-time", {"agreed_reply_at": "2099-01-01T10:00:00+08:00"}),
    ("forward", {"department": "engineering", "remark": "x"}),
    ("escalate", {"note": "x"}),
    ("refer", {"to": "街道办", "contact": "123"}),
])
def test_steps_on_an_answered_or_closed_inquiry_are_409(desk, path, body):
    answered = create(desk, answer="已当场答复")
    closed = create(desk, answer="已当场答复")
    step(desk, closed, "close")
    for inquiry in (answered, closed):
        response = desk.post(f"/inquiries/{inquiry['id']}/{path}", json=body)
        assert response.status_code == 409, (inquiry["status"], path, response.get_json())


def test_steps_on_a_referred_inquiry_are_409_and_closing_twice_is_409(desk):
    inquiry = create(desk)
    step(desk, inquiry, "refer", {"to": "街道办", "contact": "123"})
    for path, body in (("replies", {"body": "x", "final": True}), ("forward", {"department": "engineering",
                       "remark": "x"}), ("refer", {"to": "a", "contact": "b"}), ("escalate", {})):
        assert desk.post(f"/inquiries/{inquiry['id']}/{path}", json=body).status_code == 409, path
    step(desk, inquiry, "close")
    assert desk.post(f"/inquiries/{inquiry['id']}/close").status_code == 409


def test_agreed_time_must_be_in_the_future(desk):
    inquiry = create(desk)
    response = desk.post(f"/inquiries/{inquiry['id']}/agree-reply-time",
                         json={"agreed_reply_at": (utcnow() - timedelta(hours=1)).isoformat()})
    assert response.status_code == 422 and "agreed_reply_at" in response.get_json()["error"]["fields"]


def test_naive_agreed_time_is_read_on_the_tenants_clock(desk):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(hours=2)).replace(second=0, microsecond=0)
    inquiry = create(desk, agreed_reply_at=local.replace(tzinfo=None).isoformat())
    assert datetime.fromisoformat(inquiry["agreed_reply_at"]) == local


def test_bad_input_is_422_never_500(desk):
    for body in ({"channel": "fax"}, {"category": "no-such"}, {"department": "nope", "subject": "x"},
                 {"agreed_reply_at": "not a time"}, {"requester": "张三"}, {"important": "maybe"},
                 {"agreed_reply_at": "0001-01-01T00:00:00"}, {"agreed_reply_at": "9999-12-31T23:59:59"}):
        response = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "x",
                                                 **body})
        assert response.status_code == 422, (body, response.get_json())
    inquiry = create(desk)
    response = desk.post(f"/inquiries/{inquiry['id']}/replies", json={"body": ""})
    assert response.status_code == 422


def test_unknown_inquiry_is_404(desk):
    assert desk.get("/inquiries/01ARZ3NDEKTSV4RRFFQ69G5FAV").status_code == 404
    response = desk.post("/inquiries/01ARZ3NDEKTSV4RRFFQ69G5FAV/replies", json={})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_every_step_is_audited(app, desk, tenant_a):
    import sqlalchemy as sa

    from core.audit import AuditEvent
    from core.extensions import db
    from core.tenancy import tenant_context

    inquiry = create(desk)
    step(desk, inquiry, "forward", {"department": "engineering", "remark": "请上门"})
    step(desk, inquiry, "replies", {"body": "已修好", "final": True}, 201)
    step(desk, inquiry, "close")
    with tenant_context(tenant_a):
        actions = db.session.execute(
            sa.select(AuditEvent.action).where(AuditEvent.object_id == inquiry["id"])
            .order_by(AuditEvent.at, AuditEvent.id)).scalars().all()
    assert actions == ["inquiry.created", "inquiry.forwarded", "inquiry.answered", "inquiry.closed"]


def test_nul_characters_are_422_not_a_database_error(desk):
    response = desk.post("/inquiries", json={"channel": "phone", "requester": CALLER, "subject": "a\x00b"})
    assert response.status_code == 422
    assert desk.get("/inquiries?q=%00").status_code == 422


class Refuser:
    """A plugin that watches inquiries and refuses to let them be referred."""

    seen: list = []

    @staticmethod
    def _hooks():
        from core.plugin_system import hookimpl

        class Plugin:
            @hookimpl
            def inquiry_created(self, inquiry, actor):
                Refuser.seen.append(("created", inquiry.number))

            @hookimpl
            def inquiry_changed(self, inquiry, event, actor):
                from core.errors import RuleViolation

                Refuser.seen.append((event.kind, inquiry.number))
                if event.kind == "referred":
                    raise RuleViolation("test.no_referrals", "No referrals here.")

        return Plugin()


@pytest.fixture
def refuser(app):
    from core.plugin_system.manager import PluginSystem

    system: PluginSystem = app.extensions["consultdesk.plugins"]
    plugin = Refuser._hooks()
    system.pm.register(plugin, name="test_refuser")
    Refuser.seen = []
    yield Refuser
    system.pm.unregister(plugin)


def test_plugins_see_every_step_and_a_refusal_rolls_it_back(desk, refuser):
    inquiry = create(desk)
    step(desk, inquiry, "forward", {"department": "engineering", "remark": "请上门"})
    response = desk.post(f"/inquiries/{inquiry['id']}/refer", json={"to": "街道办", "contact": "123"})
    assert response.status_code == 422 and response.get_json()["error"]["rule"] == "test.no_referrals"
    assert desk.get(f"/inquiries/{inquiry['id']}").get_json()["status"] == "forwarded"
    kinds = [e["kind"] for e in desk.get(f"/inquiries/{inquiry['id']}/timeline").get_json()["items"]]
    assert kinds == ["created", "forwarded"]
    assert refuser.seen == [("created", inquiry["number"]), ("forwarded", inquiry["number"]),
                            ("referred", inquiry["number"])]
