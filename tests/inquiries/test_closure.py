"""Closing an inquiry: the satisfaction survey (core.satisfaction_survey) and the follow-up
contact scheduled by the tenant's parameter (core.follow_up)."""

from datetime import timedelta

import sqlalchemy as sa

from core.extensions import db
from core.followups.models import FollowUp, Survey
from core.tenancy import tenant_context, utcnow


def answered(api) -> dict:
    response = api.post("/inquiries", json={"channel": "phone", "requester": {"name": "李女士"},
                                            "subject": "停车位", "answer": "地下车库B区有空位"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_closing_needs_a_survey_and_records_it(admin_a, tenant_a):
    inquiry = answered(admin_a)
    refused = admin_a.post(f"/inquiries/{inquiry['id']}/close")
    assert refused.status_code == 422 and refused.get_json()["error"]["rule"] == "core.satisfaction_survey"
    closed = admin_a.post(f"/inquiries/{inquiry['id']}/close",
                          json={"survey": {"score": 4, "suggestions": "车位标识再清楚些"}})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    with tenant_context(tenant_a):
        survey = db.session.execute(sa.select(Survey)).scalar_one()
    assert (survey.object_type, survey.object_id, survey.score) == ("inquiries", inquiry["id"], 4)


def test_a_survey_on_file_or_a_refusal_is_enough(admin_a):
    inquiry = answered(admin_a)
    assert admin_a.post("/surveys", json={"object_type": "inquiries", "object_id": inquiry["id"],
                                          "score": 5}).status_code == 201
    assert admin_a.post(f"/inquiries/{inquiry['id']}/close").status_code == 200
    other = answered(admin_a)
    assert admin_a.post(f"/inquiries/{other['id']}/close",
                        json={"survey": {"declined": True}}).status_code == 200


def test_without_the_rule_closing_needs_no_survey(admin_a):
    admin_a.patch("/policy", json={"rules": {"core.satisfaction_survey": {"enabled": False}}})
    inquiry = answered(admin_a)
    assert admin_a.post(f"/inquiries/{inquiry['id']}/close").status_code == 200


def test_closing_schedules_the_follow_up_for_the_clerk(admin_a, tenant_a):
    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"params": {"after_days": 30}}}})
    inquiry = answered(admin_a)
    before = utcnow()
    admin_a.post(f"/inquiries/{inquiry['id']}/close", json={"survey": {"score": 5}})
    with tenant_context(tenant_a):
        follow_up = db.session.execute(sa.select(FollowUp)).scalar_one()
    assert follow_up.object_id == inquiry["id"] and follow_up.assignee_id == inquiry["created_by"]
    assert before + timedelta(days=30) <= follow_up.due_at <= utcnow() + timedelta(days=30)
    assert inquiry["number"] in follow_up.summary


def test_without_the_follow_up_rule_nothing_is_scheduled(admin_a, tenant_a):
    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"enabled": False}}})
    inquiry = answered(admin_a)
    admin_a.post(f"/inquiries/{inquiry['id']}/close", json={"survey": {"score": 5}})
    with tenant_context(tenant_a):
        assert db.session.execute(sa.select(FollowUp)).first() is None
