"""Disclosures: break-glass gives out the exact fields only, tells the supervisors, is audited
(core.record.break_glass); a lawful request records authority and basis and releases the
record unaltered (core.record.lawful_request)."""

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.notifications.models import Notification
from core.records.models import DISCLOSABLE_FIELDS, Disclosure
from core.tenancy import tenant_context
from tests.records.helpers import audit_events, enable_record_rules, make_staff, new_record, set_rules

SUBJECT = dict(subject_name="李浩然", subject_phone="13912345678", subject_id_card="440106201107150032",
               subject_address="广州市天河区天河路88号", body="手臂有划痕，说“有时候不想活了”。")
BREAK_GLASS = {"reason": "学生有自伤风险，需家长立即到校", "recipients": ["班主任 陈老师", "家长 李先生"],
               "fields": ["subject_name", "subject_phone"]}


@pytest.fixture
def staff(client, tenant_a, admin_a):
    enable_record_rules(admin_a)
    return make_staff(client, tenant_a, admin_a, extra={"supervisor2": ["supervisor"]})


def _notifications(tenant, kind):
    with tenant_context(tenant):
        return db.session.execute(sa.select(Notification).where(Notification.kind == kind)).scalars().all()


def test_break_glass_gives_out_exactly_the_named_fields(staff, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential", **SUBJECT)
    response = owner.post(f"/records/{record['id']}/disclosures", json=BREAK_GLASS)
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    assert result["type"] == "break_glass" and result["fields"] == ["subject_name", "subject_phone"]
    assert result["disclosed"] == {"subject_name": "李浩然", "subject_phone": "13912345678"}
    assert result["recipients"] == BREAK_GLASS["recipients"] and result["reason"] == BREAK_GLASS["reason"]
    with tenant_context(tenant_a):
        row = db.session.execute(sa.select(Disclosure)).scalar_one()
        assert row.fields == ["subject_name", "subject_phone"] and row.disclosed_by == staff.users["owner"].id
    event = audit_events(tenant_a, "record.disclosed", object_id=record["id"])[0]
    assert event.details["fields"] == ["subject_name", "subject_phone"]
    assert event.details["recipients"] == BREAK_GLASS["recipients"]
    notes = _notifications(tenant_a, "record.break_glass")
    assert {n.recipient_id for n in notes} == {staff.users["supervisor"].id, staff.users["supervisor2"].id}
    assert all("不想活" not in n.body for n in notes)  # the supervisors learn of it, not its content
    shown = owner.get(f"/records/{record['id']}").get_json()["disclosures"]
    assert [d["id"] for d in shown] == [result["id"]]


def test_break_glass_needs_reason_recipients_and_exact_fields(staff):
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential", **SUBJECT)
    path = f"/records/{record['id']}/disclosures"
    no_fields = owner.post(path, json={**BREAK_GLASS, "fields": []})
    assert no_fields.status_code == 422 and no_fields.get_json()["error"]["rule"] == "core.record.break_glass"
    unknown = owner.post(path, json={**BREAK_GLASS, "fields": ["subject_name", "password_hash"]})
    assert unknown.status_code == 422 and unknown.get_json()["error"]["code"] == "validation_error"
    assert "fields" in unknown.get_json()["error"]["fields"]
    assert owner.post(path, json={**BREAK_GLASS, "reason": " "}).status_code == 422
    assert owner.post(path, json={**BREAK_GLASS, "recipients": []}).status_code == 422


def test_break_glass_rule_off_whole_record_and_nobody_told(staff, tenant_a):
    set_rules(staff.admin, {"core.record.break_glass": {"enabled": False}})
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential", **SUBJECT)
    response = owner.post(f"/records/{record['id']}/disclosures", json={**BREAK_GLASS, "fields": []})
    assert response.status_code == 201, response.get_json()
    assert sorted(response.get_json()["disclosed"]) == sorted(DISCLOSABLE_FIELDS)
    assert _notifications(tenant_a, "record.break_glass") == []


def test_notify_supervisor_parameter(staff, tenant_a):
    set_rules(staff.admin, {"core.record.break_glass": {"params": {"notify_supervisor": False}}})
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential", **SUBJECT)
    assert owner.post(f"/records/{record['id']}/disclosures", json=BREAK_GLASS).status_code == 201
    assert _notifications(tenant_a, "record.break_glass") == []


def test_who_may_disclose(staff, tenant_a):
    record = new_record(staff.api("owner"), confidentiality="confidential", **SUBJECT)
    path = f"/records/{record['id']}/disclosures"
    # not a reader: refused and the attempt audited
    assert staff.api("other_desk").post(path, json=BREAK_GLASS).status_code == 403
    assert staff.api("supervisor").post(path, json=BREAK_GLASS).status_code == 403
    refused = audit_events(tenant_a, "record.read_refused", object_id=record["id"])
    assert [e.details["via"] for e in refused] == ["disclosure", "disclosure"]
    # the archivist reads it but holds no records.disclose and does not own it
    assert staff.api("archivist").post(path, json=BREAK_GLASS).status_code == 403
    # a supervisor who is a reader (community centre) may
    readers = {"readers": ["archivist", "supervisor"]}
    set_rules(staff.admin, {"core.record.confidentiality": {"params": readers}})
    assert staff.api("supervisor").post(path, json=BREAK_GLASS).status_code == 201


def test_lawful_request_needs_authority_and_basis_and_releases_unaltered(staff, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential", **SUBJECT)
    path = f"/records/{record['id']}/disclosures"
    missing = owner.post(path, json={"type": "lawful_request", "authority": "天河区公安分局"})
    assert missing.status_code == 422 and missing.get_json()["error"]["rule"] == "core.record.lawful_request"
    response = owner.post(path, json={"type": "lawful_request", "authority": "天河区公安分局",
                                      "legal_basis": "《刑事诉讼法》第五十四条 调取证据通知书",
                                      "fields": ["subject_name"]})
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    assert result["fields"] == list(DISCLOSABLE_FIELDS)  # the whole record, whatever was asked
    assert result["disclosed"]["body"] == SUBJECT["body"]
    assert result["disclosed"]["subject_id_card"] == SUBJECT["subject_id_card"]
    assert result["recipients"] == ["天河区公安分局"] and result["authority"] == "天河区公安分局"
    event = audit_events(tenant_a, "record.disclosed", object_id=record["id"])[0]
    assert event.details["legal_basis"].startswith("《刑事诉讼法》")
    assert _notifications(tenant_a, "record.break_glass") == []


def test_lawful_request_rule_off(staff):
    set_rules(staff.admin, {"core.record.lawful_request": {"enabled": False}})
    owner = staff.api("owner")
    record = new_record(owner, **SUBJECT)
    response = owner.post(f"/records/{record['id']}/disclosures", json={"type": "lawful_request"})
    assert response.status_code == 201 and response.get_json()["disclosed"]["body"] == SUBJECT["body"]
