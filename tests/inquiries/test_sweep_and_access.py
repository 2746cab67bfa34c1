"""The overdue sweep (once per deadline) and who may do what with inquiries."""

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.notifications.models import Notification
from core.tenancy import tenant_context
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api
from tests.inquiries.factories import local, make_inquiry, utc


def notifications(tenant, kind="inquiry.overdue"):
    with tenant_context(tenant):
        return db.session.execute(sa.select(Notification).where(Notification.kind == kind)
                                  .order_by(Notification.id)).scalars().all()


def sweep(tenant, now):
    from core.inquiries.jobs import JOBS

    [job] = [j for j in JOBS if j.name == "inquiries.overdue"]
    with tenant_context(tenant):
        count = job.run(tenant, now)
        db.session.commit()
    return count


@pytest.fixture
def people(tenant_a):
    return {"desk": make_user(tenant_a, "desk@alpha.test", ["desk"], name="李静"),
            "supervisor": make_user(tenant_a, "sup@alpha.test", ["supervisor"]),
            "manager": make_user(tenant_a, "mgr@alpha.test", ["manager"])}


def test_sweep_notifies_the_desk_and_the_first_escalation_role_once(tenant_a, people):
    late = make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 0),
                        agreed_reply_at=local(2026, 9, 30, 15, 0))
    make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 30),
                 agreed_reply_at=local(2026, 9, 30, 18, 0))  # not yet due at the sweep
    make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 40), answer="已答复")
    at = local(2026, 9, 30, 16, 0)

    assert sweep(tenant_a, at) == 1
    notes = notifications(tenant_a)
    assert {n.recipient_id for n in notes} == {people["desk"].id, people["supervisor"].id}
    assert all(late.number in n.title and n.object_id == late.id for n in notes)

    assert sweep(tenant_a, at) == 0  # running it twice notifies nothing new
    assert len(notifications(tenant_a)) == 2


def test_a_new_deadline_that_is_missed_again_is_notified_again(tenant_a, people):
    from core.identity import service as identity
    from core.inquiries import service

    late = make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 0),
                        agreed_reply_at=local(2026, 9, 30, 15, 0))
    assert sweep(tenant_a, local(2026, 9, 30, 16, 0)) == 1
    with tenant_context(tenant_a):
        actor = identity.find_user_by_email("desk@alpha.test")
        inquiry = service.get_inquiry(late.id, actor)
        service.agree_reply_time(inquiry, local(2026, 10, 8, 10, 0), actor, now=local(2026, 9, 30, 16, 5))
        db.session.commit()
    assert sweep(tenant_a, local(2026, 10, 1, 9, 0)) == 0
    assert sweep(tenant_a, local(2026, 10, 8, 11, 0)) == 1
    assert len(notifications(tenant_a)) == 4


def test_answered_inquiries_are_not_swept(tenant_a, people, client):
    late = make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 0),
                        agreed_reply_at=local(2026, 9, 30, 15, 0))
    desk = sign_in_api(client, "alpha", "desk@alpha.test", USER_PASSWORD)
    desk.post(f"/inquiries/{late.id}/replies", json={"body": "已答复", "final": True})
    assert sweep(tenant_a, local(2026, 10, 30, 9, 0)) == 0


def test_consultdesk_sweep_runs_the_job(runner, tenant_a, people):
    make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 0),
                 agreed_reply_at=local(2026, 9, 30, 15, 0))
    first = runner.invoke(args=["sweep"])
    assert first.exit_code == 0, first.output
    assert "inquiries.overdue" in first.output
    again = runner.invoke(args=["sweep"])
    assert again.exit_code == 0
    assert len(notifications(tenant_a)) == 2


def test_overdue_is_computed_at_the_sweeps_time(tenant_a, people):
    make_inquiry(tenant_a, "desk@alpha.test", now=local(2026, 9, 30, 9, 0))  # due end of Oct 10
    assert sweep(tenant_a, utc(2026, 10, 10, 15, 0)) == 0
    assert sweep(tenant_a, utc(2026, 10, 10, 16, 0)) == 1


# --- permissions --------------------------------------------------------------------------------


@pytest.fixture
def inquiry(tenant_a):
    return make_inquiry(tenant_a)


def api_as(client, tenant, email, roles):
    make_user(tenant, email, roles)
    return sign_in_api(client, "alpha", email, USER_PASSWORD)


@pytest.mark.parametrize("role", ["desk", "supervisor", "manager"])
def test_desk_supervisor_and_manager_handle_inquiries(client, tenant_a, inquiry, role):
    api = api_as(client, tenant_a, f"{role}@alpha.test", [role])
    assert api.get("/inquiries").status_code == 200
    assert api.get("/ledger").status_code == 200
    created = api.post("/inquiries", json={"channel": "phone", "requester": {"name": "王先生"},
                                           "subject": "停车"})
    assert created.status_code == 201
    assert api.post(f"/inquiries/{inquiry.id}/escalate", json={}).status_code == 200
    assert api.post(f"/inquiries/{inquiry.id}/replies", json={"body": "好", "final": True}).status_code == 201


def test_archivist_reads_but_cannot_create_or_handle(client, tenant_a, inquiry):
    api = api_as(client, tenant_a, "arch@alpha.test", ["archivist"])
    assert api.get("/inquiries").status_code == 200
    assert api.get(f"/inquiries/{inquiry.id}").status_code == 200
    assert api.get(f"/inquiries/{inquiry.id}/timeline").status_code == 200
    assert api.get("/ledger?format=csv").status_code == 200
    response = api.post("/inquiries", json={"channel": "phone", "requester": {"name": "王先生"},
                                            "subject": "停车"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    for path, body in (("replies", {"body": "好"}), ("forward", {"department": "engineering", "remark": "x"}),
                       ("refer", {"to": "a", "contact": "b"}), ("close", None), ("escalate", {}),
                       ("agree-reply-time", {"agreed_reply_at": "2099-01-01T00:00:00+00:00"})):
        assert api.post(f"/inquiries/{inquiry.id}/{path}", json=body or {}).status_code == 403, path


def test_a_role_without_inquiry_permissions_sees_nothing(client, tenant_a, inquiry):
    # note_taker comes from the example plugin, like a school plugin's teacher: no inquiry grants
    api = api_as(client, tenant_a, "notes@alpha.test", ["note_taker"])
    for path in ("/inquiries", f"/inquiries/{inquiry.id}", f"/inquiries/{inquiry.id}/timeline", "/ledger"):
        assert api.get(path).status_code == 403, path
    assert api.post("/inquiries", json={"subject": "x"}).status_code == 403
    assert api.post(f"/inquiries/{inquiry.id}/replies", json={"body": "x"}).status_code == 403


def test_permissions_are_in_the_role_book(admin_a, tenant_a):
    roles = {r["name"]: set(r["permissions"]) for r in admin_a.get("/policy").get_json()["roles"]}
    desk = {"inquiries.view", "inquiries.create", "inquiries.handle", "inquiries.escalate", "ledger.view"}
    assert desk <= roles["desk"] and desk <= roles["supervisor"] and desk <= roles["manager"]
    assert desk <= roles["admin"]
    assert roles["archivist"] & desk == {"inquiries.view", "ledger.view"}
    assert not roles["note_taker"] & desk
