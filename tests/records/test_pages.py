"""Records pages: the same service and rules as the API, in Chinese, with CSRF on every form."""

import pytest

from tests.fixtures import USER_PASSWORD, csrf_token, make_user, sign_in_page
from tests.records.helpers import (
    PNG,
    WAV,
    audit_events,
    enable_record_rules,
    multipart,
    new_record,
    set_rules,
)


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "files"))
    return tmp_path / "files"


@pytest.fixture
def owner_page(app, tenant_a, admin_a, store):
    enable_record_rules(admin_a)
    make_user(tenant_a, "counselor@alpha.test", ["desk"], name="郑老师")
    make_user(tenant_a, "head@alpha.test", ["supervisor"], name="冯主任")
    browser = app.test_client()
    assert sign_in_page(browser, "alpha", "counselor@alpha.test", USER_PASSWORD).status_code == 302
    return browser


def _create(browser, **fields) -> str:
    page = browser.get("/t/alpha/records/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="title"' in html and "autofocus" in html
    data = {"csrf_token": csrf_token(html), "title": "初二（3）班 个案记录", "kind": "case_notes",
            "confidentiality": "confidential", "subject_name": "王小雨", "subject_phone": "13800138021",
            "subject_email": "", "subject_id_card": "", "subject_address": "实验小区5栋2单元301",
            "body": "王小雨期中考试后情绪低落。", "inquiry_id": "", **fields}
    response = browser.post("/t/alpha/records/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location.rstrip("/").rsplit("/", 1)[-1]


def test_list_new_and_detail(owner_page, tenant_a):
    record_id = _create(owner_page)
    listing = owner_page.get("/t/alpha/records").get_data(as_text=True)
    assert f'data-record="{record_id}"' in listing and 'id="nav-records"' in listing
    detail = owner_page.get(f"/t/alpha/records/{record_id}")
    html = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "王小雨" in html and 'data-confidentiality="confidential"' in html
    assert audit_events(tenant_a, "record.read", object_id=record_id)[0].details["via"] == "detail"
    filtered = owner_page.get("/t/alpha/records?confidentiality=normal").get_data(as_text=True)
    assert f'data-record="{record_id}"' not in filtered


def test_a_non_reader_gets_403_and_it_is_audited(app, owner_page, tenant_a):
    record_id = _create(owner_page)
    other = app.test_client()
    sign_in_page(other, "alpha", "head@alpha.test", USER_PASSWORD)
    assert f'data-record="{record_id}"' not in other.get("/t/alpha/records").get_data(as_text=True)
    assert other.get(f"/t/alpha/records/{record_id}").status_code == 403
    assert other.get(f"/t/alpha/records/{record_id}/export").status_code == 403
    refused = audit_events(tenant_a, "record.read_refused", object_id=record_id)
    assert [e.details["via"] for e in refused] == ["detail", "export"]


def test_upload_consent_and_download_from_the_page(owner_page, store):
    record_id = _create(owner_page)
    html = owner_page.get(f"/t/alpha/records/{record_id}").get_data(as_text=True)
    token = csrf_token(html)
    body, content_type = multipart(WAV, "录音.wav", {"csrf_token": token})
    refused = owner_page.post(f"/t/alpha/records/{record_id}/attachments", data=body,
                              content_type=content_type, follow_redirects=True)
    assert "core.record.recording_consent" in refused.get_data(as_text=True)
    owner_page.post(f"/t/alpha/records/{record_id}/consent",
                    data={"csrf_token": token, "consent_by": "家长（书面同意）"})
    body, content_type = multipart(PNG, "作品.png", {"csrf_token": token})
    owner_page.post(f"/t/alpha/records/{record_id}/attachments", data=body, content_type=content_type)
    html = owner_page.get(f"/t/alpha/records/{record_id}").get_data(as_text=True)
    assert 'data-consent="yes"' in html and "作品.png" in html
    attachment_id = html.split('data-attachment="', 1)[1].split('"', 1)[0]
    download = owner_page.get(f"/t/alpha/records/{record_id}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PNG
    download.close()


def test_break_glass_form_shows_only_the_ticked_fields(owner_page, tenant_a):
    record_id = _create(owner_page)
    token = csrf_token(owner_page.get(f"/t/alpha/records/{record_id}").get_data(as_text=True))
    sheet = owner_page.post(f"/t/alpha/records/{record_id}/disclosures", data={
        "csrf_token": token, "type": "break_glass", "reason": "自伤风险",
        "recipients": "班主任\n家长", "fields_to_disclose": ["subject_name", "subject_phone"]})
    html = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and 'data-field="subject_name"' in html and "13800138021" in html
    assert "实验小区" not in html and "情绪低落" not in html
    assert audit_events(tenant_a, "record.disclosed", object_id=record_id)
    missing = owner_page.post(f"/t/alpha/records/{record_id}/disclosures", data={
        "csrf_token": token, "type": "break_glass", "reason": "自伤风险", "recipients": "家长"},
        follow_redirects=True)
    assert "core.record.break_glass" in missing.get_data(as_text=True)


def test_anonymised_export_view_and_close(owner_page):
    record_id = _create(owner_page)
    html = owner_page.get(f"/t/alpha/records/{record_id}/export?anonymised=1").get_data(as_text=True)
    assert "【姓名】" in html and "王小雨" not in html and "13800138021" not in html
    token = csrf_token(owner_page.get(f"/t/alpha/records/{record_id}").get_data(as_text=True))
    owner_page.post(f"/t/alpha/records/{record_id}/close", data={"csrf_token": token})
    html = owner_page.get(f"/t/alpha/records/{record_id}").get_data(as_text=True)
    assert 'data-status="archived"' in html and "records/" + record_id + "/edit" not in html
    # an unaltered export of a confidential record needs an approval: flashed, back on the record
    refused = owner_page.get(f"/t/alpha/records/{record_id}/export?anonymised=0", follow_redirects=True)
    assert "core.record.no_lending" in refused.get_data(as_text=True)


def test_pages_need_sign_in_and_csrf(client, tenant_a, admin_a):
    record = new_record(admin_a)
    assert client.get("/t/alpha/records").status_code == 302
    browser = client
    sign_in_page(browser, "alpha", "admin@alpha.test", "admin-pass-123")
    assert browser.post(f"/t/alpha/records/{record['id']}/close").status_code == 400


def test_archivist_grants_and_approves_from_the_page(app, owner_page, tenant_a, admin_a):
    import re

    set_rules(admin_a, {"core.record.confidentiality": {"params": {"grant_roles": ["supervisor"]}}})
    record_id = _create(owner_page)
    make_user(tenant_a, "archive@alpha.test", ["archivist"], name="档案员")
    archivist = app.test_client()
    sign_in_page(archivist, "alpha", "archive@alpha.test", USER_PASSWORD)
    html = archivist.get(f"/t/alpha/records/{record_id}").get_data(as_text=True)
    labels = re.findall(r'<label for="([\w-]+)"', html)
    assert len(labels) == len(set(labels))  # one page, several forms: every label names one field
    head = re.search(r'value="(\w+)">冯主任', html).group(1)
    token = re.search(r'name="grant-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    archivist.post(f"/t/alpha/records/{record_id}/grants", data={
        "grant-csrf_token": token, "grant-grantee_id": head, "grant-reason": "家长申请", "grant-days": "3"})
    assert audit_events(tenant_a, "record.read_granted", object_id=record_id)
    token = re.search(r'name="lending-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    archivist.post(f"/t/alpha/records/{record_id}/lending-approvals", data={
        "lending-csrf_token": token, "lending-borrower_id": head, "lending-action": "export",
        "lending-purpose": "区教育局督导", "lending-days": "7"})
    assert audit_events(tenant_a, "record.lending_approved", object_id=record_id)
