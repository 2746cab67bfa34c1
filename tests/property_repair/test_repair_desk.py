"""The hot-water repair desk (S4 热水 服务标准化流程): every rule enforced and disabled, the
work order's transitions, the sweeps (each run twice), the weekly figures and repeat escalation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.notifications.models import Notification
from core.tenancy import Tenant, tenant_context, utcnow
from tests.fixtures import ADMIN_PASSWORD, USER_PASSWORD, make_tenant, make_user, sign_in_api

PLUGINS = ["notes", "property_frontdesk"]


@pytest.fixture
def rd(app, client):
    tenant = make_tenant("hotwater", plugins=PLUGINS)
    admin = sign_in_api(client, "hotwater", "admin@hotwater.test", ADMIN_PASSWORD)
    users = {
        "desk": make_user(tenant, "desk@hotwater.test", ["service_desk"], name="服务部小王"),
        "pm": make_user(tenant, "pm@hotwater.test", ["project_manager"], name="项目经理老李"),
        "worker": make_user(tenant, "worker@hotwater.test", ["maintenance"], name="维修工小张"),
        "worker2": make_user(tenant, "worker2@hotwater.test", ["maintenance"], name="维修工小赵"),
        "gm": make_user(tenant, "gm@hotwater.test", ["general_manager"], name="总经理"),
    }
    apis = {k: sign_in_api(client, "hotwater", u.email, USER_PASSWORD) for k, u in users.items()}
    response = admin.post("/property/repair/projects",
                          json={"name": "南航科院", "manager_id": users["pm"].id})
    assert response.status_code == 201, response.get_json()
    project = response.get_json()
    # the project has run for a month: sweeps look back over past days and weeks
    from plugins.property_frontdesk.repair.models import Project

    with tenant_context(tenant):
        row = db.session.execute(sa.select(Project).where(Project.id == project["id"])).scalar_one()
        row.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    return SimpleNamespace(tenant=tenant, admin=admin, users=users, api=apis, project=project)


def set_rule(rd, rule_id, **change):
    response = rd.admin.patch("/policy", json={"rules": {rule_id: change}})
    assert response.status_code == 200, response.get_json()


def fresh_tenant(rd) -> Tenant:
    db.session.expire_all()
    return db.session.get(Tenant, rd.tenant.id)


def run(rd, job, now=None):
    from plugins.property_frontdesk.repair import service

    tenant = fresh_tenant(rd)
    with tenant_context(tenant):
        count = getattr(service, job)(tenant, now or utcnow())
    db.session.commit()
    return count


def notes_of(rd, user_key, kind):
    tenant = fresh_tenant(rd)
    with tenant_context(tenant):
        return db.session.execute(sa.select(Notification).where(
            Notification.recipient_id == rd.users[user_key].id, Notification.kind == kind)).scalars().all()


def new_order(rd, api="desk", **kw):
    body = {"project_id": rd.project["id"], "kind": "repair", "location": "3号楼 502",
            "fault": "热水器不出热水", "reporter_name": "学生甲", "reporter_phone": "13800000001", **kw}
    return rd.api[api].post("/property/repair/work-orders", json=body)


def act(rd, work_order_id, action, api="desk", **body):
    return rd.api[api].post(f"/property/repair/work-orders/{work_order_id}/{action}", json=body)


# --- plugin gate ---------------------------------------------------------------------------------


def test_routes_are_404_for_a_tenant_without_the_plugin(admin_a):
    assert admin_a.get("/property/repair/work-orders").status_code == 404


def test_rules_are_registered_with_clauses(rd):
    from core.policy import registry

    for rule_id, clause in (("property.repair_desk", "S4 热水 三1, 四1"),
                            ("property.weekly_report", "S4 热水 三1, 四1–2"),
                            ("property.project_daily_status", "S4 热水 四2"),
                            ("property.rounds_log", "S4 热水 三3"), ("property.min_staffing", "S4 热水 二3")):
        rule = registry().get(rule_id)
        assert rule is not None and rule.clause == clause and rule.plugin == "property_frontdesk"


# --- property.repair_desk ---------------------------------------------------------------------------


def test_work_order_notifies_the_project_manager_first(rd):
    response = new_order(rd)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "notified" and body["notified_at"]
    assert len(notes_of(rd, "pm", "property.work_order")) == 1


def test_full_flow_fix_tell_close(rd):
    wid = new_order(rd).get_json()["id"]
    assert act(rd, wid, "start", api="worker").get_json()["status"] == "in_progress"
    fixed = act(rd, wid, "fix", api="worker", fix_note="更换温控阀").get_json()
    assert fixed["status"] == "fixed" and fixed["fixed_by_id"] == rd.users["worker"].id
    assert fixed["fix_note"] == "更换温控阀"
    assert act(rd, wid, "tell", result_note="已电话告知").get_json()["result_told_at"]
    closed = act(rd, wid, "close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert rd.api["gm"].get(f"/property/repair/work-orders/{wid}").get_json()["status"] == "closed"


@pytest.mark.parametrize("status_path, action, api", [
    ([], "tell", "desk"),  # not fixed yet
    ([], "confirm", "desk"),
    ([], "close", "desk"),
    ([("start", "worker")], "start", "worker"),  # twice
    ([("fix", "worker")], "start", "worker"),
    ([("fix", "worker"), ("tell", "desk"), ("close", "desk")], "fix", "worker"),
    ([("fix", "worker"), ("tell", "desk"), ("close", "desk")], "close", "desk"),
    ([("fix", "worker"), ("tell", "desk")], "tell", "desk"),  # told once only
    ([], "notify", "desk"),  # notified already
])
def test_wrong_transitions_are_409(rd, status_path, action, api):
    wid = new_order(rd).get_json()["id"]
    for step, who in status_path:
        body = {"fix_note": "修好了"} if step == "fix" else {}
        assert act(rd, wid, step, api=who, **body).status_code == 200
    body = {"fix_note": "再修"} if action == "fix" else {}
    response = act(rd, wid, action, api=api, **body)
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "conflict"


def test_roles_are_checked(rd):
    assert new_order(rd, api="worker").status_code == 403
    wid = new_order(rd).get_json()["id"]
    assert act(rd, wid, "fix", api="desk", fix_note="x").status_code == 403
    assert rd.api["worker"].post("/property/repair/projects", json={"name": "x"}).status_code == 403


def test_close_needs_the_reporter_told(rd):
    wid = new_order(rd).get_json()["id"]
    act(rd, wid, "fix", api="worker", fix_note="修好")
    response = act(rd, wid, "close")
    assert response.status_code == 422
    assert response.get_json()["error"]["rule"] == "property.repair_desk"
    assert response.get_json()["error"]["clause"] == "S4 热水 三1, 四1"


def test_close_without_telling_when_rule_disabled(rd):
    set_rule(rd, "property.repair_desk", enabled=False)
    wid = new_order(rd).get_json()["id"]
    act(rd, wid, "fix", api="worker", fix_note="修好")
    assert act(rd, wid, "close").status_code == 200


def test_project_without_manager_is_refused(rd):
    other = rd.admin.post("/property/repair/projects", json={"name": "无经理项目"}).get_json()
    response = new_order(rd, project_id=other["id"])
    assert response.status_code == 422
    assert response.get_json()["error"]["rule"] == "property.repair_desk"


def test_project_without_manager_is_logged_when_rule_disabled(rd):
    set_rule(rd, "property.repair_desk", enabled=False)
    other = rd.admin.post("/property/repair/projects", json={"name": "无经理项目"}).get_json()
    response = new_order(rd, project_id=other["id"])
    assert response.status_code == 201 and response.get_json()["status"] == "reported"
    wid = response.get_json()["id"]
    # with the rule off, a worker may start straight from "reported"
    assert act(rd, wid, "start", api="worker").status_code == 200


def test_start_needs_the_manager_notified(rd):
    set_rule(rd, "property.repair_desk", enabled=False)
    wid = new_order(rd).get_json()["id"]  # rule off: not notified automatically
    set_rule(rd, "property.repair_desk", enabled=True)
    assert act(rd, wid, "start", api="worker").status_code == 409
    assert act(rd, wid, "notify").get_json()["status"] == "notified"
    assert act(rd, wid, "start", api="worker").status_code == 200


def test_reporter_confirmation_parameter(rd):
    set_rule(rd, "property.repair_desk", params={"reporter_confirmation": True})
    wid = new_order(rd).get_json()["id"]
    act(rd, wid, "fix", api="worker", fix_note="修好")
    act(rd, wid, "tell")
    response = act(rd, wid, "close")
    assert response.status_code == 422 and response.get_json()["error"]["rule"] == "property.repair_desk"
    assert act(rd, wid, "confirm", note="学生确认有热水").get_json()["status"] == "confirmed"
    assert act(rd, wid, "close").status_code == 200


def test_chase_sweep_once_a_day(rd):
    wid = new_order(rd).get_json()["id"]
    done = new_order(rd, location="5号楼", fault="水管漏水").get_json()["id"]
    act(rd, done, "fix", api="worker", fix_note="修好")
    now = utcnow() + timedelta(hours=25)
    assert run(rd, "chase_overdue", now) == 1
    assert run(rd, "chase_overdue", now) == 0
    assert run(rd, "chase_overdue", now + timedelta(minutes=5)) == 0
    assert len(notes_of(rd, "pm", "property.work_order.chase")) == 1
    assert run(rd, "chase_overdue", now + timedelta(days=1)) == 1
    body = rd.api["desk"].get(f"/property/repair/work-orders/{wid}").get_json()
    assert body["chase_count"] == 2 and body["last_chased_at"]


def test_chase_after_hours_parameter_and_disabled(rd):
    new_order(rd)
    set_rule(rd, "property.repair_desk", params={"chase_after_hours": 48})
    assert run(rd, "chase_overdue", utcnow() + timedelta(hours=25)) == 0
    set_rule(rd, "property.repair_desk", enabled=False)
    assert run(rd, "chase_overdue", utcnow() + timedelta(hours=72)) == 0


def test_list_filters(rd):
    new_order(rd)
    new_order(rd, kind="complaint", location="食堂", fault="服务态度差", reporter_phone="139")
    items = rd.api["desk"].get("/property/repair/work-orders?kind=complaint").get_json()["items"]
    assert [i["location"] for i in items] == ["食堂"]
    assert len(rd.api["desk"].get(f"/property/repair/work-orders?project={rd.project['id']}&open=1")
               .get_json()["items"]) == 2
    assert len(rd.api["desk"].get("/property/repair/work-orders?phone=139").get_json()["items"]) == 1
    assert rd.api["desk"].get("/property/repair/work-orders?status=closed").get_json()["items"] == []
    assert rd.api["desk"].get("/property/repair/work-orders?status=bogus").status_code == 422


# --- repeat calls (反复投诉 → 总经理) -----------------------------------------------------------------


def test_repeat_about_the_same_fault_escalates_to_the_general_manager(rd):
    first = new_order(rd).get_json()
    again = new_order(rd, location="3号楼502", fault="热水器还是不出热水",
                      reporter_phone="13900000000").get_json()
    assert again["repeat"] is True and again["repeat_of_id"] == first["id"] and again["escalated_at"]
    assert len(notes_of(rd, "gm", "property.work_order.repeat")) == 1
    other_fault = new_order(rd, fault="门锁坏了", reporter_phone="13700000000").get_json()
    assert other_fault["repeat"] is False
    # the same caller about the same fault from another place on the project
    by_phone = new_order(rd, location="图书馆", fault="不出热水").get_json()
    assert by_phone["repeat"] is True
    repeats = rd.api["gm"].get("/property/repair/work-orders?repeat=true").get_json()["items"]
    assert {r["id"] for r in repeats} == {again["id"], by_phone["id"]}


def test_repeat_outside_the_window_or_disabled_is_not_escalated(rd):
    new_order(rd)
    set_rule(rd, "property.repair_desk", params={"repeat_window_days": 0})
    assert new_order(rd).get_json()["repeat"] is False
    set_rule(rd, "property.repair_desk", params={"repeat_window_days": 30}, enabled=False)
    assert new_order(rd).get_json()["repeat"] is False
    assert notes_of(rd, "gm", "property.work_order.repeat") == []


def test_repeat_window_counts_back_from_the_call(rd):
    from plugins.property_frontdesk.repair import service

    tenant = fresh_tenant(rd)
    with tenant_context(tenant):
        desk = rd.users["desk"]
        old = service.create_work_order(desk, project_id=rd.project["id"], kind="repair", location="2号楼",
                                        fault="没有热水", now=utcnow() - timedelta(days=31))
        new = service.create_work_order(desk, project_id=rd.project["id"], kind="repair", location="2号楼",
                                        fault="没有热水")
        assert old.repeat is False and new.repeat is False
    db.session.commit()


# --- property.min_staffing ----------------------------------------------------------------------


def staff(rd, user_key, active=True):
    return rd.admin.post(f"/property/repair/projects/{rd.project['id']}/staff",
                         json={"user_id": rd.users[user_key].id, "active": active})


def test_understaffed_project_is_shown_and_flagged_once(rd):
    body = staff(rd, "worker").get_json()
    assert body["staffing"] == {"staff": 1, "minimum": 2, "understaffed": True}
    assert [s["name"] for s in body["staff"]] == ["维修工小张"]
    assert run(rd, "flag_understaffed") == 1
    assert run(rd, "flag_understaffed") == 0
    assert len(notes_of(rd, "gm", "property.understaffed")) == 1
    flags = rd.api["gm"].get(f"/property/repair/flags?project={rd.project['id']}").get_json()["items"]
    assert [f["kind"] for f in flags] == ["understaffed"] and flags[0]["details"] == "1/2"
    body = staff(rd, "worker2").get_json()
    assert body["staffing"]["understaffed"] is False
    assert run(rd, "flag_understaffed", utcnow() + timedelta(days=1)) == 0
    # taking someone off the roster makes it short again
    assert staff(rd, "worker2", active=False).get_json()["staffing"]["understaffed"] is True


def test_project_override_and_parameter(rd):
    staff(rd, "worker")
    body = rd.admin.patch(f"/property/repair/projects/{rd.project['id']}", json={"min_staff": 1}).get_json()
    assert body["staffing"] == {"staff": 1, "minimum": 1, "understaffed": False}
    rd.admin.patch(f"/property/repair/projects/{rd.project['id']}", json={"min_staff": None})
    set_rule(rd, "property.min_staffing", params={"min_staff": 3})
    staff(rd, "worker2")
    body = rd.admin.get(f"/property/repair/projects/{rd.project['id']}").get_json()
    assert body["staffing"] == {"staff": 2, "minimum": 3, "understaffed": True}


def test_min_staffing_disabled(rd):
    set_rule(rd, "property.min_staffing", enabled=False)
    body = rd.admin.get(f"/property/repair/projects/{rd.project['id']}").get_json()
    assert body["staffing"] == {"staff": 0, "minimum": None, "understaffed": False}
    assert run(rd, "flag_understaffed") == 0


# --- property.rounds_log -----------------------------------------------------------------------------


def _last_working_day(rd) -> date:
    from core.calendar import calendar_for

    tenant = fresh_tenant(rd)
    cal = calendar_for(tenant)
    day = cal.local_date(utcnow()) - timedelta(days=1)
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def test_rounds_are_logged_and_missing_days_flagged_once(rd):
    staff(rd, "worker")
    day = _last_working_day(rd)
    url = f"/property/repair/projects/{rd.project['id']}/rounds"
    response = rd.api["worker"].post(url, json={"day": day.isoformat(), "meter_reading": "1234.5",
                                                "patrol_done": True, "water_temperature": "55.5",
                                                "notes": "正常"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["water_temperature"] == 55.5
    assert rd.api["worker"].post(url, json={"day": day.isoformat()}).status_code == 409
    assert rd.api["worker2"].post(url, json={"day": day.isoformat()}).status_code == 403  # not on the roster
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    assert rd.api["worker"].post(url, json={"day": future}).status_code == 422
    first = run(rd, "flag_missing_rounds")
    assert first >= 1
    assert run(rd, "flag_missing_rounds") == 0
    flags = rd.admin.get(f"/property/repair/flags?project={rd.project['id']}&limit=200").get_json()["items"]
    missing = {f["key"] for f in flags if f["kind"] == "rounds_missing"}
    assert len(missing) == first and day.isoformat() not in missing
    assert len(notes_of(rd, "pm", "property.rounds_missing")) == first
    assert rd.admin.get(url).get_json()["items"][0]["day"] == day.isoformat()


def test_rounds_log_disabled(rd):
    set_rule(rd, "property.rounds_log", enabled=False)
    assert run(rd, "flag_missing_rounds") == 0


# --- property.project_daily_status ---------------------------------------------------------------------


def test_daily_status_recorded_by_the_manager_and_missing_days_flagged_once(rd):
    day = _last_working_day(rd)
    url = f"/property/repair/projects/{rd.project['id']}/daily-status"
    body = {"day": day.isoformat(), "water_use": "86.5", "repairs": "2 处", "stock": "温控阀 3 个",
            "complaints": "1 起", "machines": "正常"}
    assert rd.api["worker"].post(url, json=body).status_code == 403
    response = rd.api["pm"].post(url, json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["water_use"] == 86.5
    assert rd.api["pm"].post(url, json=body).status_code == 409
    first = run(rd, "flag_missing_daily_status")
    assert first >= 1 and run(rd, "flag_missing_daily_status") == 0
    flags = rd.admin.get(f"/property/repair/flags?project={rd.project['id']}&limit=200").get_json()["items"]
    assert day.isoformat() not in {f["key"] for f in flags if f["kind"] == "status_missing"}
    assert len(notes_of(rd, "gm", "property.status_missing")) == first


def test_daily_status_disabled(rd):
    set_rule(rd, "property.project_daily_status", enabled=False)
    assert run(rd, "flag_missing_daily_status") == 0


# --- property.weekly_report ---------------------------------------------------------------------------


def _at(day: str, hh_mm: str) -> datetime:
    """A Shanghai local time as UTC."""
    local = datetime.fromisoformat(f"{day}T{hh_mm}:00+08:00")
    return local.astimezone(UTC)


def test_weekly_report_figures(rd):
    from plugins.property_frontdesk.repair import service

    tenant = fresh_tenant(rd)
    pid = rd.project["id"]
    with tenant_context(tenant):
        desk, worker = rd.users["desk"], rd.users["worker"]

        def call(location, fault, when, kind="repair"):
            return service.create_work_order(desk, project_id=pid, kind=kind, location=location, fault=fault,
                                             now=when)

        earlier = call("1号楼", "淋浴头坏", _at("2024-03-01", "09:00"))  # last week, still open
        complaint = call("食堂", "热水太烫", _at("2024-03-05", "10:00"), kind="complaint")
        service.fix_work_order(worker, complaint.id, "调低水温", now=_at("2024-03-06", "09:00"))
        service.tell_result(desk, complaint.id, "已告知", now=_at("2024-03-06", "10:00"))
        service.close_work_order(desk, complaint.id, now=_at("2024-03-07", "10:00"))
        repair = call("2号楼 301", "没有热水", _at("2024-03-06", "11:00"))
        service.fix_work_order(worker, repair.id, "修好", now=_at("2024-03-11", "09:00"))  # next week
        repeat = call("2号楼301", "还是没有热水", _at("2024-03-10", "23:30"))  # Sunday night, local
        late = call("3号楼", "水表坏", _at("2024-03-11", "00:30"))  # Monday local, Sunday UTC
        assert repeat.repeat and not late.repeat and not earlier.repeat
    db.session.commit()
    response = rd.api["gm"].get(f"/property/repair/reports/weekly?project={pid}&week=2024-W10")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["week"] == "2024-W10"
    assert body["projects"] == [{"project_id": pid, "project": "南航科院", "complaints": 1, "repairs": 2,
                                 "fixed": 1, "told": 1, "closed": 1, "repeats": 1, "open_at_end": 3}]
    assert [w["location"] for w in body["work_orders"]] == ["食堂", "2号楼 301", "2号楼301"]
    # all projects: the service desk's report to the general manager
    rd.admin.post("/property/repair/projects", json={"name": "第二项目"})
    summary = rd.api["desk"].get("/property/repair/reports/weekly?week=2024-W10").get_json()
    assert summary["totals"]["repairs"] == 2 and len(summary["projects"]) == 2
    assert "work_orders" not in summary
    assert rd.api["desk"].get("/property/repair/reports/weekly?week=2024-10").status_code == 422
    assert rd.api["worker"].get("/property/repair/reports/weekly").status_code == 403


def test_finished_week_is_announced_once(rd):
    rd.users["eng"] = make_user(rd.tenant, "eng@hotwater.test", ["engineering_department"])
    assert run(rd, "announce_finished_weeks") == 1
    assert run(rd, "announce_finished_weeks") == 0
    assert len(notes_of(rd, "gm", "property.weekly_report")) == 1
    assert len(notes_of(rd, "pm", "property.weekly_report")) == 1  # for the report to 工程部
    assert len(notes_of(rd, "eng", "property.weekly_report")) == 1  # the company 工程部 gets it


def test_weekly_report_announcement_parameter_and_disabled(rd):
    set_rule(rd, "property.weekly_report", params={"notify_managers": False})
    assert run(rd, "announce_finished_weeks") == 1
    assert notes_of(rd, "pm", "property.weekly_report") == []
    set_rule(rd, "property.weekly_report", enabled=False)
    assert run(rd, "announce_finished_weeks", utcnow() + timedelta(days=7)) == 0


# --- projects and isolation -------------------------------------------------------------------------


def test_projects_crud_and_validation(rd):
    assert rd.admin.post("/property/repair/projects", json={"name": "南航科院"}).status_code == 409
    bad_manager = {"name": "x", "manager_id": "0" * 26}
    assert rd.admin.post("/property/repair/projects", json=bad_manager).status_code == 422
    items = rd.api["desk"].get("/property/repair/projects").get_json()["items"]
    assert [p["name"] for p in items] == ["南航科院"]
    assert rd.admin.get("/property/repair/projects/" + "0" * 26).status_code == 404
    assert rd.admin.get("/property/repair/work-orders/" + "0" * 26).status_code == 404


def test_another_tenants_work_order_is_404(rd, client):
    other = make_tenant("coldwater", plugins=PLUGINS)
    admin_other = sign_in_api(client, "coldwater", "admin@coldwater.test", ADMIN_PASSWORD)
    wid = new_order(rd).get_json()["id"]
    assert admin_other.get(f"/property/repair/work-orders/{wid}").status_code == 404
    assert admin_other.post(f"/property/repair/work-orders/{wid}/close", json={}).status_code == 404
    assert admin_other.get(f"/property/repair/projects/{rd.project['id']}").status_code == 404
    assert admin_other.get("/property/repair/work-orders").get_json()["items"] == []
    assert other.slug == "coldwater"
