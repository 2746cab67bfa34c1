"""The pages: the list with its filters, the paper form on screen, the case with its steps, the
printable form with the unit name, all in Chinese first and through the same service."""

import re

import pytest

from tests.complaints.factories import APPEAL, SUGGESTION, disable, register, set_params, step
from tests.fixtures import ADMIN_PASSWORD, USER_PASSWORD, csrf_token, sign_in_page


@pytest.fixture
def browser(app, staff):
    client = app.test_client()
    assert sign_in_page(client, "alpha", "handler@alpha.test", USER_PASSWORD).status_code == 302
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_nav_link_and_list(browser, staff):
    case = register(staff.handler)
    page = html(browser.get("/t/alpha/complaints"))
    assert 'id="nav-complaints"' in page and '<html lang="zh-CN">' in page
    assert f'data-complaint="{case["id"]}"' in page and case["number"] in page
    assert "张先生" in page and 'accesskey="n"' in page
    assert 'data-figure="open">1<' in page
    filtered = html(browser.get("/t/alpha/complaints?kind=suggestion&overdue=1"))
    assert case["number"] not in filtered


def test_list_redacts_for_others(app, staff):
    register(staff.handler)
    clerk = app.test_client()
    sign_in_page(clerk, "alpha", "clerk@alpha.test", USER_PASSWORD)
    page = html(clerk.get("/t/alpha/complaints"))
    assert 'data-redacted="1"' in page and "张先生" not in page and APPEAL["content"] not in page


def test_register_through_the_form_prints_the_acknowledgment(browser, staff, tenant_a):
    form = html(browser.get("/t/alpha/complaints/new"))
    assert 'name="kind"' in form and 'name="channel"' in form and 'value="front_desk_box"' in form
    assert 'id="new-content"' in form and "autofocus" in form
    response = browser.post("/t/alpha/complaints/new", data={
        "csrf_token": csrf_token(form), "kind": "appeal", "channel": "duty_staff", "name": "赵先生",
        "phone": "13312345678", "content": "维修人员三天没上门", "demand": "尽快维修",
        "about": "工程部", "category": "", "handler_id": staff.ids["handler"]})
    assert response.status_code == 302 and "/acknowledgment" in response.location
    slip = html(browser.get(response.location))
    assert "李静" in slip and 'data-field="due_at"' in slip and "SS-" in slip
    rows = staff.handler.get("/complaints").get_json()["items"]
    assert rows[0]["name"] == "赵先生" and rows[0]["channel"] == "duty_staff"


def test_register_refusal_is_flashed_with_the_rule(browser):
    form = html(browser.get("/t/alpha/complaints/new"))
    response = browser.post("/t/alpha/complaints/new", data={
        "csrf_token": csrf_token(form), "kind": "appeal", "content": "只留了一句话", "channel": "",
        "handler_id": ""})
    page = html(response)
    assert "core.complaint.register" in page and "只留了一句话" in page


def test_case_page_offers_only_the_allowed_steps_and_runs_them(browser, staff):
    case = register(staff.handler)
    path = f"/t/alpha/complaints/{case['id']}"
    page = html(browser.get(path))
    assert re.findall(r'<details[^>]*data-step="(\w+)"', page) == ["acknowledge"]
    response = browser.post(f"{path}/acknowledge", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.location.endswith(path)
    page = html(browser.get(path))
    assert re.findall(r'<details[^>]*data-step="(\w+)"', page) == ["findings"]
    assert 'data-status="acknowledged"' in page
    browser.post(f"{path}/findings", data={"csrf_token": csrf_token(page), "findings": "属实",
                                           "outcome": "not_upheld"})
    page = html(browser.get(path))
    assert re.findall(r'<details[^>]*data-step="(\w+)"', page) == ["findings"]  # approve: the lead's
    browser.post(f"{path}/reply", data={"csrf_token": csrf_token(page), "result_text": "不属实"})
    page = html(browser.get(path))
    assert "core.complaint.respond_within" in page and 'data-status="investigated"' in page
    assert [s["step"] for s in staff.handler.get(f"/complaints/{case['id']}").get_json()["timeline"]] == [
        "register", "acknowledge", "findings"]


def test_the_lead_approves_on_the_page(app, staff):
    case = register(staff.handler)
    step(staff.handler, case["id"], "acknowledge")
    step(staff.handler, case["id"], "findings", findings="属实", outcome="upheld")
    lead = app.test_client()
    sign_in_page(lead, "alpha", "manager@alpha.test", USER_PASSWORD)
    path = f"/t/alpha/complaints/{case['id']}"
    page = html(lead.get(path))
    assert "approve" in re.findall(r'<details[^>]*data-step="(\w+)"', page)
    lead.post(f"{path}/approve", data={"csrf_token": csrf_token(page), "outcome": "", "note": "同意"})
    page = html(lead.get(path))
    assert 'data-status="approved"' in page and "同意" in page


def test_suggestion_steps_on_the_page(browser, staff):
    case = register(staff.handler, SUGGESTION)
    path = f"/t/alpha/complaints/{case['id']}"
    token = csrf_token(html(browser.get(path)))
    browser.post(f"{path}/acknowledge", data={"csrf_token": token})
    browser.post(f"{path}/resolve", data={"csrf_token": token, "agreed_action": "增加座椅",
                                          "outcome": "adopted", "implemented_at": "2030-05-06"})
    browser.post(f"{path}/reply", data={"csrf_token": token, "result_text": "已安排"})
    page = html(browser.get(path))
    assert re.findall(r'<details[^>]*data-step="(\w+)"', page) == ["follow_up"]
    assert 'name="satisfaction"' not in page  # the policy asks no satisfaction question
    browser.post(f"{path}/follow-up", data={"csrf_token": token, "notes": "已落实", "thanked": "y"})
    browser.post(f"{path}/close", data={"csrf_token": token})
    page = html(browser.get(path))
    assert 'data-status="closed"' in page and "<details" not in page


def test_unknown_step_and_case_are_404(browser, staff):
    case = register(staff.handler)
    page = html(browser.get(f"/t/alpha/complaints/{case['id']}"))
    assert browser.post(f"/t/alpha/complaints/{case['id']}/delete",
                        data={"csrf_token": csrf_token(page)}).status_code == 404
    assert browser.get("/t/alpha/complaints/01ARZ3NDEKTSV4RRFFQ69G5FAV").status_code == 404


def test_step_forms_need_csrf(browser, staff):
    case = register(staff.handler)
    assert browser.post(f"/t/alpha/complaints/{case['id']}/acknowledge").status_code == 400


def test_printable_form_carries_the_unit_name(browser, staff):
    case = register(staff.handler)
    set_params(staff.admin, "core.forms.org_name", {"unit_name": "茂华元道·幸福里心理疏导"})
    page = html(browser.get(f"/t/alpha/complaints/{case['id']}/print"))
    assert "茂华元道·幸福里心理疏导" in page and "data-unit-name" in page
    assert APPEAL["content"] in page and "complaints.css" in page
    set_params(staff.admin, "core.forms.org_name", {"unit_name": ""})
    assert "Tenant alpha" in html(browser.get(f"/t/alpha/complaints/{case['id']}/print"))
    disable(staff.admin, "core.forms.org_name")
    assert "data-unit-name" not in html(browser.get(f"/t/alpha/complaints/{case['id']}/print"))


def test_print_styles_hide_the_navigation(client, tenant_a):
    with client.get("/t/alpha/complaints/static/complaints.css") as response:
        css = response.get_data(as_text=True)
    assert "@media print" in css and "header.top" in css


def test_admin_sees_the_case_and_reads_are_audited(app, staff, tenant_a):
    from tests.complaints.factories import audit_events

    case = register(staff.handler)
    admin = app.test_client()
    sign_in_page(admin, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    assert APPEAL["content"] in html(admin.get(f"/t/alpha/complaints/{case['id']}"))
    html(admin.get(f"/t/alpha/complaints/{case['id']}/print"))
    assert [e.actor_id for e in audit_events(tenant_a, "complaint.viewed", case["id"])] == [
        staff.ids["admin"]] * 2


def test_english_on_request(browser, staff):
    register(staff.handler)
    page = html(browser.get("/t/alpha/complaints?lang=en"))
    assert "Suggestions and appeals" in page
