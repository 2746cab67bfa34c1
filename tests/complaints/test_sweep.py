"""Sweep jobs: overdue appeals to the lead, overdue suggestions and return visits to the handler,
passed corrective deadlines to the lead; each once, however often the sweep runs."""

from datetime import date

from core.complaints import service
from core.sweep import run_sweep
from tests.complaints.factories import (
    APPEAL,
    SUGGESTION,
    acting,
    disable,
    local,
    notifications,
    service_case,
    set_params,
)


def sweep(now) -> dict:
    return {run.job: run.count for run in run_sweep(now) if run.tenant == "alpha"}


def test_overdue_appeal_without_findings_is_flagged_to_the_lead_once(staff, tenant_a):
    late = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    answered = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 5))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(answered.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 30, 11, 0))
        service.record_findings(complaint, {"findings": "不属实"}, handler, now=local(2026, 10, 9, 9, 0))
    assert sweep(local(2026, 10, 10, 23, 0))["complaints.overdue_appeals"] == 0  # due that day
    assert sweep(local(2026, 10, 11, 8, 0))["complaints.overdue_appeals"] == 1
    flagged = notifications(tenant_a, "complaint.appeal_overdue")
    assert [(n.recipient_id, n.object_id) for n in flagged] == [(staff.ids["lead"], late.id)]
    assert sweep(local(2026, 10, 12, 8, 0))["complaints.overdue_appeals"] == 0
    assert len(notifications(tenant_a, "complaint.appeal_overdue")) == 1


def test_overdue_appeals_are_not_flagged_when_the_tenant_says_so(staff, tenant_a):
    service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    set_params(staff.admin, "core.complaint.respond_within", {"flag_overdue": False})
    assert sweep(local(2026, 10, 20))["complaints.overdue_appeals"] == 0
    disable(staff.admin, "core.complaint.respond_within")
    assert sweep(local(2026, 10, 20))["complaints.overdue_appeals"] == 0
    assert notifications(tenant_a, "complaint.appeal_overdue") == []


def test_overdue_suggestion_reminds_its_handler(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["clerk"], {**SUGGESTION, "handler_id": staff.ids["handler"]},
                        now=local(2026, 9, 29, 10, 0))
    assert sweep(local(2026, 10, 10, 9, 0))["complaints.overdue_suggestions"] == 1
    assert sweep(local(2026, 10, 11, 9, 0))["complaints.overdue_suggestions"] == 0
    reminders = notifications(tenant_a, "complaint.suggestion_overdue")
    assert [(n.recipient_id, n.object_id) for n in reminders] == [(staff.ids["handler"], case.id)]


def test_overdue_suggestions_without_the_rule(staff, tenant_a):
    disable(staff.admin, "core.complaint.suggestion_reply")
    service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 29, 10, 0))
    assert sweep(local(2026, 12, 1))["complaints.overdue_suggestions"] == 0


def _upheld(tenant_a, staff):
    case = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(case.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 30, 11, 0))
        service.record_findings(complaint, {"findings": "属实", "outcome": "upheld"}, handler,
                                now=local(2026, 10, 8, 9, 0))
    with acting(tenant_a, staff.ids["lead"]) as lead:
        service.approve(service.find(case.id), {}, lead, now=local(2026, 10, 8, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        service.resolve(service.find(case.id), {"sanction": "检讨", "corrective_action": "培训",
                                                "corrective_due_at": date(2026, 10, 20)},
                        handler, now=local(2026, 10, 8, 11, 0))
    return case


def test_passed_corrective_deadline_goes_to_the_lead(staff, tenant_a):
    case = _upheld(tenant_a, staff)
    assert sweep(local(2026, 10, 20, 18, 0))["complaints.corrective_deadlines"] == 0
    assert sweep(local(2026, 10, 21, 8, 0))["complaints.corrective_deadlines"] == 1
    assert sweep(local(2026, 10, 22, 8, 0))["complaints.corrective_deadlines"] == 0
    flagged = notifications(tenant_a, "complaint.corrective_due")
    assert [(n.recipient_id, n.object_id) for n in flagged] == [(staff.ids["lead"], case.id)]


def test_corrective_deadlines_without_the_rule(staff, tenant_a):
    _upheld(tenant_a, staff)
    disable(staff.admin, "core.complaint.upheld_correction")
    assert sweep(local(2026, 11, 1))["complaints.corrective_deadlines"] == 0


def _answered_on_the_spot(tenant_a, staff):
    case = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 30, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(case.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 30, 10, 5))
        service.resolve(complaint, {"on_the_spot": True, "agreed_action": "增加座椅", "opinion": "a",
                                    "reason": "b", "proposal": "c", "contact": "d"},
                        handler, now=local(2026, 9, 30, 10, 30))
        service.reply(complaint, {"result_text": "已采纳"}, handler, now=local(2026, 9, 30, 10, 40))
    return case


def test_return_visit_reminds_the_handler_on_its_day(staff, tenant_a):
    case = _answered_on_the_spot(tenant_a, staff)
    assert sweep(local(2026, 10, 9, 18, 0))["complaints.follow_ups_due"] == 0
    assert sweep(local(2026, 10, 10, 8, 0))["complaints.follow_ups_due"] == 1
    assert sweep(local(2026, 10, 10, 9, 0))["complaints.follow_ups_due"] == 0
    reminders = notifications(tenant_a, "complaint.follow_up_due")
    assert [(n.recipient_id, n.object_id) for n in reminders] == [(staff.ids["handler"], case.id)]


def test_done_return_visits_and_disabled_rule_remind_nobody(staff, tenant_a):
    case = _answered_on_the_spot(tenant_a, staff)
    with acting(tenant_a, staff.ids["handler"]) as handler:
        service.follow_up(service.find(case.id), {"notes": "已落实"}, handler, now=local(2026, 10, 9, 9, 0))
    assert sweep(local(2026, 10, 12))["complaints.follow_ups_due"] == 0
    _answered_on_the_spot(tenant_a, staff)
    disable(staff.admin, "core.complaint.follow_up_visit")
    assert sweep(local(2026, 10, 12))["complaints.follow_ups_due"] == 0


def test_sweeping_twice_creates_nothing_new(staff, tenant_a):
    service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 30, 10, 0))
    _upheld(tenant_a, staff)
    _answered_on_the_spot(tenant_a, staff)
    first = sweep(local(2026, 11, 2))
    count = len(notifications(tenant_a))
    assert sum(v for k, v in first.items() if k.startswith("complaints.")) == 4
    second = sweep(local(2026, 11, 3))
    assert sum(v for k, v in second.items() if k.startswith("complaints.")) == 0
    assert len(notifications(tenant_a)) == count
