"""Exports: anonymised for discussion (core.record.anonymised_export); unaltered only with the
approver's recorded approval (core.record.no_lending)."""

from datetime import timedelta

import pytest

from core.records.anonymise import anonymise_text
from core.tenancy import utcnow
from tests.records.helpers import audit_events, enable_record_rules, make_staff, new_record, set_rules

SUBJECT = dict(subject_name="王小明", subject_phone="13800138000", subject_email="xm.wang@example.com",
               subject_id_card="44010619900307123X",
               subject_address="广州市天河区天河路123号阳光小区3栋501室")
BODY = ("王小明（身份证 44010619900307123X）今天来访。联系电话 138-0013-8000，母亲手机 13912345678，"
        "家中座机 (020)87654321，邮箱 xm.wang@example.com，另一邮箱 mother_li@163.com。"
        "小明说他住在广州市天河区天河路123号阳光小区3栋501室，外婆家在湖南省长沙市岳麓区麓山南路2号。"
        "父亲身份证号 110101198001011234。本次讨论其学业压力。")
IDENTIFYING = ["王小明", "小明", "13800138000", "138-0013-8000", "13912345678", "87654321",
               "xm.wang@example.com", "mother_li@163.com", "44010619900307123X", "110101198001011234",
               "天河路123号", "阳光小区", "3栋501室", "麓山南路2号", "长沙市"]


@pytest.fixture
def staff(client, tenant_a, admin_a):
    enable_record_rules(admin_a)
    return make_staff(client, tenant_a, admin_a)


def test_anonymised_export_replaces_identifying_data_everywhere(staff):
    owner = staff.api("owner")
    record = new_record(owner, title="王小明 个案记录（电话13800138000）", body=BODY,
                        confidentiality="confidential", **SUBJECT)
    response = owner.get(f"/records/{record['id']}/export?anonymised=1&purpose=case_discussion")
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["anonymised"] is True and result["attachments"] == []
    exported = result["record"]
    text = " ".join(str(v) for v in exported.values())
    for value in IDENTIFYING:
        assert value not in text, value
    assert exported["subject_name"] == "【姓名】" and exported["subject_phone"] == "【电话】"
    assert exported["subject_email"] == "【邮箱】" and exported["subject_id_card"] == "【身份证号】"
    assert exported["subject_address"] == "【地址】"
    for placeholder in ("【姓名】", "【电话】", "【邮箱】", "【身份证号】", "【地址】"):
        assert placeholder in exported["body"], placeholder
    assert exported["title"].startswith("【姓名】 个案记录") and "【电话】" in exported["title"]
    assert "本次讨论其学业压力" in exported["body"]  # the substance stays


def test_the_replace_parameter_chooses_what_is_replaced(staff):
    set_rules(staff.admin, {"core.record.anonymised_export": {"params": {"replace": ["phone", "email"]}}})
    owner = staff.api("owner")
    record = new_record(owner, body=BODY, **SUBJECT)
    exported = owner.get(f"/records/{record['id']}/export?anonymised=1").get_json()
    assert exported["replaced"] == ["phone", "email"]
    body = exported["record"]["body"]
    assert "13912345678" not in body and "mother_li@163.com" not in body
    assert "王小明" in body and "44010619900307123X" in body
    assert exported["record"]["subject_name"] == "王小明"


def test_discussion_exports_must_be_anonymised_unless_the_rule_is_off(staff):
    owner = staff.api("owner")
    record = new_record(owner, body=BODY, **SUBJECT)
    refused = owner.get(f"/records/{record['id']}/export?anonymised=0&purpose=teaching")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["rule"] == "core.record.anonymised_export"
    set_rules(staff.admin, {"core.record.anonymised_export": {"enabled": False}})
    allowed = owner.get(f"/records/{record['id']}/export?anonymised=0&purpose=teaching")
    assert allowed.status_code == 200 and allowed.get_json()["record"]["body"] == BODY
    # with the rule off, an anonymised export still replaces every kind
    anonymous = owner.get(f"/records/{record['id']}/export?anonymised=1").get_json()
    assert sorted(anonymous["replaced"]) == ["address", "email", "id_card", "name", "phone"]


def test_unaltered_export_of_a_confidential_record_needs_an_approval(staff, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner, body=BODY, confidentiality="confidential", **SUBJECT)
    url = f"/records/{record['id']}/export?anonymised=0"
    refused = owner.get(url)
    assert refused.status_code == 422 and refused.get_json()["error"]["rule"] == "core.record.no_lending"
    approval = {"borrower_id": staff.users["owner"].id, "action": "export",
                "purpose": "区教育局个案督导，经家长同意"}
    path = f"/records/{record['id']}/lending-approvals"
    assert staff.api("manager").post(path, json=approval).status_code == 403  # no permission
    not_approver = staff.admin.post(path, json=approval)  # every permission, but not the approver
    assert not_approver.status_code == 422
    assert not_approver.get_json()["error"]["rule"] == "core.record.no_lending"
    approved = staff.api("archivist").post(path, json=approval)
    assert approved.status_code == 201, approved.get_json()
    assert approved.get_json()["approver_id"] == staff.users["archivist"].id
    exported = owner.get(url)
    assert exported.status_code == 200 and exported.get_json()["record"]["body"] == BODY
    assert audit_events(tenant_a, "record.lending_approved", object_id=record["id"])
    read = audit_events(tenant_a, "record.read", object_id=record["id"])[-1]
    assert read.details["via"] == "export" and read.details["approval_id"] == approved.get_json()["id"]
    # the approval is for that user only, and ends
    assert staff.api("archivist").get(url).status_code == 422
    expired = staff.api("archivist").post(path, json={**approval, "expires_at": (
        utcnow() - timedelta(minutes=1)).isoformat()})
    assert expired.status_code == 422


def test_an_archived_normal_record_is_archived_material_too(staff):
    owner = staff.api("owner")
    record = new_record(owner, body="普通工作记录")
    assert owner.get(f"/records/{record['id']}/export?anonymised=0").status_code == 200
    owner.post(f"/records/{record['id']}/close")
    refused = owner.get(f"/records/{record['id']}/export?anonymised=0")
    assert refused.status_code == 422 and refused.get_json()["error"]["rule"] == "core.record.no_lending"
    assert owner.get(f"/records/{record['id']}/export?anonymised=1").status_code == 200


def test_unaltered_export_without_approval_when_no_lending_is_off(staff):
    set_rules(staff.admin, {"core.record.no_lending": {"enabled": False}})
    owner = staff.api("owner")
    record = new_record(owner, body=BODY, confidentiality="confidential", **SUBJECT)
    response = owner.get(f"/records/{record['id']}/export?anonymised=0")
    assert response.status_code == 200 and response.get_json()["record"]["subject_name"] == "王小明"
    # anyone with records.approve_lending may approve while the rule is off
    approved = staff.admin.post(f"/records/{record['id']}/lending-approvals", json={
        "borrower_id": staff.users["owner"].id, "action": "copy", "purpose": "复印给家长"})
    assert approved.status_code == 201


@pytest.mark.parametrize("text, expected", [
    ("电话：0755-12345678转123", "电话：【电话】"),
    ("热线 400-820-8820", "热线 【电话】"),
    ("手机+86 139 1234 5678", "手机【电话】"),
    ("学号 20230115 不是电话", "学号 20230115 不是电话"),
    ("住在幸福家园7号楼2单元302", "住在【地址】"),
    ("北京市朝阳区建国路88号", "【地址】"),
    ("2023年9月第3次来访", "2023年9月第3次来访"),
    ("在社区服务中心", "在社区服务中心"),
    ("身份证 11010519491231002x", "身份证 【身份证号】"),
])
def test_patterns(text, expected):
    kinds = ["name", "phone", "email", "id_card", "address"]
    assert anonymise_text(text, replace=kinds, subject={}) == expected
