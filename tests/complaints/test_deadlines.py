"""Deadlines in working days, across the National Day week of 2026 (1–7 October off, Saturday
10 October a make-up working day), with explicit moments passed to the service."""

from core.complaints import service
from tests.complaints.factories import APPEAL, SUGGESTION, acting, local, service_case, set_params


def test_an_appeal_on_30_september_is_due_at_the_end_of_saturday_10_october(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    assert case.due_at == local(2026, 10, 10, 23, 59, 59)  # 8th, 9th, 10th (make-up Saturday)
    assert case.number == "SS-20260930-001"


def test_a_case_registered_during_the_holiday(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 10, 3, 16, 0))
    assert case.due_at == local(2026, 10, 10, 23, 59, 59)


def test_a_suggestion_on_29_september_is_due_on_9_october(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 29, 15, 0))
    assert case.due_at == local(2026, 10, 9, 23, 59, 59)  # 30 Sept, 8 Oct, 9 Oct


def test_the_number_of_working_days_is_the_tenants(staff, tenant_a):
    set_params(staff.admin, "core.complaint.respond_within", {"working_days": 5})
    set_params(staff.admin, "core.complaint.suggestion_reply", {"working_days": 1})
    appeal = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    assert appeal.due_at == local(2026, 10, 13, 23, 59, 59)  # 8, 9, 10, 12, 13
    suggestion = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 30, 10, 0))
    assert suggestion.due_at == local(2026, 10, 8, 23, 59, 59)


def test_numbers_count_per_kind_and_local_day(staff, tenant_a):
    # 23:30 on 30 Sept in Shanghai is still 30 Sept there, though 15:30 UTC
    first = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 23, 30))
    second = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 23, 40))
    other = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 30, 23, 45))
    next_day = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 10, 1, 0, 5))
    assert [first.number, second.number, other.number, next_day.number] == [
        "SS-20260930-001", "SS-20260930-002", "YJ-20260930-001", "SS-20261001-001"]


def test_late_findings_and_late_replies_are_flagged(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], APPEAL, now=local(2026, 9, 30, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(case.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 30, 11, 0))
        assert not complaint.overdue_at(local(2026, 10, 10, 23, 0))
        assert complaint.overdue_at(local(2026, 10, 11, 9, 0))
        service.record_findings(complaint, {"findings": "属实", "outcome": "not_upheld"}, handler,
                                now=local(2026, 10, 12, 9, 0))
        assert complaint.late
    with acting(tenant_a, staff.ids["lead"]) as lead:
        complaint = service.find(case.id)
        service.approve(complaint, {}, lead, now=local(2026, 10, 12, 10, 0))
        service.reply(complaint, {"result_text": "不属实"}, lead, now=local(2026, 10, 12, 11, 0))
        data = service.detail(complaint, lead, now=local(2026, 10, 12, 12, 0))
    assert data["late"] and not data["overdue"]
    assert [s["details"].get("late") for s in data["timeline"]][-3:] == [True, None, True]


def test_a_suggestion_answered_in_time_is_not_late(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 30, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(case.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 30, 10, 5))
        service.resolve(complaint, {"agreed_action": "增加座椅"}, handler, now=local(2026, 10, 9, 9, 0))
        service.reply(complaint, {"result_text": "已安排"}, handler, now=local(2026, 10, 10, 20, 0))
        assert not complaint.late and not complaint.overdue_at(local(2026, 10, 20))


def test_return_visit_due_three_working_days_after_implementation(staff, tenant_a):
    case = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 30, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(case.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 30, 10, 5))
        # settled on the spot: implemented at once, the visit 3 WD later
        service.resolve(complaint, {"on_the_spot": True, "agreed_action": "增加座椅", "opinion": "a",
                                    "reason": "b", "proposal": "c", "contact": "d"},
                        handler, now=local(2026, 9, 30, 11, 0))
        assert complaint.implemented_at == local(2026, 9, 30, 11, 0)
        assert complaint.follow_up_due_at == local(2026, 10, 10, 23, 59, 59)


def test_return_visit_within_three_working_days_of_a_later_implementation(staff, tenant_a):
    from datetime import date

    case = service_case(tenant_a, staff.ids["handler"], SUGGESTION, now=local(2026, 9, 28, 10, 0))
    with acting(tenant_a, staff.ids["handler"]) as handler:
        complaint = service.find(case.id)
        service.acknowledge(complaint, handler, now=local(2026, 9, 28, 10, 5))
        service.resolve(complaint, {"agreed_action": "下月更换座椅", "implemented_at": date(2026, 9, 30)},
                        handler, now=local(2026, 9, 29, 9, 0))
        assert complaint.follow_up_due_at == local(2026, 10, 10, 23, 59, 59)
