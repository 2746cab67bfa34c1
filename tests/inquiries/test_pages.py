"""The desk's pages: the ledger with its one-step new-inquiry form, and an inquiry's detail."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fixtures import USER_PASSWORD, csrf_token, make_user, sign_in_page
from tests.inquiries.factories import local, make_inquiry

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def browser(app, tenant_a):
    make_user(tenant_a, "desk@alpha.test", ["desk"], name="李静")
    client = app.test_client()
    assert sign_in_page(client, "alpha", "desk@alpha.test", USER_PASSWORD).status_code == 302
    return client


def html_of(response) -> str:
    return response.get_data(as_text=True)


def new_inquiry(browser, **fields):
    page = html_of(browser.get("/t/alpha/ledger"))
    data = {"new-csrf_token": csrf_token(page), "new-channel": "phone", "new-requester_name": "张先生",
            "new-requester_phone": "13800138000", "new-subject": "车位月卡怎么办理", "new-category": "fees"}
    data.update({f"new-{k}": v for k, v in fields.items()})
    return browser.post("/t/alpha/ledger", data=data)


def test_ledger_page_has_the_form_ready_for_the_phone(browser):
    response = browser.get("/t/alpha/ledger")
    assert response.status_code == 200
    html = html_of(response)
    tag = re.search(r'<input[^>]*id="new-requester_name"[^>]*>', html).group(0)
    assert " autofocus" in tag and 'accesskey="n"' in tag
    assert re.search(r'<option selected value="phone">|<option value="phone" selected', html)
    assert 'type="datetime-local"' in html and 'id="new-answer"' in html
    assert 'id="download-xlsx"' in html and 'id="download-csv"' in html
    assert 'id="nav-ledger"' in html  # the header links to the ledger
    assert "desk.js" in html


def test_recording_an_inquiry_in_one_step_returns_to_the_ledger_with_the_row(browser):
    agreed = (datetime.now(SHANGHAI) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = new_inquiry(browser, agreed_reply_at=agreed, important="y")
    assert response.status_code == 302
    location = response.location
    assert "/t/alpha/ledger?date=" in location and "#inq-" in location
    inquiry_id = location.rsplit("#inq-", 1)[1]
    html = html_of(browser.get(location.split("#")[0]))
    row = re.search(rf'<tr id="inq-{inquiry_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert row and "车位月卡怎么办理" in row.group(1) and "张先生" in row.group(1)
    assert agreed[11:] in row.group(1)  # the agreed time, on the tenant's clock
    assert "tag-important" in row.group(1)
    assert re.search(r'data-number="\d{8}-0001"', html)


def test_answering_at_once_from_the_form(browser):
    response = new_inquiry(browser, answer="月卡在客服中心办理，带行驶证。")
    assert response.status_code == 302
    html = html_of(browser.get(response.location.split("#")[0]))
    assert 'data-status="answered"' in html and "月卡在客服中心办理" in html


def test_a_refused_inquiry_stays_on_the_form_with_the_message(browser):
    response = new_inquiry(browser, answer="这个我不知道")
    assert response.status_code == 200
    html = html_of(response)
    assert "不知道" in html and 'class="flash error"' in html
    assert 'value="车位月卡怎么办理"' in html  # nothing the clerk typed is lost


def test_overdue_rows_are_marked_and_filters_work(tenant_a, browser):
    late = make_inquiry(tenant_a, now=local(2025, 11, 25, 9, 0), agreed_reply_at=local(2025, 11, 25, 15, 0),
                        subject="下水道堵塞")
    make_inquiry(tenant_a, now=local(2025, 11, 25, 9, 30), answer="已答复", subject="物业费怎么交")
    html = html_of(browser.get("/t/alpha/ledger?date=2025-11-25"))
    assert re.search(rf'<tr id="inq-{late.id}"[^>]*data-overdue="1"[^>]*class="overdue', html)
    assert html.count("<tr id=\"inq-") == 2
    only_overdue = html_of(browser.get("/t/alpha/ledger?date=2025-11-25&overdue=1"))
    assert only_overdue.count("<tr id=\"inq-") == 1 and "下水道堵塞" in only_overdue
    found = html_of(browser.get("/t/alpha/ledger?date=2025-11-25&q=物业费"))
    assert found.count("<tr id=\"inq-") == 1 and "物业费怎么交" in found
    answered = html_of(browser.get("/t/alpha/ledger?date=2025-11-25&status=answered"))
    assert answered.count("<tr id=\"inq-") == 1


def test_ledger_downloads_from_the_page(tenant_a, browser):
    make_inquiry(tenant_a, now=local(2025, 11, 25, 9, 0))
    xlsx = browser.get("/t/alpha/ledger.xlsx?date=2025-11-25")
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    csv = browser.get("/t/alpha/ledger.csv?date=2025-11-25")
    assert csv.status_code == 200 and csv.get_data().startswith(b"\xef\xbb\xbf")
    assert browser.get("/t/alpha/ledger.pdf").status_code == 404
    assert browser.get("/t/alpha/ledger?date=nonsense").status_code == 400


def step(browser, inquiry_id, name, data):
    page = html_of(browser.get(f"/t/alpha/inquiries/{inquiry_id}"))
    payload = {f"{name}-csrf_token": csrf_token(page), **{f"{name}-{k}": v for k, v in data.items()}}
    if "final" in data:
        payload["final"] = data["final"]
    return browser.post(f"/t/alpha/inquiries/{inquiry_id}/{name}", data=payload)


def forms_on(html) -> set[str]:
    return set(re.findall(r'id="form-(\w+)"', html))


def test_detail_shows_the_timeline_and_only_the_steps_the_status_allows(tenant_a, browser):
    inquiry = make_inquiry(tenant_a, "desk@alpha.test")
    html = html_of(browser.get(f"/t/alpha/inquiries/{inquiry.id}"))
    assert inquiry.number in html and 'data-kind="created"' in html
    assert forms_on(html) == {"reply", "agree", "forward", "escalate", "refer"}

    forwarded = step(browser, inquiry.id, "forward", {"department": "engineering", "remark": "请上门"})
    assert forwarded.status_code == 302
    html = html_of(browser.get(f"/t/alpha/inquiries/{inquiry.id}"))
    assert 'data-status="forwarded"' in html and 'data-kind="forwarded"' in html
    assert forms_on(html) == {"reply", "agree", "forward", "escalate", "refer", "close"}

    assert step(browser, inquiry.id, "reply", {"body": "已修好", "final": "1"}).status_code == 302
    html = html_of(browser.get(f"/t/alpha/inquiries/{inquiry.id}"))
    assert 'data-status="answered"' in html and forms_on(html) == {"close"}

    assert step(browser, inquiry.id, "close", {}).status_code == 422  # no survey yet
    assert step(browser, inquiry.id, "close", {"score": "4"}).status_code == 302
    html = html_of(browser.get(f"/t/alpha/inquiries/{inquiry.id}"))
    assert 'data-status="closed"' in html and forms_on(html) == set()


def test_a_refused_step_shows_the_rule_on_the_page(tenant_a, browser):
    inquiry = make_inquiry(tenant_a, "desk@alpha.test")
    response = step(browser, inquiry.id, "refer", {"to": "街道办", "contact": ""})
    assert response.status_code == 422
    assert "core.inquiry.refer_out" in html_of(response)
    response = step(browser, inquiry.id, "reply", {"body": "没办法", "final": "1"})
    assert response.status_code == 422 and "没办法" in html_of(response)


def test_agree_and_escalate_from_the_page(tenant_a, browser):
    make_user(tenant_a, "sup@alpha.test", ["supervisor"])
    inquiry = make_inquiry(tenant_a, "desk@alpha.test")
    agreed = (datetime.now(SHANGHAI) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert step(browser, inquiry.id, "agree", {"agreed_reply_at": agreed}).status_code == 302
    assert step(browser, inquiry.id, "escalate", {"note": "业主很急"}).status_code == 302
    html = html_of(browser.get(f"/t/alpha/inquiries/{inquiry.id}"))
    assert 'id="agreed-reply-at"' in html and agreed.replace("T", " ") in html
    assert 'data-kind="escalated"' in html and "业主很急" in html


def test_archivist_sees_the_ledger_without_the_form_and_others_not_at_all(app, tenant_a):
    make_inquiry(tenant_a, now=local(2025, 11, 25, 9, 0))
    make_user(tenant_a, "arch@alpha.test", ["archivist"])
    archivist = app.test_client()
    sign_in_page(archivist, "alpha", "arch@alpha.test", USER_PASSWORD)
    html = html_of(archivist.get("/t/alpha/ledger?date=2025-11-25"))
    assert 'id="new-inquiry"' not in html and html.count("<tr id=\"inq-") == 1
    make_user(tenant_a, "notes@alpha.test", ["note_taker"])
    outsider = app.test_client()
    sign_in_page(outsider, "alpha", "notes@alpha.test", USER_PASSWORD)
    assert outsider.get("/t/alpha/ledger").status_code == 403
    assert 'id="nav-ledger"' not in html_of(outsider.get("/t/alpha/"))


def test_pages_need_a_signed_in_user(client, tenant_a):
    response = client.get("/t/alpha/ledger")
    assert response.status_code == 302 and "/t/alpha/login" in response.location


def test_another_tenants_inquiry_page_is_404(app, tenant_a, tenant_b, browser):
    theirs = make_inquiry(tenant_b)
    assert browser.get(f"/t/alpha/inquiries/{theirs.id}").status_code == 404
