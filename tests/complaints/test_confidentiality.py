"""core.complaint.confidential: details for the handler, the lead and administrators only; the
person complained about never sees who complained; every read of the details is audited."""

import pytest

from tests.complaints.factories import APPEAL, audit_events, disable, register, set_params, step
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api

DETAILS = ("name", "phone", "content", "demand", "findings", "summary", "about", "handler")

MATRIX = [("handler", 200), ("lead", 200), ("admin", 200), ("clerk", 403), ("supervisor", 403),
          ("archivist", 403)]


@pytest.fixture
def case(staff):
    case = register(staff.handler)
    step(staff.handler, case["id"], "acknowledge")
    step(staff.handler, case["id"], "findings", findings="部门失职，未落实首问负责制", dereliction=True)
    return case


@pytest.mark.parametrize("who,status", MATRIX)
def test_who_reads_the_details(staff, case, tenant_a, who, status):
    response = getattr(staff, who).get(f"/complaints/{case['id']}")
    assert response.status_code == status, response.get_json()
    reads = audit_events(tenant_a, "complaint.viewed", case["id"])
    if status == 200:
        body = response.get_json()
        assert body["content"] == APPEAL["content"] and body["findings"].startswith("部门失职")
        assert [e.actor_id for e in reads] == [staff.ids[who]]
        assert reads[0].details == {"number": case["number"]}  # no details in the audit trail
    else:
        error = response.get_json()["error"]
        assert error["code"] == "forbidden" and case["number"] in error["message"]
        assert APPEAL["content"] not in str(error)
        assert reads == []


@pytest.mark.parametrize("who,status", MATRIX)
def test_list_rows_are_redacted_for_others(staff, case, tenant_a, who, status):
    rows = getattr(staff, who).get("/complaints").get_json()["items"]
    assert len(rows) == 1
    row = rows[0]
    assert {row["number"], row["kind"], row["status"]} == {case["number"], "appeal", "investigated"}
    assert row["due_at"] == case["due_at"] and row["flagged_repeat"] is False and "overdue" in row
    listed = audit_events(tenant_a, "complaints.listed")
    if status == 200:
        assert row["redacted"] is False and row["name"] == "张先生" and row["about"] == "客服部"
        assert [(e.actor_id, e.details["ids"]) for e in listed] == [(staff.ids[who], [case["id"]])]
    else:
        assert row["redacted"] is True
        assert not set(DETAILS) & set(row), row
        assert listed == []


def test_others_cannot_print_the_form_but_the_registrar_prints_the_acknowledgment(app, staff, case):
    from tests.fixtures import sign_in_page

    clerk_case = register(staff.clerk, handler_id=staff.ids["handler"])
    browser = app.test_client()
    sign_in_page(browser, "alpha", "clerk@alpha.test", USER_PASSWORD)
    for path in ("", "/print"):
        response = browser.get(f"/t/alpha/complaints/{case['id']}{path}")
        assert response.status_code == 403 and APPEAL["content"] not in response.get_data(as_text=True)
    assert browser.get(f"/t/alpha/complaints/{case['id']}/acknowledgment").status_code == 403
    slip = browser.get(f"/t/alpha/complaints/{clerk_case['id']}/acknowledgment")
    assert slip.status_code == 200 and "李静" in slip.get_data(as_text=True)


def test_disabled_every_viewer_reads_everything(staff, case, tenant_a):
    disable(staff.admin, "core.complaint.confidential")
    for who in ("clerk", "supervisor", "archivist"):
        response = getattr(staff, who).get(f"/complaints/{case['id']}")
        assert response.status_code == 200 and response.get_json()["content"] == APPEAL["content"]
        assert getattr(staff, who).get("/complaints").get_json()["items"][0]["redacted"] is False
    assert len(audit_events(tenant_a, "complaint.viewed", case["id"])) == 3  # still audited


def test_reading_needs_the_view_permission(staff, case, tenant_a):
    make_user(tenant_a, "nobody@alpha.test", [], name="无角色")
    nobody = sign_in_api(staff.handler.client, "alpha", "nobody@alpha.test", USER_PASSWORD)
    assert nobody.get("/complaints").status_code == 403
    assert nobody.get(f"/complaints/{case['id']}").status_code == 403


def test_the_person_complained_about_never_sees_who_complained(staff, tenant_a):
    case = register(staff.handler, about="  陈明 ")  # the lead himself, trimmed, any case
    lead_view = staff.lead.get(f"/complaints/{case['id']}").get_json()
    assert lead_view["complainant_hidden"] is True
    assert lead_view["name"] is None and lead_view["phone"] is None
    assert lead_view["content"] == APPEAL["content"]
    row = staff.lead.get("/complaints").get_json()["items"][0]
    assert row["complainant_hidden"] is True and row["name"] is None
    handler_view = staff.handler.get(f"/complaints/{case['id']}").get_json()
    assert handler_view["name"] == "张先生" and handler_view["complainant_hidden"] is False


def test_matching_the_person_complained_about_ignores_case(staff, tenant_a):
    make_user(tenant_a, "grace@alpha.test", ["admin"], name="Grace Li")
    grace = sign_in_api(staff.handler.client, "alpha", "grace@alpha.test", USER_PASSWORD)
    case = register(staff.handler, about="grace  LI")
    assert grace.get(f"/complaints/{case['id']}").get_json()["name"] is None


def test_hide_complainant_off_shows_the_name(staff):
    set_params(staff.admin, "core.complaint.confidential", {"hide_complainant": False})
    case = register(staff.handler, about="陈明")
    assert staff.lead.get(f"/complaints/{case['id']}").get_json()["name"] == "张先生"
