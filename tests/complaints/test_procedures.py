"""The two procedures step by step over the API: each step allowed, and refused out of turn."""

import pytest

from tests.complaints.factories import APPEAL, SUGGESTION, register, step


def test_register_names_the_handler_and_the_deadline(staff):
    case = register(staff.handler)
    assert case["handler"] == {"id": staff.ids["handler"], "name": "李静"}
    assert case["due_at"] and case["due_at"].endswith("+00:00")
    assert case["number"].startswith("SS-") and case["status"] == "registered"
    assert case["lead"]["name"] == "陈明"
    assert case["phone"] == "13900001111"  # normalised
    assert [s["step"] for s in case["timeline"]] == ["register"]


def test_register_with_a_named_handler(staff):
    case = register(staff.clerk, SUGGESTION, handler_id=staff.ids["supervisor"])
    assert case["kind"] == "suggestion" and case["number"].startswith("YJ-")
    # the registering clerk is not a party: the answer is the acknowledgment only
    assert case["handler"]["name"] == "赵强" and case["due_at"] and "content" not in case


def test_register_refuses_a_handler_who_does_not_handle_complaints(staff):
    response = staff.handler.post("/complaints", json={**APPEAL, "handler_id": staff.ids["archivist"]})
    assert response.status_code == 422 and "handler_id" in response.get_json()["error"]["fields"]
    response = staff.handler.post("/complaints", json={**APPEAL, "handler_id": "01NOSUCHUSER0000000000000"})
    assert response.status_code == 422


def test_register_needs_the_permission(staff):
    response = staff.archivist.post("/complaints", json=APPEAL)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("body", [{}, {"kind": "rant", "content": "x"}, {"kind": "appeal"},
                                  {"kind": "appeal", "content": ""}, {"kind": "appeal", "content": 5}])
def test_register_bad_bodies_are_422(staff, body):
    response = staff.handler.post("/complaints", json=body)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "validation_error"


def test_appeal_lifecycle(staff, tenant_a):
    case = register(staff.handler)
    cid = case["id"]
    assert step(staff.handler, cid, "acknowledge")["status"] == "acknowledged"
    found = step(staff.handler, cid, "findings", findings="属实：未按规范接待。", outcome="upheld")
    assert found["status"] == "investigated" and found["proposed_outcome"] == "upheld"
    approved = step(staff.lead, cid, "approve", note="同意，限期整改")
    assert approved["status"] == "approved" and approved["outcome"] == "upheld"
    assert approved["approved_by"]["name"] == "陈明" and approved["approved_at"]
    resolved = step(staff.handler, cid, "resolve", sanction="书面检讨", corrective_action="服务规范培训",
                    corrective_due_at="2030-01-10")
    assert resolved["status"] == "resolved"
    assert resolved["corrective_due_at"].startswith("2030-01-10T15:59:59")  # end of the day in Shanghai
    replied = step(staff.handler, cid, "reply", result_text="经调查属实，已处理。")
    assert replied["status"] == "replied" and "400-800-1234" in replied["result_text"]
    escalated = step(staff.handler, cid, "escalate", escalation="来访者不满意，已向总部投诉")
    assert escalated["status"] == "escalated" and escalated["hq_outcome"] is None
    step(staff.handler, cid, "close", expect=409)  # headquarters' outcome first
    escalated = step(staff.handler, cid, "escalate", outcome="总部维持原处理结果")
    assert escalated["hq_outcome"] == "总部维持原处理结果"
    closed = step(staff.handler, cid, "close")
    assert closed["status"] == "closed" and closed["archived_at"]
    assert [s["step"] for s in closed["timeline"]] == [
        "register", "acknowledge", "findings", "approve", "resolve", "reply", "escalate", "escalate",
        "close"]


def test_suggestion_lifecycle(staff):
    cid = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, cid, "acknowledge")
    resolved = step(staff.handler, cid, "resolve", on_the_spot=True, opinion="座椅不够", reason="高峰人多",
                    proposal="增加十把座椅", contact="13800002222", agreed_action="本周增加十把座椅")
    assert resolved["status"] == "resolved" and resolved["on_the_spot"] is True
    assert resolved["spot_notes"]["proposal"] == "增加十把座椅" and resolved["follow_up_due_at"]
    assert resolved["outcome"] == "adopted" and resolved["implemented_at"]
    replied = step(staff.handler, cid, "reply", result_text="已采纳，本周落实。")
    assert replied["status"] == "replied" and "400-800-1234" not in replied["result_text"]
    visited = step(staff.handler, cid, "follow-up", notes="已增加座椅，电话告知并致谢。")
    assert visited["status"] == "followed_up" and visited["follow_up_done_at"]
    assert step(staff.handler, cid, "close")["status"] == "closed"


@pytest.mark.parametrize("name,body", [
    ("findings", {"findings": "x"}), ("approve", {}), ("resolve", {"resolution": "x"}),
    ("reply", {"result_text": "x"}), ("follow-up", {"notes": "x"}), ("escalate", {"escalation": "x"}),
    ("close", {})])
def test_steps_before_acknowledgment_are_refused(staff, name, body):
    cid = register(staff.handler, SUGGESTION if name == "follow-up" else APPEAL)["id"]
    api = staff.lead if name == "approve" else staff.handler
    response = api.post(f"/complaints/{cid}/{name}", json=body)
    if name in ("reply", "resolve"):  # nothing goes out before the lead's approval: the rule refuses
        assert response.status_code == 422, response.get_json()
        assert response.get_json()["error"]["rule"] == "core.complaint.respond_within"
    else:
        assert response.status_code == 409, response.get_json()
        assert response.get_json()["error"]["code"] == "conflict"


def test_acknowledge_twice_is_409(staff):
    cid = register(staff.handler)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "acknowledge", expect=409)


@pytest.mark.parametrize("name,body", [("findings", {"findings": "x"}), ("approve", {}),
                                       ("escalate", {"escalation": "x"})])
def test_appeal_steps_on_a_suggestion_are_409(staff, name, body):
    cid = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, cid, "acknowledge")
    api = staff.lead if name == "approve" else staff.handler
    assert api.post(f"/complaints/{cid}/{name}", json=body).status_code == 409


def test_follow_up_on_an_appeal_is_409(staff):
    cid = register(staff.handler)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "follow-up", expect=409, notes="x")


def test_only_the_lead_or_an_admin_approves(staff, tenant_a):
    from tests.fixtures import USER_PASSWORD, make_user, sign_in_api

    cid = register(staff.handler)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "findings", findings="不属实", outcome="not_upheld")
    make_user(tenant_a, "manager2@alpha.test", ["manager"], name="另一位经理")
    other_manager = sign_in_api(staff.handler.client, "alpha", "manager2@alpha.test", USER_PASSWORD)
    for api in (staff.handler, staff.supervisor, other_manager):
        response = api.post(f"/complaints/{cid}/approve", json={})
        assert response.status_code == 403, response.get_json()
    assert step(staff.admin, cid, "approve")["outcome"] == "not_upheld"


def test_approval_needs_an_outcome(staff):
    cid = register(staff.handler)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "findings", findings="调查中发现……")
    response = staff.lead.post(f"/complaints/{cid}/approve", json={})
    assert response.status_code == 422 and "outcome" in response.get_json()["error"]["fields"]
    assert step(staff.lead, cid, "approve", outcome="partly")["outcome"] == "partly"


def test_others_cannot_act_on_the_case(staff):
    cid = register(staff.handler)["id"]
    for api in (staff.clerk, staff.supervisor):
        assert api.post(f"/complaints/{cid}/acknowledge").status_code == 403
    assert staff.archivist.post(f"/complaints/{cid}/acknowledge").status_code == 403
    assert step(staff.lead, cid, "acknowledge")["status"] == "acknowledged"  # the lead may


def test_a_closed_case_is_read_only(staff):
    cid = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "resolve", agreed_action="增加座椅")
    step(staff.handler, cid, "reply", result_text="已安排")
    step(staff.handler, cid, "follow-up", notes="已落实")
    step(staff.handler, cid, "close")
    for name, body in [("acknowledge", {}), ("resolve", {"agreed_action": "x"}),
                       ("reply", {"result_text": "x"}), ("follow-up", {"notes": "x"}), ("close", {})]:
        response = staff.handler.post(f"/complaints/{cid}/{name}", json=body)
        assert response.status_code == 409, (name, response.get_json())
    assert staff.handler.get(f"/complaints/{cid}").get_json()["status"] == "closed"


def test_an_appeal_cannot_close_before_its_reply(staff):
    cid = register(staff.handler)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "close", expect=409)
    step(staff.handler, cid, "findings", findings="不属实", outcome="not_upheld")
    step(staff.handler, cid, "close", expect=409)
    step(staff.lead, cid, "approve")
    step(staff.handler, cid, "close", expect=409)
    step(staff.handler, cid, "reply", result_text="经调查不属实。")
    assert step(staff.handler, cid, "close")["status"] == "closed"


def test_escalation_needs_a_reply_first_and_says_what(staff):
    cid = register(staff.handler)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "escalate", expect=409, escalation="x")
    step(staff.handler, cid, "findings", findings="不属实", outcome="not_upheld")
    step(staff.lead, cid, "approve")
    step(staff.handler, cid, "reply", result_text="不属实")
    assert staff.handler.post(f"/complaints/{cid}/escalate", json={}).status_code == 422
    both = step(staff.handler, cid, "escalate", escalation="向总部投诉", outcome="总部维持")
    assert both["hq_outcome"] == "总部维持"
    step(staff.handler, cid, "escalate", expect=409, outcome="again")


def test_unknown_case_is_404(staff):
    assert staff.handler.get("/complaints/01ARZ3NDEKTSV4RRFFQ69G5FAV").status_code == 404
    response = staff.handler.post("/complaints/01ARZ3NDEKTSV4RRFFQ69G5FAV/findings", json={})
    assert response.status_code == 404


def test_list_filters(staff):
    appeal = register(staff.handler)["id"]
    suggestion = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, suggestion, "acknowledge")

    def ids(query):
        response = staff.handler.get(f"/complaints?{query}")
        assert response.status_code == 200, response.get_json()
        return [row["id"] for row in response.get_json()["items"]]

    assert ids("") == [suggestion, appeal]
    assert ids("kind=appeal") == [appeal]
    assert ids("status=acknowledged") == [suggestion]
    assert ids("overdue=true") == [] and ids("overdue=false") == [suggestion, appeal]
    assert ids("repeat=false") == [suggestion, appeal] and ids("repeat=true") == []
    assert ids("limit=1") == [suggestion]
    assert staff.handler.get("/complaints?kind=rant").status_code == 422
    assert staff.handler.get("/complaints?status=nope").status_code == 422


@pytest.fixture
def recorder(app):
    from core.plugin_system import hookimpl

    class Recorder:
        seen: list = []

        @hookimpl
        def complaint_registered(self, complaint, actor):
            Recorder.seen.append(("registered", complaint.number, actor.name))

        @hookimpl
        def complaint_changed(self, complaint, step, actor):
            from core.errors import RuleViolation

            Recorder.seen.append((step, complaint.status, actor.name))
            if step == "close" and complaint.kind == "appeal":
                raise RuleViolation("test.keep_open", "Appeals stay open here.")

    system = app.extensions["consultdesk.plugins"]
    plugin = Recorder()
    system.pm.register(plugin, name="test_complaint_recorder")
    yield Recorder
    system.pm.unregister(plugin)


def test_plugins_see_every_step_and_may_refuse_one(staff, recorder):
    case = register(staff.handler)
    cid = case["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "findings", findings="不属实", outcome="not_upheld")
    step(staff.lead, cid, "approve")
    step(staff.handler, cid, "reply", result_text="不属实")
    response = staff.handler.post(f"/complaints/{cid}/close")
    assert response.status_code == 422 and response.get_json()["error"]["rule"] == "test.keep_open"
    assert staff.handler.get(f"/complaints/{cid}").get_json()["status"] == "replied"  # rolled back
    assert recorder.seen == [("registered", case["number"], "李静"), ("acknowledge", "acknowledged", "李静"),
                             ("findings", "investigated", "李静"), ("approve", "approved", "陈明"),
                             ("reply", "replied", "李静"), ("close", "closed", "李静")]
