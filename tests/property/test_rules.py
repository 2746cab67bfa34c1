"""Each property rule: enforced, and not when the tenant disables it."""

from datetime import timedelta

from core.tenancy import utcnow
from tests.property.helpers import disable, new_inquiry, notes_of, violation

DAILY, WEEKLY = "property.daily_review", "property.weekly_review"
SPECIALIST, OUT_OF_SCOPE = "property.specialist_coordination", "property.out_of_scope_approval"
EVENT = "property.external_event_approval"


def today_local():
    from zoneinfo import ZoneInfo

    return utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()


# --- property.daily_review --------------------------------------------------------------------


def test_daily_review_needs_arrangements_and_sends_important_items_up(prop):
    assert new_inquiry(prop.desk, subject="电梯困人", important=True).status_code == 201
    day = today_local().isoformat()
    violation(prop.sup.post("/property/reviews", json={"kind": "daily", "date": day, "remarks": "ok"}), DAILY)
    response = prop.sup.post(
        "/property/reviews",
        json={"kind": "daily", "date": day, "remarks": "记录完整", "arrangements": "电梯公司今日回复"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["reviewer_name"] == "sup"
    [note] = notes_of(prop.tenant, prop.users["dm"], "property.daily_review.important")
    assert "电梯困人" in note.body
    # the desk lead heard of the important inquiry at once (S0-1 §4.2.1)
    assert len(notes_of(prop.tenant, prop.users["lead"], "property.important")) == 1
    listed = prop.sup.get("/property/reviews?kind=daily").get_json()["items"]
    assert [r["date"] for r in listed] == [day]
    # only the supervisor reviews the day
    assert (
        prop.desk.post(
            "/property/reviews", json={"kind": "daily", "date": day, "arrangements": "x"}
        ).status_code
        == 403
    )


def test_daily_review_disabled(prop):
    disable(prop.admin, DAILY)
    assert new_inquiry(prop.desk, subject="电梯困人", important=True).status_code == 201
    day = today_local().isoformat()
    response = prop.sup.post("/property/reviews", json={"kind": "daily", "date": day, "remarks": "ok"})
    assert response.status_code == 201
    assert notes_of(prop.tenant, prop.users["dm"], "property.daily_review.important") == []


def test_future_day_cannot_be_reviewed(prop):
    day = (today_local() + timedelta(days=2)).isoformat()
    response = prop.sup.post("/property/reviews", json={"kind": "daily", "date": day, "arrangements": "x"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "validation_error"


# --- property.weekly_review -------------------------------------------------------------------


def test_weekly_review_needs_guidance_and_sends_important_items_to_leadership(prop):
    day = today_local().isoformat()
    violation(prop.pm.post("/property/reviews", json={"kind": "weekly", "date": day, "effect": "好"}), WEEKLY)
    response = prop.pm.post(
        "/property/reviews",
        json={
            "kind": "weekly",
            "date": day,
            "effect": "答复及时",
            "guidance": "统一口径",
            "important_items": "消防通道占用",
        },
    )
    assert response.status_code == 201, response.get_json()
    monday = today_local() - timedelta(days=today_local().weekday())
    assert response.get_json()["date"] == monday.isoformat()
    [note] = notes_of(prop.tenant, prop.users["boss"], "property.weekly_review.important")
    assert "消防通道" in note.body
    assert (
        prop.sup.post("/property/reviews", json={"kind": "weekly", "date": day, "guidance": "x"}).status_code
        == 403
    )


def test_weekly_review_disabled(prop):
    disable(prop.admin, WEEKLY)
    response = prop.pm.post(
        "/property/reviews",
        json={"kind": "weekly", "date": today_local().isoformat(), "important_items": "消防通道占用"},
    )
    assert response.status_code == 201
    assert notes_of(prop.tenant, prop.users["boss"], "property.weekly_review.important") == []


# --- property.specialist_coordination ---------------------------------------------------------


def test_specialist_answer_waits_for_the_department(prop):
    violation(
        new_inquiry(prop.desk, subject="门禁卡失效", category="security", answer="补办即可"), SPECIALIST
    )
    inquiry = new_inquiry(prop.desk, subject="空调外机位置", category="engineering").get_json()
    reply = {"body": "可以安装在设备平台", "final": True}
    error = violation(prop.desk.post(f"/inquiries/{inquiry['id']}/replies", json=reply), SPECIALIST)
    assert "工程部" in error["message"]
    assert prop.desk.get(f"/inquiries/{inquiry['id']}").get_json()["status"] == "open"  # rolled back
    # a non-final reply is fine
    assert (
        prop.desk.post(
            f"/inquiries/{inquiry['id']}/replies", json={"body": "已转工程部", "final": False}
        ).status_code
        == 201
    )
    # the department disagrees: the property manager is told and decides
    response = prop.eng.post(
        f"/property/inquiries/{inquiry['id']}/coordination",
        json={"input": "设备平台承重不足", "agreed": False},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["department"] == "engineering"
    assert len(notes_of(prop.tenant, prop.users["pm"], "property.coordination.disagreed")) == 1
    violation(prop.desk.post(f"/inquiries/{inquiry['id']}/replies", json=reply), SPECIALIST)
    assert (
        prop.desk.post(f"/property/inquiries/{inquiry['id']}/decision", json={"decision": "x"}).status_code
        == 403
    )
    response = prop.pm.post(
        f"/property/inquiries/{inquiry['id']}/decision", json={"decision": "安装在北侧平台，工程部现场确认"}
    )
    assert response.status_code == 200, response.get_json()
    assert (
        prop.pm.post(f"/property/inquiries/{inquiry['id']}/decision", json={"decision": "again"}).status_code
        == 409
    )
    assert prop.desk.post(f"/inquiries/{inquiry['id']}/replies", json=reply).status_code == 201
    kinds = [e["kind"] for e in prop.desk.get(f"/inquiries/{inquiry['id']}/timeline").get_json()["items"]]
    assert "property.coordination" in kinds and "property.coordination_decided" in kinds
    texts = [
        e.get("text", "") for e in prop.desk.get(f"/inquiries/{inquiry['id']}/timeline").get_json()["items"]
    ]
    assert any("设备平台承重不足" in t for t in texts)


def test_specialist_agreement_allows_the_answer(prop):
    inquiry = new_inquiry(prop.desk, subject="车位出租", category="leasing").get_json()
    assert (
        prop.desk.post(
            f"/property/inquiries/{inquiry['id']}/coordination",
            json={"input": "租赁部同意答复口径", "agreed": True},
        ).status_code
        == 201
    )
    assert (
        prop.desk.post(
            f"/inquiries/{inquiry['id']}/replies", json={"body": "月租 300 元", "final": True}
        ).status_code
        == 201
    )


def test_specialist_disabled(prop):
    disable(prop.admin, SPECIALIST)
    assert (
        new_inquiry(prop.desk, subject="门禁卡失效", category="security", answer="补办即可").status_code
        == 201
    )


# --- property.out_of_scope_approval -----------------------------------------------------------


def test_out_of_scope_answer_waits_for_approval(prop):
    violation(
        new_inquiry(prop.desk, subject="房产证何时发", category="property_certificate", answer="下月"),
        OUT_OF_SCOPE,
    )
    inquiry = new_inquiry(prop.desk, subject="房产证何时发", category="property_certificate").get_json()
    reply = {"body": "开发商通知下月统一发放", "final": True}
    violation(prop.desk.post(f"/inquiries/{inquiry['id']}/replies", json=reply), OUT_OF_SCOPE)
    violation(
        prop.desk.post(f"/inquiries/{inquiry['id']}/refer", json={"to": "开发商", "contact": "123"}),
        OUT_OF_SCOPE,
    )
    approval = prop.desk.post(f"/property/inquiries/{inquiry['id']}/approval", json={"note": "口径？"})
    assert approval.status_code == 201, approval.get_json()
    approval_id = approval.get_json()["id"]
    assert len(notes_of(prop.tenant, prop.users["dm"], "property.approval.requested")) == 1
    assert prop.desk.post(f"/property/inquiries/{inquiry['id']}/approval", json={}).status_code == 409
    violation(prop.desk.post(f"/inquiries/{inquiry['id']}/replies", json=reply), OUT_OF_SCOPE)
    assert (
        prop.desk.post(f"/property/approvals/{approval_id}/decision", json={"approve": True}).status_code
        == 403
    )
    response = prop.dm.post(
        f"/property/approvals/{approval_id}/decision", json={"approve": True, "note": "可答复"}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    assert (
        prop.dm.post(f"/property/approvals/{approval_id}/decision", json={"approve": True}).status_code == 409
    )
    assert prop.desk.post(f"/inquiries/{inquiry['id']}/replies", json=reply).status_code == 201
    assert len(notes_of(prop.tenant, prop.users["desk"], "property.approval.decided")) == 1


def test_out_of_scope_disabled(prop):
    disable(prop.admin, OUT_OF_SCOPE)
    assert (
        new_inquiry(prop.desk, subject="电话管线费", category="telecom", answer="找电信").status_code == 201
    )


def test_out_of_scope_categories_are_the_tenants(prop):
    response = prop.admin.patch(
        "/policy", json={"rules": {OUT_OF_SCOPE: {"params": {"categories": ["fees"]}}}}
    )
    assert response.status_code == 200, response.get_json()
    assert (
        new_inquiry(prop.desk, subject="电话管线费", category="telecom", answer="找电信").status_code == 201
    )
    violation(new_inquiry(prop.desk, subject="物业费", category="fees", answer="x"), OUT_OF_SCOPE)


# --- property.external_event_approval ---------------------------------------------------------


def _event(api):
    starts = (utcnow() + timedelta(days=3)).isoformat()
    response = api.post(
        "/property/events",
        json={"organiser": "街道办", "title": "消防咨询日", "starts_at": starts, "place": "中心广场"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_event_scheduled_only_after_leadership_approval(prop):
    event_id = _event(prop.lead)
    assert len(notes_of(prop.tenant, prop.users["boss"], "property.event.proposed")) == 1
    violation(prop.lead.post(f"/property/events/{event_id}/schedule"), EVENT)
    assert prop.lead.post(f"/property/events/{event_id}/decision", json={"approve": True}).status_code == 403
    assert prop.boss.post(f"/property/events/{event_id}/decision", json={"approve": True}).status_code == 200
    response = prop.lead.post(f"/property/events/{event_id}/schedule")
    assert response.status_code == 200 and response.get_json()["status"] == "scheduled"
    response = prop.pm.post(f"/property/events/{event_id}/support", json={"support_arranged": "保安两名"})
    assert response.status_code == 200 and response.get_json()["support_arranged"] == "保安两名"


def test_event_approval_disabled(prop):
    disable(prop.admin, EVENT)
    event_id = _event(prop.lead)
    assert prop.lead.post(f"/property/events/{event_id}/schedule").status_code == 200


# --- property.info_archive --------------------------------------------------------------------


def test_info_archive_search_and_the_ledger_form(prop, client):
    from tests.fixtures import USER_PASSWORD, sign_in_page

    assert prop.desk.post("/property/info", json={"title": "x"}).status_code == 403
    for title, content, tags in (
        ("辖区派出所", "值班电话", "报警"),
        ("电信宽带报修", "拨 10000", "宽带 网络"),
    ):
        assert (
            prop.lead.post(
                "/property/info",
                json={"title": title, "content": content, "tags": tags, "category": "telecom"},
            ).status_code
            == 201
        )
    found = prop.desk.get("/property/info?q=宽带").get_json()["items"]
    assert [e["title"] for e in found] == ["电信宽带报修"]
    assert prop.desk.get("/property/info?q=100%25").get_json()["items"] == []
    entry_id = found[0]["id"]
    assert (
        prop.lead.patch(f"/property/info/{entry_id}", json={"phone": "10000"}).get_json()["phone"] == "10000"
    )
    sign_in_page(client, "alpha", "desk@alpha.test", USER_PASSWORD)
    page = client.get("/t/alpha/ledger").get_data(as_text=True)
    assert "info_search.js" in page and 'id="info-suggest"' in page
    data = client.get("/t/alpha/property/info/search?q=派出所").get_json()
    assert [e["title"] for e in data["items"]] == ["辖区派出所"]
    assert prop.lead.delete(f"/property/info/{entry_id}").status_code == 204


def test_info_archive_disabled_leaves_the_ledger_form_alone(prop, client):
    from tests.fixtures import USER_PASSWORD, sign_in_page

    disable(prop.admin, "property.info_archive")
    sign_in_page(client, "alpha", "desk@alpha.test", USER_PASSWORD)
    page = client.get("/t/alpha/ledger").get_data(as_text=True)
    assert "info_search.js" not in page


# --- property.daily_work_record ---------------------------------------------------------------


def test_daily_work_record(prop):
    from io import BytesIO

    from openpyxl import load_workbook

    new_inquiry(prop.desk, subject="水表读数", answer="已告知")
    new_inquiry(prop.desk, subject="电梯困人", important=True)
    day = today_local().isoformat()
    record = prop.desk.get(f"/property/work-record?date={day}").get_json()
    assert record["staff"] == [{"name": "desk", "inquiries": 2}]
    assert record["total"] == 2 and record["answered_at_once"] == 1
    assert [i["subject"] for i in record["notable"]] == ["电梯困人"]
    assert [i["subject"] for i in record["open_items"]] == ["电梯困人"]
    response = prop.desk.get(f"/property/work-record?date={day}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "值班人员" in values and "电梯困人" in values


def test_daily_work_record_disabled(prop):
    disable(prop.admin, "property.daily_work_record")
    assert prop.desk.get("/property/work-record").status_code == 404
