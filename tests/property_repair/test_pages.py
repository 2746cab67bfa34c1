"""The repair desk's pages: the service desk's fast form, the list, the detail with its actions,
the project page, the rounds and daily-status forms and the printable weekly report."""

from __future__ import annotations

import re

from tests.fixtures import USER_PASSWORD, csrf_token, sign_in_page
from tests.property_repair.test_repair_desk import new_order, rd  # noqa: F401 - the fixture

BASE = "/t/hotwater/property/repair"


def page_as(rd, client, user_key):  # noqa: F811
    email = rd.users[user_key].email
    assert sign_in_page(client, "hotwater", email, USER_PASSWORD).status_code == 302
    return client


def test_fast_form_logs_and_notifies(rd, client):  # noqa: F811
    page_as(rd, client, "desk")
    html = client.get(f"{BASE}/new").get_data(as_text=True)
    assert "autofocus" in html and 'accesskey="s"' in html and "<script>" not in html and "style=" not in html
    response = client.post(f"{BASE}/new", data={
        "csrf_token": csrf_token(html), "project_id": rd.project["id"], "kind": "complaint",
        "reporter_phone": "13800000009", "reporter_name": "学生乙", "location": "6号楼 204",
        "fault": "热水时有时无"})
    assert response.status_code == 302 and "/repair/work-orders/" in response.location
    detail = client.get(response.location).get_data(as_text=True)
    assert "6号楼 204" in detail and 'data-status="notified"' in detail
    listing = client.get(f"{BASE}/?project={rd.project['id']}&open=1").get_data(as_text=True)
    assert "6号楼 204" in listing
    # "log and take the next call" comes back to the form with the project chosen
    html = client.get(f"{BASE}/new").get_data(as_text=True)
    response = client.post(f"{BASE}/new", data={
        "csrf_token": csrf_token(html), "project_id": rd.project["id"], "kind": "repair",
        "location": "7号楼", "fault": "水管漏水", "another": "1"})
    assert response.status_code == 302 and f"project={rd.project['id']}" in response.location


def test_missing_fields_are_shown_on_the_form(rd, client):  # noqa: F811
    page_as(rd, client, "desk")
    html = client.get(f"{BASE}/new").get_data(as_text=True)
    response = client.post(f"{BASE}/new", data={"csrf_token": csrf_token(html), "kind": "repair",
                                                 "project_id": rd.project["id"], "location": "", "fault": ""})
    assert response.status_code == 200 and "field-error" in response.get_data(as_text=True)


def test_actions_on_the_detail_page(rd, client):  # noqa: F811
    wid = new_order(rd).get_json()["id"]
    page_as(rd, client, "worker")
    html = client.get(f"{BASE}/work-orders/{wid}").get_data(as_text=True)
    assert 'id="action-fix"' in html and 'id="action-close"' not in html
    client.post(f"{BASE}/work-orders/{wid}/fix", data={"csrf_token": csrf_token(html), "note": "换了阀门"})
    page_as(rd, client, "desk")
    html = client.get(f"{BASE}/work-orders/{wid}").get_data(as_text=True)
    assert "换了阀门" in html and 'id="action-tell"' in html
    # closing before telling the reporter is refused with the rule, shown as a message
    response = client.post(f"{BASE}/work-orders/{wid}/close", data={"csrf_token": csrf_token(html)},
                           follow_redirects=True)
    assert "property.repair_desk" in response.get_data(as_text=True)
    client.post(f"{BASE}/work-orders/{wid}/tell", data={"csrf_token": csrf_token(html), "note": "已告知"})
    client.post(f"{BASE}/work-orders/{wid}/close", data={"csrf_token": csrf_token(html)})
    assert 'data-status="closed"' in client.get(f"{BASE}/work-orders/{wid}").get_data(as_text=True)


def test_project_pages_rounds_and_status(rd, client):  # noqa: F811
    page_as(rd, client, "pm")
    html = client.get(f"{BASE}/projects/{rd.project['id']}").get_data(as_text=True)
    assert "南航科院" in html and 'data-flag="understaffed"' in html
    form = client.get(f"{BASE}/projects/{rd.project['id']}/rounds").get_data(as_text=True)
    day = re.search(r'name="day"[^>]* value="([^"]+)"', form).group(1)
    response = client.post(f"{BASE}/projects/{rd.project['id']}/rounds", data={
        "csrf_token": csrf_token(form), "day": day, "meter_reading": "100.5", "patrol_done": "y",
        "water_temperature": "52", "notes": "正常"})
    assert response.status_code == 302
    form = client.get(f"{BASE}/projects/{rd.project['id']}/daily-status").get_data(as_text=True)
    response = client.post(f"{BASE}/projects/{rd.project['id']}/daily-status", data={
        "csrf_token": csrf_token(form), "day": day, "water_use": "80", "machines": "运行正常"})
    assert response.status_code == 302
    html = client.get(f"{BASE}/projects/{rd.project['id']}").get_data(as_text=True)
    assert "100.50" in html and "运行正常" in html
    assert "南航科院" in client.get(f"{BASE}/projects").get_data(as_text=True)


def test_weekly_report_page(rd, client):  # noqa: F811
    new_order(rd)
    page_as(rd, client, "gm")
    html = client.get(f"{BASE}/reports/weekly").get_data(as_text=True)
    assert "南航科院" in html and "<script>" not in html
    url = f"{BASE}/reports/weekly?project={rd.project['id']}&week=2024-W10"
    html = client.get(url).get_data(as_text=True)
    assert "2024-W10" in html and "2024-W09" in html and "2024-W11" in html
    html = client.get(f"{BASE}/reports/weekly?week=bogus").get_data(as_text=True)
    assert "YYYY-Www" in html


def test_project_admin_page(rd, client):  # noqa: F811
    page_as(rd, client, "gm")
    html = client.get(f"{BASE}/projects").get_data(as_text=True)
    response = client.post(f"{BASE}/projects", data={"csrf_token": csrf_token(html), "name": "金陵校区",
                                                      "manager_id": rd.users["pm"].id, "min_staff": "1"})
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "金陵校区" in html
    response = client.post(response.location, data={"csrf_token": csrf_token(html),
                                                     "user_id": rd.users["worker"].id})
    assert "维修工小张" in client.get(response.location).get_data(as_text=True)


def test_pages_are_404_without_the_plugin(client, tenant_a):
    from tests.fixtures import ADMIN_PASSWORD

    sign_in_page(client, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    assert client.get("/t/alpha/property/repair/").status_code == 404


def test_home_page_shows_the_repair_figures(rd, client):  # noqa: F811
    new_order(rd)
    page_as(rd, client, "desk")
    html = client.get("/t/hotwater/").get_data(as_text=True)
    assert "/t/hotwater/property/repair/?open=1" in html
