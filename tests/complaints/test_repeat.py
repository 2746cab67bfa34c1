"""core.complaint.repeat: a complaint on the same subject within the window is flagged; a repeat
caused by a department's failure of duty (失职) is reported to report_to_role."""

from core.complaints import service
from tests.complaints.factories import (
    APPEAL,
    SUGGESTION,
    acting,
    disable,
    local,
    notifications,
    register,
    service_case,
    set_params,
    step,
)


def test_same_subject_is_flagged_with_the_earlier_case(staff):
    first = register(staff.handler, about="客服部")
    second = register(staff.handler, SUGGESTION, about="  客服部 ", phone="13711112222")
    assert second["flagged_repeat"] is True and second["repeat_of_id"] == first["id"]
    assert first["flagged_repeat"] is False
    third = register(staff.handler, about="KeFu Bu")
    fourth = register(staff.handler, about="kefu  bu")
    assert not third["flagged_repeat"] and fourth["repeat_of_id"] == third["id"]
    rows = staff.handler.get("/complaints?repeat=true").get_json()["items"]
    assert [r["id"] for r in rows] == [fourth["id"], second["id"]]


def test_same_phone_and_category_is_a_repeat_too(staff):
    first = register(staff.handler, about=None, category="repairs")
    other_category = register(staff.handler, about=None, category="fees")
    again = register(staff.handler, about=None, category="repairs", phone="139-0000-1111")
    assert not other_category["flagged_repeat"]
    assert again["flagged_repeat"] and again["repeat_of_id"] == first["id"]


def test_nothing_in_common_is_no_repeat(staff):
    register(staff.handler, about="工程部")
    assert not register(staff.handler, about="保安部")["flagged_repeat"]
    assert not register(staff.handler, about=None)["flagged_repeat"]


def test_only_within_the_window(staff, tenant_a):
    set_params(staff.admin, "core.complaint.repeat", {"window_days": 10})
    service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 1, 10, 0))
    late = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 12, 10, 0))
    soon = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 20, 10, 0))
    assert not late.flagged_repeat
    assert soon.flagged_repeat and soon.repeat_of_id == late.id


def _derelict(staff, **fields) -> dict:
    case = register(staff.handler, **fields)
    step(staff.handler, case["id"], "acknowledge")
    step(staff.handler, case["id"], "findings", findings="部门未落实首问负责制", dereliction=True,
         outcome="upheld")
    return case


def test_a_repeat_after_a_failure_of_duty_is_reported(staff, tenant_a):
    first = _derelict(staff)
    second = register(staff.handler)
    reports = notifications(tenant_a, "complaint.repeat_dereliction")
    assert [(n.recipient_id, n.object_id) for n in reports] == [(staff.ids["lead"], second["id"])]
    assert first["number"] in reports[0].title


def test_report_goes_to_the_role_the_tenant_names(staff, tenant_a):
    set_params(staff.admin, "core.complaint.repeat", {"report_to_role": "supervisor"})
    _derelict(staff)
    register(staff.handler)
    reports = notifications(tenant_a, "complaint.repeat_dereliction")
    assert [n.recipient_id for n in reports] == [staff.ids["supervisor"]]


def test_no_failure_of_duty_no_report(staff, tenant_a):
    case = register(staff.handler)
    step(staff.handler, case["id"], "acknowledge")
    step(staff.handler, case["id"], "findings", findings="个人态度问题", outcome="upheld")
    assert register(staff.handler)["flagged_repeat"]
    assert notifications(tenant_a, "complaint.repeat_dereliction") == []


def test_a_repeat_found_to_be_a_failure_of_duty_is_reported(staff, tenant_a):
    register(staff.handler)
    second = _derelict(staff)
    reports = notifications(tenant_a, "complaint.repeat_dereliction")
    assert [(n.recipient_id, n.object_id) for n in reports] == [(staff.ids["lead"], second["id"])]


def test_disabled_no_flag_and_no_report(staff, tenant_a):
    disable(staff.admin, "core.complaint.repeat")
    _derelict(staff)
    assert not register(staff.handler)["flagged_repeat"]
    assert notifications(tenant_a, "complaint.repeat_dereliction") == []


def test_flag_is_kept_when_the_rule_is_disabled_later(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 1, 10, 0))
    again = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 2, 10, 0))
    disable(staff.admin, "core.complaint.repeat")
    with acting(tenant_a, staff.ids["handler"]):
        assert service.find(again.id).repeat_of_id == case.id
