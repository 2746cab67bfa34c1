"""Attachments: kept outside the database, written whole, typed by content, size-limited,
recordings only with consent (core.record.recording_consent), downloads audited."""

import hashlib
import io
import zipfile

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.records.models import Attachment
from core.tenancy import tenant_context
from tests.records.helpers import (
    EXE,
    PDF,
    PNG,
    WAV,
    audit_events,
    enable_record_rules,
    make_staff,
    new_record,
    set_rules,
    upload,
)


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "files"))
    return tmp_path / "files"


@pytest.fixture
def staff(client, tenant_a, admin_a, store):
    enable_record_rules(admin_a)
    return make_staff(client, tenant_a, admin_a)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.sh", "rm -rf /")
    return buffer.getvalue()


def test_files_live_outside_the_database_intact(staff, store, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner)
    response = upload(owner, record["id"], PDF, "咨询协议.pdf")
    assert response.status_code == 201, response.get_json()
    attachment = response.get_json()
    assert attachment["content_type"] == "application/pdf" and attachment["kind"] == "document"
    assert attachment["size"] == len(PDF) and attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    path = store / str(tenant_a.id) / record["id"] / attachment["id"]
    assert path.read_bytes() == PDF
    assert [p.name for p in path.parent.iterdir()] == [attachment["id"]]  # no temporary file left
    with tenant_context(tenant_a):
        row = db.session.execute(sa.select(Attachment)).scalar_one()
        assert row.storage_key == f"{tenant_a.id}/{record['id']}/{attachment['id']}"
        assert not any(isinstance(v, bytes) for v in vars(row).values())  # the bytes are not in the row
    listed = owner.get(f"/records/{record['id']}").get_json()["attachments"]
    assert [a["filename"] for a in listed] == ["咨询协议.pdf"]


def test_download_is_the_same_bytes_and_an_audited_read(staff, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential")
    attachment = upload(owner, record["id"], PNG, "画.png").get_json()
    url = f"/records/{record['id']}/attachments/{attachment['id']}"
    response = owner.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png" and "attachment" in response.headers["Content-Disposition"]
    response.close()
    refused = staff.api("other_desk").get(url)
    assert refused.status_code == 403
    reads = audit_events(tenant_a, "record.read", object_id=record["id"])
    assert [(e.details["via"], e.details["attachment_id"]) for e in reads] == [
        ("attachment", attachment["id"])]
    refusals = audit_events(tenant_a, "record.read_refused", object_id=record["id"])
    assert refusals[0].details["via"] == "attachment"
    other = new_record(owner)
    assert owner.get(f"/records/{other['id']}/attachments/{attachment['id']}").status_code == 404


@pytest.mark.parametrize("content, filename, expected", [
    ("就是一段文字，不是 PDF。".encode(), "报告.pdf", "text/plain"),
    (PNG, "录音.mp3", "image/png"),
    (PDF, "notes.txt", "application/pdf"),
    (b"\xff\xd8\xff\xe0" + bytes(32), "photo", "image/jpeg"),
    (None, "量表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_content_type_comes_from_the_bytes_not_the_name(staff, content, filename, expected):
    owner = staff.api("owner")
    record = new_record(owner)
    response = upload(owner, record["id"], content if content is not None else _docx(), filename)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == expected
    assert response.get_json()["filename"] == filename


@pytest.mark.parametrize("content, filename", [
    (EXE, "setup.pdf"), (_zip(), "资料.docx"), (b"", "empty.txt"), (b"\x00\x01\x02binary", "data.txt"),
    ("GBK 编码".encode("gbk"), "gbk.txt"),
])
def test_types_outside_the_allow_list_are_refused(staff, store, content, filename):
    owner = staff.api("owner")
    record = new_record(owner)
    response = upload(owner, record["id"], content, filename)
    assert response.status_code == 422, response.get_json()
    assert "file" in response.get_json()["error"]["fields"]
    assert not any(p.is_file() for p in store.rglob("*"))  # nothing is kept


def test_size_limit_is_413_with_the_envelope(app, staff, store, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1000)
    owner = staff.api("owner")
    record = new_record(owner)
    assert upload(owner, record["id"], b"a" * 1000, "ok.txt").status_code == 201
    for size in (1001, 200_000):  # over the limit; far over it (refused while reading the body)
        response = upload(owner, record["id"], b"a" * size, "big.txt")
        assert response.status_code == 413
        assert response.get_json()["error"]["code"] == "payload_too_large"
    assert len([p for p in store.rglob("*") if p.is_file()]) == 1


def test_default_limit_is_20_mb_above_the_app_wide_body_limit(app, staff, store):
    owner = staff.api("owner")
    record = new_record(owner)
    content = b"%PDF-1.4\n" + b"0" * (17 * 1024 * 1024)  # over MAX_CONTENT_LENGTH, under 20 MB
    response = upload(owner, record["id"], content, "scan.pdf")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["size"] == len(content)


def test_recordings_need_consent_on_file(staff, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential")
    refused = upload(owner, record["id"], WAV, "第一次咨询.wav")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["rule"] == "core.record.recording_consent"
    assert owner.post(f"/records/{record['id']}/consent", json={"consent_by": ""}).status_code == 422
    consent = owner.post(f"/records/{record['id']}/consent",
                         json={"consent_by": "来访者本人（口头同意并签字）"})
    assert consent.status_code == 200 and consent.get_json()["consent_recording"] is True
    assert consent.get_json()["consent_recorded_at"]
    accepted = upload(owner, record["id"], WAV, "第一次咨询.wav")
    assert accepted.status_code == 201 and accepted.get_json()["kind"] == "audio"
    assert audit_events(tenant_a, "record.consent_recorded", object_id=record["id"])
    withdrawn = owner.post(f"/records/{record['id']}/consent", json={"given": False})
    assert withdrawn.get_json()["consent_recording"] is False
    assert upload(owner, record["id"], WAV, "again.wav").status_code == 422


def test_recordings_without_consent_when_the_rule_is_off(staff):
    set_rules(staff.admin, {"core.record.recording_consent": {"enabled": False}})
    owner = staff.api("owner")
    record = new_record(owner)
    response = upload(owner, record["id"], WAV, "录音.wav")
    assert response.status_code == 201 and response.get_json()["content_type"] == "audio/wav"


def test_only_owner_or_archivist_attach(staff):
    record = new_record(staff.api("owner"))
    assert upload(staff.api("other_desk"), record["id"], PDF, "x.pdf").status_code == 403
    assert upload(staff.api("archivist"), record["id"], PDF, "x.pdf").status_code == 201


def test_a_missing_file_part_is_422(staff):
    owner = staff.api("owner")
    record = new_record(owner)
    response = owner.post(f"/records/{record['id']}/attachments", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]


def test_export_and_import_carry_the_files_under_the_new_tenant(staff, store, tenant_a, runner, tmp_path):
    owner = staff.api("owner")
    record = new_record(owner)
    attachment = upload(owner, record["id"], PDF, "协议.pdf").get_json()
    exported = tmp_path / "alpha.json"
    assert runner.invoke(args=["tenants", "export", "alpha", "-o", str(exported)]).exit_code == 0
    result = runner.invoke(args=["tenants", "import", str(exported), "--slug", "alpha-copy"])
    assert result.exit_code == 0, result.output
    from core.tenancy import find_tenant

    copy = find_tenant("alpha-copy")
    copied = store / str(copy.id) / record["id"] / attachment["id"]
    assert copied.read_bytes() == PDF  # a copy of its own, not the original tenant's file
    with tenant_context(copy):
        row = db.session.execute(sa.select(Attachment)).scalar_one()
        assert row.storage_key == f"{copy.id}/{record['id']}/{attachment['id']}"
