"""core.record.confidentiality: who reads a record, by level, role and the tenant's readers.

Every read, allowed or refused, leaves an audit event; the list leaves out the confidential
records the reader may not read.
"""

from datetime import timedelta

import pytest

from core.extensions import db
from core.records.models import ReadGrant
from core.tenancy import tenant_context, utcnow
from tests.records.helpers import (
    audit_events,
    enable_record_rules,
    make_staff,
    new_record,
    set_rules,
)

WHO = ["owner", "other_desk", "supervisor", "granted_supervisor", "manager", "archivist", "admin"]

# Expected reads of a confidential record under each configuration (readers params or rule off)
CONFIGS = {
    "default": ({"readers": ["archivist"], "grant_roles": [], "never_readers": ["teacher"]},
                {"owner", "archivist"}),
    "community_center": ({"readers": ["archivist", "supervisor"], "grant_roles": [],
                          "never_readers": ["teacher"]},
                         {"owner", "archivist", "supervisor", "granted_supervisor"}),
    "school": ({"readers": ["archivist"], "grant_roles": ["supervisor"], "never_readers": ["teacher"]},
               {"owner", "archivist", "granted_supervisor"}),
    "never_wins": ({"readers": ["archivist", "supervisor"], "grant_roles": ["supervisor"],
                    "never_readers": ["supervisor"]},
                   {"owner", "archivist"}),
    "admin_named": ({"readers": ["admin"], "grant_roles": [], "never_readers": []},
                    {"owner", "archivist", "admin"}),
    "rule_disabled": (None, set(WHO)),
}


@pytest.fixture
def staff(client, tenant_a, admin_a):
    enable_record_rules(admin_a)
    return make_staff(client, tenant_a, admin_a, extra={"granted_supervisor": ["supervisor"]})


def _grant(staff, record_id, user_name, *, expires_in=timedelta(days=1)):
    with tenant_context(staff.tenant):
        db.session.add(ReadGrant(record_id=record_id, grantee_id=staff.users[user_name].id,
                                 granted_by=staff.users["archivist"].id, reason="督导需要",
                                 expires_at=utcnow() + expires_in))
    db.session.commit()


def _actor_id(staff, name):
    return staff.admin.get("/me").get_json()["user"]["id"] if name == "admin" else staff.users[name].id


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_read_matrix(staff, config):
    params, confidential_readers = CONFIGS[config]
    if params is None:
        set_rules(staff.admin, {"core.record.confidentiality": {"enabled": False}})
    else:
        set_rules(staff.admin, {"core.record.confidentiality": {"params": params}})
    owner = staff.api("owner")
    records = {level: new_record(owner, confidentiality=level, title=f"{level} 记录")
               for level in ("normal", "confidential")}
    for record in records.values():
        _grant(staff, record["id"], "granted_supervisor")
    for level, record in records.items():
        for who in WHO:
            response = staff.api(who).get(f"/records/{record['id']}")
            allowed = level == "normal" or who in confidential_readers
            assert response.status_code == (200 if allowed else 403), (config, level, who)
            action = "record.read" if allowed else "record.read_refused"
            events = audit_events(staff.tenant, action, object_id=record["id"],
                                  actor_id=_actor_id(staff, who))
            assert len(events) == 1, (config, level, who)
            assert events[0].details["via"] == "detail"
            if not allowed:
                assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("config", ["default", "school", "rule_disabled"])
def test_list_leaves_out_what_the_reader_may_not_read(staff, config):
    params, confidential_readers = CONFIGS[config]
    if params is None:
        set_rules(staff.admin, {"core.record.confidentiality": {"enabled": False}})
    else:
        set_rules(staff.admin, {"core.record.confidentiality": {"params": params}})
    normal = new_record(staff.api("owner"), title="普通")
    secret = new_record(staff.api("owner"), title="保密", confidentiality="confidential")
    _grant(staff, secret["id"], "granted_supervisor")
    for who in WHO:
        ids = {r["id"] for r in staff.api(who).get("/records").get_json()["items"]}
        assert normal["id"] in ids, who
        assert (secret["id"] in ids) == (who in confidential_readers), (config, who)


def test_grants_expire_and_need_a_grant_role(staff):
    set_rules(staff.admin, {"core.record.confidentiality": {"params": {"grant_roles": ["supervisor"]}}})
    record = new_record(staff.api("owner"), confidentiality="confidential")
    _grant(staff, record["id"], "supervisor", expires_in=timedelta(seconds=-1))
    assert staff.api("supervisor").get(f"/records/{record['id']}").status_code == 403
    # the archivist grants through the API; a manager is not a grant role
    soon = (utcnow() + timedelta(days=2)).isoformat()
    refused = staff.api("archivist").post(f"/records/{record['id']}/grants", json={
        "grantee_id": staff.users["manager"].id, "reason": "查阅", "expires_at": soon})
    assert refused.status_code == 422 and refused.get_json()["error"]["rule"] == "core.record.confidentiality"
    granted = staff.api("archivist").post(f"/records/{record['id']}/grants", json={
        "grantee_id": staff.users["supervisor"].id, "reason": "学生家长申请，负责人查阅", "expires_at": soon})
    assert granted.status_code == 201, granted.get_json()
    assert staff.api("supervisor").get(f"/records/{record['id']}").status_code == 200
    assert audit_events(staff.tenant, "record.read_granted", object_id=record["id"])
    events = audit_events(staff.tenant, "record.read", object_id=record["id"],
                          actor_id=staff.users["supervisor"].id)
    assert events[-1].details["basis"] == "grant"
    # only admins and archivists grant; a grant in the past is refused
    assert staff.api("supervisor").post(f"/records/{record['id']}/grants", json={
        "grantee_id": staff.users["supervisor"].id, "reason": "x", "expires_at": soon}).status_code == 403
    past = staff.admin.post(f"/records/{record['id']}/grants", json={
        "grantee_id": staff.users["supervisor"].id, "reason": "x",
        "expires_at": (utcnow() - timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "expires_at" in past.get_json()["error"]["fields"]


def test_without_records_view_even_a_normal_record_is_refused_and_audited(client, tenant_a, admin_a):
    from tests.fixtures import USER_PASSWORD, make_user, sign_in_api

    record = new_record(admin_a)
    make_user(tenant_a, "nobody@alpha.test", ["note_taker"])  # the example plugin's role
    nobody = sign_in_api(client, "alpha", "nobody@alpha.test", USER_PASSWORD)
    assert nobody.get(f"/records/{record['id']}").status_code == 403
    assert nobody.get("/records").status_code == 403
    refused = audit_events(tenant_a, "record.read_refused", object_id=record["id"])
    assert refused and refused[0].details["basis"] == "no_permission"


def test_every_read_path_of_a_confidential_record_is_audited(staff):
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential")
    assert owner.get(f"/records/{record['id']}/export?anonymised=1").status_code == 200
    assert staff.api("other_desk").get(f"/records/{record['id']}/export?anonymised=1").status_code == 403
    vias = [e.details["via"] for e in audit_events(staff.tenant, "record.read", object_id=record["id"])]
    assert vias == ["export"]
    refused = audit_events(staff.tenant, "record.read_refused", object_id=record["id"])
    assert [e.details["via"] for e in refused] == ["export"]


def test_changing_needs_read_access_and_ownership(staff):
    record = new_record(staff.api("owner"), confidentiality="confidential")
    path = f"/records/{record['id']}"
    assert staff.api("other_desk").patch(path, json={"title": "x"}).status_code == 403
    assert staff.admin.patch(path, json={"title": "x"}).status_code == 403  # admin is not a reader
    changed = staff.api("owner").patch(path, json={"title": "新标题", "body": "补充记录"})
    assert changed.status_code == 200 and changed.get_json()["title"] == "新标题"
    normal = new_record(staff.api("owner"))
    response = staff.api("supervisor").patch(f"/records/{normal['id']}", json={"title": "x"})
    assert response.status_code == 403  # reads it, but neither owner nor archivist
    tidied = staff.api("archivist").patch(f"/records/{normal['id']}", json={"title": "归档整理"})
    assert tidied.status_code == 200
