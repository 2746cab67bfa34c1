"""Every core.complaint.* rule refuses when enabled, and stops refusing when the tenant disables it.

(core.complaint.confidential and core.complaint.repeat have files of their own.)
"""

from tests.complaints.factories import (
    APPEAL,
    SUGGESTION,
    disable,
    notifications,
    register,
    set_params,
    step,
)


def rule_of(response) -> str | None:
    return response.get_json()["error"].get("rule")


def _appeal_with_findings(staff, outcome="not_upheld", **extra) -> str:
    cid = register(staff.handler, **extra)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "findings", findings="调查结果", outcome=outcome)
    return cid


def _resolved_suggestion(staff) -> str:
    cid = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "resolve", agreed_action="增加座椅")
    step(staff.handler, cid, "reply", result_text="已安排增加座椅")
    return cid


# --- core.complaint.kind ---------------------------------------------------------------------


def test_kind_refuses_a_channel_the_policy_does_not_list(staff):
    response = staff.handler.post("/complaints", json={**APPEAL, "channel": "wechat"})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.kind"
    assert "wechat" in response.get_json()["error"]["message"]


def test_kind_channels_are_the_tenants_own(staff):
    set_params(staff.admin, "core.complaint.kind", {"channels": ["phone", "wechat"]})
    assert register(staff.handler, channel="wechat")["channel"] == "wechat"
    response = staff.handler.post("/complaints", json={**APPEAL, "channel": "email"})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.kind"


def test_kind_disabled_accepts_any_channel(staff):
    disable(staff.admin, "core.complaint.kind")
    assert register(staff.handler, channel="wechat")["channel"] == "wechat"


# --- core.complaint.register -----------------------------------------------------------------


def test_register_requires_name_phone_channel_and_demand(staff):
    for missing in ("name", "phone", "channel", "demand"):
        body = {**APPEAL, missing: None}
        response = staff.handler.post("/complaints", json=body)
        assert response.status_code == 422, missing
        assert rule_of(response) == "core.complaint.register"
    response = staff.handler.post("/complaints", json={"kind": "suggestion", "content": "只说了一句话"})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.register"


def test_register_disabled_needs_only_the_content(staff):
    disable(staff.admin, "core.complaint.register")
    case = register(staff.handler, {"kind": "suggestion", "content": "匿名：走廊太暗"})
    assert case["name"] is None and case["handler"]["name"] == "李静" and case["due_at"]
    response = staff.handler.post("/complaints", json={"kind": "suggestion", "content": "   "})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "validation_error"


# --- core.complaint.respond_within ------------------------------------------------------------


def test_respond_within_tells_the_lead_at_registration(staff, tenant_a):
    case = register(staff.handler)
    notes = notifications(tenant_a, "complaint.appeal_registered")
    assert [n.recipient_id for n in notes] == [staff.ids["lead"]]
    assert case["number"] in notes[0].title and notes[0].url.endswith(case["id"])


def test_respond_within_refuses_the_result_before_the_lead_approves(staff):
    cid = _appeal_with_findings(staff)
    response = staff.handler.post(f"/complaints/{cid}/reply", json={"result_text": "不属实"})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.respond_within"
    assert response.get_json()["error"]["clause"] == "S3 §62(二)"
    step(staff.lead, cid, "approve")
    assert step(staff.handler, cid, "reply", result_text="不属实")["status"] == "replied"


def test_respond_within_lead_role_names_the_lead(staff):
    set_params(staff.admin, "core.complaint.respond_within", {"lead_role": "supervisor"})
    cid = _appeal_with_findings(staff)
    case = staff.handler.get(f"/complaints/{cid}").get_json()
    assert case["lead"]["name"] == "赵强"
    assert staff.lead.post(f"/complaints/{cid}/approve", json={}).status_code == 403
    assert step(staff.supervisor, cid, "approve")["approved_by"]["name"] == "赵强"


def test_respond_within_disabled(staff, tenant_a):
    disable(staff.admin, "core.complaint.respond_within")
    case = register(staff.handler)
    assert case["due_at"] is None
    assert notifications(tenant_a, "complaint.appeal_registered") == []
    cid = case["id"]
    step(staff.handler, cid, "acknowledge")
    step(staff.handler, cid, "findings", findings="不属实", outcome="not_upheld")
    replied = step(staff.handler, cid, "reply", result_text="经调查不属实")
    assert replied["status"] == "replied" and replied["outcome"] == "not_upheld"


# --- core.complaint.suggestion_reply -----------------------------------------------------------


def test_suggestion_reply_informs_the_lead_and_sets_a_deadline(staff, tenant_a):
    case = register(staff.handler, SUGGESTION)
    assert case["due_at"]
    assert [n.recipient_id for n in notifications(tenant_a, "complaint.suggestion_registered")] == [
        staff.ids["lead"]]


def test_suggestion_reply_on_the_spot_needs_the_notes_of_the_talk(staff):
    cid = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, cid, "acknowledge")
    response = staff.handler.post(f"/complaints/{cid}/resolve", json={
        "on_the_spot": True, "agreed_action": "增加座椅", "opinion": "座椅太少"})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.suggestion_reply"


def test_suggestion_reply_disabled(staff, tenant_a):
    disable(staff.admin, "core.complaint.suggestion_reply")
    case = register(staff.handler, SUGGESTION)
    assert case["due_at"] is None
    assert notifications(tenant_a, "complaint.suggestion_registered") == []
    step(staff.handler, case["id"], "acknowledge")
    resolved = step(staff.handler, case["id"], "resolve", on_the_spot=True, agreed_action="增加座椅")
    assert resolved["status"] == "resolved"


# --- core.complaint.follow_up_visit ------------------------------------------------------------


def test_follow_up_visit_comes_before_closing(staff):
    cid = _resolved_suggestion(staff)
    response = staff.handler.post(f"/complaints/{cid}/close")
    assert response.status_code == 422 and rule_of(response) == "core.complaint.follow_up_visit"
    response = staff.handler.post(f"/complaints/{cid}/follow-up", json={"notes": "已落实", "thanked": False})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.follow_up_visit"
    step(staff.handler, cid, "follow-up", notes="已落实并致谢")
    assert step(staff.handler, cid, "close")["status"] == "closed"


def test_follow_up_visit_asks_satisfaction_only_when_the_policy_does(staff):
    cid = _resolved_suggestion(staff)
    response = staff.handler.post(f"/complaints/{cid}/follow-up",
                                  json={"notes": "已落实", "satisfaction": "satisfied"})
    assert response.status_code == 422 and "satisfaction" in response.get_json()["error"]["fields"]
    set_params(staff.admin, "core.complaint.follow_up_visit", {"satisfaction_question": True})
    visited = step(staff.handler, cid, "follow-up", notes="已落实", satisfaction="satisfied")
    assert visited["satisfaction"] == "satisfied"


def test_follow_up_visit_disabled(staff):
    disable(staff.admin, "core.complaint.follow_up_visit")
    cid = register(staff.handler, SUGGESTION)["id"]
    step(staff.handler, cid, "acknowledge")
    resolved = step(staff.handler, cid, "resolve", on_the_spot=True, agreed_action="增加座椅",
                    opinion="a", reason="b", proposal="c", contact="d")
    assert resolved["follow_up_due_at"] is None
    step(staff.handler, cid, "reply", result_text="已安排")
    assert step(staff.handler, cid, "close")["status"] == "closed"


def test_follow_up_visit_disabled_does_not_require_thanks(staff):
    disable(staff.admin, "core.complaint.follow_up_visit")
    cid = _resolved_suggestion(staff)
    assert step(staff.handler, cid, "follow-up", notes="已落实", thanked=False)["status"] == "followed_up"


# --- core.complaint.upheld_correction ----------------------------------------------------------


def test_upheld_correction_requires_sanction_and_correction_with_deadline(staff):
    for outcome in ("upheld", "partly"):
        cid = _appeal_with_findings(staff, outcome)
        step(staff.lead, cid, "approve")
        response = staff.handler.post(f"/complaints/{cid}/reply", json={"result_text": "属实"})
        assert response.status_code == 422 and rule_of(response) == "core.complaint.upheld_correction"
        response = staff.handler.post(f"/complaints/{cid}/resolve",
                                      json={"sanction": "检讨", "corrective_action": "培训"})
        assert response.status_code == 422 and rule_of(response) == "core.complaint.upheld_correction"
        resolved = step(staff.handler, cid, "resolve", sanction="检讨", corrective_action="培训",
                        corrective_due_at="2030-03-01T18:00:00+08:00")
        assert resolved["corrective_due_at"].startswith("2030-03-01T10:00:00")
        step(staff.handler, cid, "reply", result_text="属实，已处理")


def test_upheld_correction_does_not_apply_to_appeals_not_upheld(staff):
    cid = _appeal_with_findings(staff, "not_upheld")
    step(staff.lead, cid, "approve")
    assert step(staff.handler, cid, "resolve", resolution="向来访者解释")["status"] == "resolved"


def test_upheld_correction_disabled(staff):
    disable(staff.admin, "core.complaint.upheld_correction")
    cid = _appeal_with_findings(staff, "upheld")
    step(staff.lead, cid, "approve")
    assert step(staff.handler, cid, "reply", result_text="属实，已处理")["status"] == "replied"


def test_bad_corrective_deadlines_are_422(staff):
    cid = _appeal_with_findings(staff, "upheld")
    step(staff.lead, cid, "approve")
    for value in ("next week", "2030-03-01T18:00:00", 5):
        response = staff.handler.post(f"/complaints/{cid}/resolve", json={
            "sanction": "检讨", "corrective_action": "培训", "corrective_due_at": value})
        assert response.status_code == 422, value
        assert response.get_json()["error"]["code"] == "validation_error"


# --- core.complaint.escalate_hq ----------------------------------------------------------------


def test_escalate_hq_refuses_a_result_without_the_headquarters_phone(staff):
    set_params(staff.admin, "core.complaint.escalate_hq", {"hq_phone": ""})
    cid = _appeal_with_findings(staff)
    step(staff.lead, cid, "approve")
    response = staff.handler.post(f"/complaints/{cid}/reply", json={"result_text": "不属实"})
    assert response.status_code == 422 and rule_of(response) == "core.complaint.escalate_hq"
    assert "hq_phone" in response.get_json()["error"]["message"]
    set_params(staff.admin, "core.complaint.escalate_hq", {"hq_phone": "010-12345678"})
    replied = step(staff.handler, cid, "reply", result_text="不属实")
    assert replied["result_text"].startswith("不属实\n") and "010-12345678" in replied["result_text"]


def test_escalate_hq_disabled(staff):
    disable(staff.admin, "core.complaint.escalate_hq")
    cid = _appeal_with_findings(staff)
    step(staff.lead, cid, "approve")
    replied = step(staff.handler, cid, "reply", result_text="不属实")
    assert replied["result_text"] == "不属实"
