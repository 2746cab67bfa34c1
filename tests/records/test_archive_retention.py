"""Archive: a closed record is read-only and never deleted by staff (core.record.archive);
retention: purged only once the tenant sets retention_days (core.record.retention)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.records import service
from core.records.models import Attachment, Disclosure, Record
from core.tenancy import tenant_context, utcnow
from tests.records.helpers import (
    PDF,
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


def test_closing_archives_read_only(staff, tenant_a):
    owner = staff.api("owner")
    record = new_record(owner, body="第四次面谈后结案")
    closed = owner.post(f"/records/{record['id']}/close")
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "archived" and closed.get_json()["archived_at"]
    path = f"/records/{record['id']}"
    for response in (owner.patch(path, json={"body": "改写"}),
                     upload(owner, record["id"], PDF, "补充.pdf"),
                     owner.post(f"{path}/consent", json={"consent_by": "本人"}),
                     owner.post(f"{path}/close"),
                     staff.api("archivist").patch(path, json={"title": "改"})):
        assert response.status_code == 409, response.get_json()
        assert response.get_json()["error"]["code"] == "conflict"
    assert owner.get(path).get_json()["body"] == "第四次面谈后结案"
    assert audit_events(tenant_a, "record.archived", object_id=record["id"])
    # archived records are still found
    archived = owner.get("/records?status=archived").get_json()["items"]
    assert [r["id"] for r in archived] == [record["id"]]


def test_nobody_deletes_a_record(staff):
    record = new_record(staff.api("owner"))
    for who in ("owner", "archivist", "admin"):
        response = staff.api(who).delete(f"/records/{record['id']}")
        assert response.status_code == 405, who
    assert staff.api("owner").get(f"/records/{record['id']}").status_code == 200


def test_who_closes(staff):
    record = new_record(staff.api("owner"))
    assert staff.api("other_desk").post(f"/records/{record['id']}/close").status_code == 403
    assert staff.api("archivist").post(f"/records/{record['id']}/close").status_code == 200


def test_archive_rule_off_allows_changes_after_closing(staff):
    set_rules(staff.admin, {"core.record.archive": {"enabled": False}})
    owner = staff.api("owner")
    record = new_record(owner)
    owner.post(f"/records/{record['id']}/close")
    changed = owner.patch(f"/records/{record['id']}", json={"body": "补记"})
    assert changed.status_code == 200 and changed.get_json()["body"] == "补记"
    assert upload(owner, record["id"], PDF, "补充.pdf").status_code == 201


def _archived(staff, tenant, days_ago: int, *, with_file: bool = False) -> str:
    owner = staff.api("owner")
    record = new_record(owner, confidentiality="confidential", title=f"{days_ago} 天前归档")
    if with_file:
        owner.post(f"/records/{record['id']}/consent", json={"consent_by": "本人"})
        assert upload(owner, record["id"], WAV, "录音.wav").status_code == 201
        assert owner.post(f"/records/{record['id']}/disclosures", json={
            "reason": "风险", "recipients": ["家长"], "fields": ["subject_name"]}).status_code == 201
    assert owner.post(f"/records/{record['id']}/close").status_code == 200
    with tenant_context(tenant):
        row = db.session.get(Record, (tenant.id, record["id"]))
        row.archived_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return record["id"]


def _ids(tenant, model):
    with tenant_context(tenant):
        return set(db.session.execute(sa.select(model.id)).scalars())


def test_nothing_is_purged_until_retention_is_set(staff, tenant_a):
    old = _archived(staff, tenant_a, 4000)
    with tenant_context(tenant_a):
        assert service.purge_expired(tenant_a, utcnow()) == 0
    db.session.commit()
    assert old in _ids(tenant_a, Record)


def test_retention_purges_old_archived_records_with_their_files(staff, tenant_a, store):
    set_rules(staff.admin, {"core.record.retention": {"params": {"retention_days": 365}}})
    old = _archived(staff, tenant_a, 400, with_file=True)
    recent = _archived(staff, tenant_a, 100)
    still_open = new_record(staff.api("owner"))["id"]
    files = [p for p in store.rglob("*") if p.is_file()]
    assert len(files) == 1
    with tenant_context(tenant_a):
        assert service.purge_expired(tenant_a, utcnow()) == 1
        assert files[0].exists()  # files go only when the purge commits
    db.session.commit()
    assert not files[0].exists() and not (store / str(tenant_a.id) / old).exists()
    assert _ids(tenant_a, Record) == {recent, still_open}
    assert _ids(tenant_a, Attachment) == set() and _ids(tenant_a, Disclosure) == set()
    purged = audit_events(tenant_a, "record.purged", object_id=old)
    assert len(purged) == 1 and purged[0].details["attachments"] == 1 and purged[0].actor_kind == "system"
    with tenant_context(tenant_a):
        assert service.purge_expired(tenant_a, utcnow()) == 0  # idempotent
    db.session.commit()


def test_a_rolled_back_purge_keeps_the_files(staff, tenant_a, store):
    set_rules(staff.admin, {"core.record.retention": {"params": {"retention_days": 30}}})
    old = _archived(staff, tenant_a, 60, with_file=True)
    files = [p for p in store.rglob("*") if p.is_file()]
    with tenant_context(tenant_a):
        assert service.purge_expired(tenant_a, utcnow()) == 1
    db.session.rollback()
    db.session.commit()  # a later commit must not delete the files of the rolled-back purge
    assert all(f.exists() for f in files)
    assert old in _ids(tenant_a, Record)


def test_the_sweep_runs_the_purge(staff, tenant_a, runner):
    set_rules(staff.admin, {"core.record.retention": {"params": {"retention_days": 30}}})
    old = _archived(staff, tenant_a, 60)
    result = runner.invoke(args=["sweep"])
    assert result.exit_code == 0, result.output
    assert old not in _ids(tenant_a, Record)
