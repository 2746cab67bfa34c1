"""Records service: the one place the record rules are enforced, for the API, pages and sweep.

Who reads what (core.record.confidentiality): any holder of records.view reads a *normal*
record. A *confidential* record is read only by its owner, the archivist role, the roles the
tenant names in ``readers``, and — holding a logged, unexpired ReadGrant — users whose role is
in ``grant_roles``; never by a role in ``never_readers`` (that refusal wins over everything,
ownership included). A tenant administrator holds every permission but is not a reader of
confidential files unless the tenant names the admin role (S0-3 §3). With the rule disabled,
records.view holders read every record. Every read (detail, export, attachment download,
disclosure) is audited as ``record.read``; a refused read is a 403, audited as
``record.read_refused`` (the views commit that event before answering).

Lists leave out the confidential records the actor may not read (rather than showing them
redacted): even a title can identify a client.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from core import audit, policy
from core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from core.extensions import db
from core.identity.models import User
from core.identity.permissions import has_permission, require_permission
from core.notifications.service import notify, notify_role
from core.pagination import page
from core.plugin_system.manager import tenant_hooks
from core.records import storage
from core.records.anonymise import KINDS as ANONYMISE_KINDS
from core.records.anonymise import anonymise_fields
from core.records.models import (
    DISCLOSABLE_FIELDS,
    Attachment,
    Disclosure,
    LendingApproval,
    ReadGrant,
    Record,
)
from core.tenancy import current_tenant, current_tenant_id, new_id, utcnow

CONFIDENTIALITY = "core.record.confidentiality"
RECORDING_CONSENT = "core.record.recording_consent"
ANONYMISED_EXPORT = "core.record.anonymised_export"
BREAK_GLASS = "core.record.break_glass"
LAWFUL_REQUEST = "core.record.lawful_request"
ARCHIVE = "core.record.archive"
NO_LENDING = "core.record.no_lending"
RETENTION = "core.record.retention"

ALWAYS_READER = "archivist"  # DOMAIN.md: owner + the archivist role + the readers the tenant adds
DISCUSSION_PURPOSES = ("case_discussion", "teaching", "research")  # S0-3 §4
LENDING_DAYS = 7  # an approval without an end date is good for a week (product choice)
PURGE_BATCH = 200

EDITABLE = ("title", "kind", "subject_name", "subject_phone", "subject_email", "subject_id_card",
            "subject_address", "body", "confidentiality", "inquiry_id")


class ReadRefused(Forbidden):
    """A refused read of a record; the refusal is audited and the view commits that event."""


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


# --- finding records --------------------------------------------------------------------------


def get_record(record_id: str) -> Record:
    record = db.session.execute(sa.select(Record).where(Record.id == record_id)).scalar_one_or_none()
    if record is None:
        raise NotFound(_("No such record."))
    return record


def get_attachment(record: Record, attachment_id: str) -> Attachment:
    attachment = db.session.execute(
        sa.select(Attachment).where(Attachment.id == attachment_id, Attachment.record_id == record.id)
    ).scalar_one_or_none()
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return attachment


def _user(user_id: str, field: str) -> User:
    user = db.session.execute(
        sa.select(User).where(User.id == user_id, User.active.is_(True))).scalar_one_or_none()
    if user is None:
        raise ValidationError(_("No such user."), fields={field: [_("No such active user.")]})
    return user


# --- who may read -----------------------------------------------------------------------------


def _active_grant(record: Record, actor, now: datetime) -> bool:
    return db.session.execute(
        sa.select(ReadGrant.id).where(ReadGrant.record_id == record.id,
                                      ReadGrant.grantee_id == actor.id,
                                      ReadGrant.expires_at > now).limit(1)
    ).first() is not None


def read_decision(record: Record, actor, now: datetime | None = None) -> tuple[bool, str]:
    """(allowed, basis): basis names why, for the audit trail."""
    if not has_permission(actor, "records.view"):
        return False, "no_permission"
    if not record.confidential:
        return True, "normal"
    params = policy.params(CONFIDENTIALITY)
    if params is None:
        return True, "rule_disabled"
    roles = set(actor.roles)
    if roles & set(params["never_readers"]):
        return False, "never_reader"
    if record.owner_id == actor.id:
        return True, "owner"
    if roles & ({ALWAYS_READER} | set(params["readers"])):
        return True, "reader_role"
    if roles & set(params["grant_roles"]) and _active_grant(record, actor, now or utcnow()):
        return True, "grant"
    return False, "not_a_reader"


def can_read(record: Record, actor) -> bool:
    return read_decision(record, actor)[0]


def _refuse_read(record: Record, actor, via: str, basis: str, details: dict | None = None):
    audit.record("record.read_refused", record, actor=actor,
                 details={"via": via, "basis": basis, "confidentiality": record.confidentiality,
                          **(details or {})})
    db.session.flush()
    if basis == "no_permission":
        raise ReadRefused(_("Your roles do not allow this (%(permission)s).", permission="records.view"))
    raise ReadRefused(_("This record is confidential; you are not one of its readers."))


def _audit_read(record: Record, actor, via: str, basis: str, details: dict | None = None) -> None:
    audit.record("record.read", record, actor=actor,
                 details={"via": via, "basis": basis, "confidentiality": record.confidentiality,
                          **(details or {})})


def _check_read(record: Record, actor, via: str, details: dict | None = None) -> str:
    allowed, basis = read_decision(record, actor)
    if not allowed:
        _refuse_read(record, actor, via, basis, details)
    return basis


def read_record(record_id: str, actor) -> Record:
    """One record for its detail view: an audited read."""
    record = get_record(record_id)
    basis = _check_read(record, actor, "detail")
    _audit_read(record, actor, "detail", basis)
    db.session.flush()
    return record


def _visible_condition(actor, now: datetime):
    """SQL condition for the records the actor may read (None: every record)."""
    params = policy.params(CONFIDENTIALITY)
    if params is None:
        return None
    roles = set(actor.roles)
    if roles & set(params["never_readers"]):
        return Record.confidentiality != "confidential"
    if roles & ({ALWAYS_READER} | set(params["readers"])):
        return None
    allowed = [Record.confidentiality != "confidential", Record.owner_id == actor.id]
    if roles & set(params["grant_roles"]):
        allowed.append(Record.id.in_(
            sa.select(ReadGrant.record_id).where(ReadGrant.grantee_id == actor.id,
                                                 ReadGrant.expires_at > now)))
    return sa.or_(*allowed)


def list_records(actor, *, status=None, kind=None, confidentiality=None, mine=False,
                 inquiry_id=None, limit: int, cursor: str | None):
    """The records the actor may read, newest first; confidential ones they may not are left out."""
    require_permission(actor, "records.view")
    query = sa.select(Record)
    condition = _visible_condition(actor, utcnow())
    if condition is not None:
        query = query.where(condition)
    if status:
        query = query.where(Record.status == status)
    if kind:
        query = query.where(Record.kind == kind)
    if confidentiality:
        query = query.where(Record.confidentiality == confidentiality)
    if mine:
        query = query.where(Record.owner_id == actor.id)
    if inquiry_id:
        query = query.where(Record.inquiry_id == inquiry_id)
    return page(query, Record, limit=limit, cursor=cursor)


def attachments_of(record: Record) -> list[Attachment]:
    return list(db.session.execute(
        sa.select(Attachment).where(Attachment.record_id == record.id).order_by(Attachment.id)
    ).scalars())


def disclosures_of(record: Record) -> list[Disclosure]:
    return list(db.session.execute(
        sa.select(Disclosure).where(Disclosure.record_id == record.id).order_by(Disclosure.id)
    ).scalars())


def grants_of(record: Record) -> list[ReadGrant]:
    return list(db.session.execute(
        sa.select(ReadGrant).where(ReadGrant.record_id == record.id).order_by(ReadGrant.id)
    ).scalars())


def page_url(record: Record) -> str:
    """The record's page (also outside a request: sweep, demo)."""
    return f"/t/{current_tenant().slug}/records/{record.id}"


def as_dict(record: Record) -> dict:
    return {column.key: getattr(record, column.key) for column in Record.__table__.columns}


def detail(record: Record) -> dict:
    """What the detail view shows (call after read_record)."""
    return {**as_dict(record), "attachments": attachments_of(record),
            "disclosures": disclosures_of(record)}


# --- creating and changing --------------------------------------------------------------------


def create_record(data: dict, actor) -> Record:
    require_permission(actor, "records.create")
    owner_id = data.get("owner_id") or actor.id
    if owner_id != actor.id:
        _user(owner_id, "owner_id")
    fields = {k: v for k, v in data.items() if k in EDITABLE and v is not None}
    record = Record(owner_id=owner_id, created_by=actor.id, **fields)
    db.session.add(record)
    db.session.flush()
    audit.record("record.created", record, actor=actor,
                 details={"kind": record.kind, "confidentiality": record.confidentiality,
                          "owner_id": owner_id})
    tenant_hooks().record_created(record=record, actor=actor)
    return record


def _check_change(record: Record, actor, via: str) -> None:
    """Changing a record: its owner or a records.archive holder, who can read it; not archived."""
    _check_read(record, actor, via)
    if record.owner_id != actor.id and not has_permission(actor, "records.archive"):
        raise Forbidden(_("Only the record's owner or the archivist changes it."))
    if record.archived and policy.enabled(ARCHIVE):
        raise Conflict(_("The record is archived and read-only."))


def update_record(record_id: str, changes: dict, actor) -> Record:
    record = get_record(record_id)
    _check_change(record, actor, "update")
    changed = {}
    for key, value in changes.items():
        if key in EDITABLE and getattr(record, key) != value:
            setattr(record, key, value if value is not None or key == "inquiry_id" else "")
            changed[key] = True
    if changed:
        record.updated_at = utcnow()
        db.session.flush()
        audit.record("record.updated", record, actor=actor,
                     details={"fields": sorted(changed), "confidentiality": record.confidentiality})
    return record


def close_record(record_id: str, actor) -> Record:
    """Close the case: the record is archived (read-only while core.record.archive is on)."""
    record = get_record(record_id)
    _check_read(record, actor, "close")
    if record.owner_id != actor.id and not has_permission(actor, "records.archive"):
        raise Forbidden(_("Only the record's owner or the archivist closes it."))
    if record.archived:
        raise Conflict(_("The record is already archived."))
    record.status, record.archived_at, record.archived_by = "archived", utcnow(), actor.id
    record.updated_at = record.archived_at
    db.session.flush()
    audit.record("record.archived", record, actor=actor)
    return record


def record_consent(record_id: str, *, given: bool, consent_by: str, actor) -> Record:
    """core.record.recording_consent: the requester's consent to recording, on file (or withdrawn)."""
    record = get_record(record_id)
    _check_change(record, actor, "consent")
    if given and not consent_by.strip():
        raise ValidationError(_("Say who consented."),
                              fields={"consent_by": [_("Who consented: the requester or a guardian.")]})
    record.consent_recording = given
    record.consent_by = consent_by.strip() if given else None
    record.consent_recorded_at = utcnow()
    record.consent_recorded_by = actor.id
    record.updated_at = record.consent_recorded_at
    db.session.flush()
    audit.record("record.consent_recorded" if given else "record.consent_withdrawn", record,
                 actor=actor, details={"consent_by": record.consent_by})
    return record


# --- attachments ------------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


def _clean_filename(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    base = _UNSAFE_NAME.sub("", base).strip()
    return base[-255:] or "attachment"


def add_attachment(record_id: str, upload, actor) -> Attachment:
    """Store an uploaded file (werkzeug FileStorage) outside the database and attach it.

    Refused: over ATTACHMENT_MAX_BYTES (413), a type not in the allow-list by its content
    (422, field "file"), audio or video without the requester's consent on file (422,
    core.record.recording_consent).
    """
    record = get_record(record_id)
    _check_change(record, actor, "attach")
    attachment_id = new_id()
    key = f"{current_tenant_id()}/{record.id}/{attachment_id}"
    limit = storage.max_bytes()
    try:
        pending = storage.receive(upload.stream, key, limit)
    except storage.TooLarge:
        raise PayloadTooLarge(_("The file is larger than %(mb)s MB.", mb=round(limit / 1048576, 1)),
                              fields={"file": [_("Too large.")]}) from None
    try:
        content_type = storage.sniff(pending.temp)
        if content_type is None:
            raise ValidationError(_("This kind of file cannot be attached."), fields={"file": [
                _("Allowed: PDF, Word and Excel documents, plain text, images, audio and video.")]})
        kind = storage.ALLOWED_TYPES[content_type]
        if kind in ("audio", "video"):
            policy.require(RECORDING_CONSENT, record.consent_recording,
                           _("A recording can only be attached when the requester's consent is on file."))
        stored = pending.commit(content_type)
    except BaseException:
        pending.discard()
        raise
    attachment = Attachment(id=attachment_id, record_id=record.id,
                            filename=_clean_filename(upload.filename), content_type=stored.content_type,
                            size=stored.size, sha256=stored.sha256, storage_key=stored.key,
                            kind=stored.kind, uploaded_by=actor.id)
    db.session.add(attachment)
    record.updated_at = utcnow()
    db.session.flush()
    audit.record("record.attachment_added", record, actor=actor,
                 details={"attachment_id": attachment.id, "content_type": attachment.content_type,
                          "size": attachment.size, "sha256": attachment.sha256})
    return attachment


def open_attachment(record_id: str, attachment_id: str, actor):
    """(attachment, path) for a download: an audited read of the record."""
    record = get_record(record_id)
    attachment = get_attachment(record, attachment_id)
    details = {"attachment_id": attachment.id}
    basis = _check_read(record, actor, "attachment", details)
    path = storage.path_of(attachment.storage_key)
    if not path.is_file():
        raise NotFound(_("The file of this attachment is missing from storage."))
    _audit_read(record, actor, "attachment", basis, details)
    db.session.flush()
    return attachment, path


# --- export -----------------------------------------------------------------------------------


def _approved(record: Record, actor, action: str, now: datetime) -> LendingApproval | None:
    return db.session.execute(
        sa.select(LendingApproval).where(
            LendingApproval.record_id == record.id, LendingApproval.borrower_id == actor.id,
            LendingApproval.action == action, LendingApproval.expires_at > now)
        .order_by(LendingApproval.id.desc()).limit(1)
    ).scalar_one_or_none()


def export_record(record_id: str, actor, *, anonymised: bool, purpose: str | None = None) -> dict:
    """The record as an export; anonymised for discussion, teaching and research (S0-3 §4).

    Exporting it unaltered is copying archived or confidential material: with
    core.record.no_lending on, it needs the approver's recorded approval for this user.
    """
    record = get_record(record_id)
    details = {"anonymised": anonymised, "purpose": purpose}
    basis = _check_read(record, actor, "export", details)
    now = utcnow()
    if purpose in DISCUSSION_PURPOSES:
        policy.require(ANONYMISED_EXPORT, anonymised,
                       _("Exports for case discussion, teaching or research are anonymised."))
    approval = None
    if not anonymised and (record.confidential or record.archived):
        approval = _approved(record, actor, "export", now)
        policy.require(NO_LENDING, approval is not None,
                       _("Exporting this record unaltered needs a recorded approval."))
    values = {key: getattr(record, key) for key in
              ("id", *DISCLOSABLE_FIELDS, "confidentiality", "status", "created_at", "archived_at")}
    if anonymised:
        params = policy.params(ANONYMISED_EXPORT)
        replaced = list(params["replace"]) if params is not None else list(ANONYMISE_KINDS)
        values = anonymise_fields(values, replace=replaced)
        attachments = []  # file names and contents may identify the person: never anonymised
    else:
        replaced = []
        attachments = attachments_of(record)
    if approval is not None:
        details["approval_id"] = approval.id
    _audit_read(record, actor, "export", basis, details)
    db.session.flush()
    return {"anonymised": anonymised, "replaced": replaced, "purpose": purpose, "exported_at": now,
            "record": {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()},
            "attachments": attachments}


# --- disclosures ------------------------------------------------------------------------------


def disclose(record_id: str, data: dict, actor) -> tuple[Disclosure, dict]:
    """A break-glass disclosure (S0-3 §5) or a lawful request (S0-3 §6): (row, values given out).

    Break-glass gives out only the exact fields named, with reason and recipients, and tells
    the supervisors; a lawful request records the authority and its legal basis and releases
    the record unaltered.
    """
    record = get_record(record_id)
    kind = data.get("type") or "break_glass"
    basis = _check_read(record, actor, "disclosure", {"type": kind})
    if record.owner_id != actor.id and not has_permission(actor, "records.disclose"):
        raise Forbidden(_("Only the record's owner or a holder of records.disclose discloses it."))
    reason = (data.get("reason") or "").strip()
    recipients = [r.strip() for r in data.get("recipients") or [] if r.strip()]
    names = list(dict.fromkeys(data.get("fields") or []))
    unknown = [n for n in names if n not in DISCLOSABLE_FIELDS]
    if unknown:
        raise ValidationError(_("Not a field of the record."), fields={"fields": unknown})
    authority = (data.get("authority") or "").strip() or None
    legal_basis = (data.get("legal_basis") or "").strip() or None
    if kind == "break_glass":
        if not reason:
            raise ValidationError(_("Give the reason."), fields={"reason": [_("Required.")]})
        if not recipients:
            raise ValidationError(_("Name the recipients."), fields={"recipients": [_("Required.")]})
        policy.require(BREAK_GLASS, bool(names),
                       _("Name the exact fields to disclose: only the minimum necessary goes out."))
        if not names:  # rule off: the whole record
            names = list(DISCLOSABLE_FIELDS)
    else:
        policy.require(LAWFUL_REQUEST, bool(authority and legal_basis),
                       _("A lawful request records the requesting authority and its legal basis."))
        names = list(DISCLOSABLE_FIELDS)  # released unaltered
        recipients = recipients or ([authority] if authority else [])
    disclosure = Disclosure(record_id=record.id, type=kind, reason=reason, recipients=recipients,
                            fields=names, authority=authority, legal_basis=legal_basis,
                            disclosed_by=actor.id)
    db.session.add(disclosure)
    db.session.flush()
    values = {name: getattr(record, name) for name in names}
    if kind == "lawful_request":
        values["attachments"] = [{"id": a.id, "filename": a.filename, "content_type": a.content_type,
                                  "size": a.size, "sha256": a.sha256} for a in attachments_of(record)]
    _audit_read(record, actor, "disclosure", basis, {"disclosure_id": disclosure.id})
    audit.record("record.disclosed", record, actor=actor, details={
        "disclosure_id": disclosure.id, "type": kind, "reason": reason, "recipients": recipients,
        "fields": names, "authority": authority, "legal_basis": legal_basis})
    params = policy.params(BREAK_GLASS)
    if kind == "break_glass" and params is not None and params["notify_supervisor"]:
        notify_role("supervisor", "record.break_glass",
                    _("Break-glass disclosure of a record"),
                    _("%(who)s disclosed %(fields)s to %(recipients)s. Reason: %(reason)s",
                      who=actor.name, fields=", ".join(names), recipients=", ".join(recipients),
                      reason=reason),
                    obj=record, url=page_url(record),
                    dedupe_key=f"record.break_glass:{disclosure.id}")
    tenant_hooks().record_disclosed(record=record, disclosure=disclosure, actor=actor)
    return disclosure, values


# --- read grants and lending approvals --------------------------------------------------------


def grant_read(record_id: str, data: dict, actor) -> ReadGrant:
    """A logged grant for one user to read one record until expires_at (school: the room head)."""
    require_permission(actor, "records.grant")
    record = get_record(record_id)
    grantee = _user(data["grantee_id"], "grantee_id")
    now = utcnow()
    if data["expires_at"] <= now:
        raise ValidationError(_("The grant must end in the future."),
                              fields={"expires_at": [_("Must be in the future.")]})
    params = policy.params(CONFIDENTIALITY)
    if params is not None:
        roles = set(grantee.roles)
        policy.require(CONFIDENTIALITY,
                       bool(roles & set(params["grant_roles"])) and not roles & set(params["never_readers"]),
                       _("This user's roles cannot read confidential records by a grant."))
    grant = ReadGrant(record_id=record.id, grantee_id=grantee.id, granted_by=actor.id,
                      reason=data["reason"].strip(), expires_at=data["expires_at"])
    db.session.add(grant)
    db.session.flush()
    audit.record("record.read_granted", record, actor=actor, details={
        "grant_id": grant.id, "grantee_id": grantee.id, "reason": grant.reason,
        "expires_at": grant.expires_at})
    notify([grantee], "record.read_granted", _("You may read a confidential record"),
           grant.reason, obj=record, url=page_url(record))
    return grant


def approve_lending(record_id: str, data: dict, actor) -> LendingApproval:
    """core.record.no_lending: the approver records who may lend, copy or export, and why."""
    require_permission(actor, "records.approve_lending")
    record = get_record(record_id)
    params = policy.params(NO_LENDING)
    if params is not None:
        policy.require(NO_LENDING, params["approver_role"] in actor.roles,
                       _("Only the approver the policy names approves lending."))
    borrower = _user(data["borrower_id"], "borrower_id")
    now = utcnow()
    expires_at = data.get("expires_at") or now + timedelta(days=LENDING_DAYS)
    if expires_at <= now:
        raise ValidationError(_("The approval must end in the future."),
                              fields={"expires_at": [_("Must be in the future.")]})
    approval = LendingApproval(record_id=record.id, action=data["action"], purpose=data["purpose"].strip(),
                               borrower_id=borrower.id, approver_id=actor.id, approved_at=now,
                               expires_at=expires_at)
    db.session.add(approval)
    db.session.flush()
    audit.record("record.lending_approved", record, actor=actor, details={
        "approval_id": approval.id, "action": approval.action, "purpose": approval.purpose,
        "borrower_id": borrower.id, "expires_at": expires_at})
    return approval


# --- retention --------------------------------------------------------------------------------


def _unlink_after_commit(keys: list[str]) -> None:
    """Delete the files only once the rows are gone for good: a rollback keeps both."""
    session = db.session()
    pending = session.info.setdefault("records_purged_files", [])
    pending.extend(keys)


@sa.event.listens_for(Session, "after_commit")
def _delete_purged_files(session) -> None:
    keys = session.info.pop("records_purged_files", None)
    for key in keys or ():
        storage.remove(key)


@sa.event.listens_for(Session, "after_soft_rollback")
def _keep_files_on_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None and previous_transaction.nested is False:
        session.info.pop("records_purged_files", None)


def purge_expired(tenant, now: datetime) -> int:
    """Sweep job (core.record.retention): purge records archived longer than retention_days.

    Nothing happens while the parameter is unset (no seed sets a retention period). Each
    purged record's attachments, disclosures, grants and approvals go with it; the files
    are deleted after the transaction commits; an audit event (without any content) stays.
    Idempotent: a purged record is gone, a second run finds nothing.
    """
    params = policy.params(RETENTION)
    days = params and params.get("retention_days")
    if not days:
        return 0
    cutoff = now - timedelta(days=days)
    records = db.session.execute(
        sa.select(Record).where(Record.status == "archived", Record.archived_at < cutoff)
        .order_by(Record.archived_at).limit(PURGE_BATCH)
    ).scalars().all()
    for record in records:
        attachments = attachments_of(record)
        for model in (Attachment, Disclosure, ReadGrant, LendingApproval):
            db.session.execute(sa.delete(model).where(model.record_id == record.id)
                               .execution_options(synchronize_session=False))
        audit.record("record.purged", record, actor=None, details={
            "kind": record.kind, "confidentiality": record.confidentiality,
            "archived_at": record.archived_at, "retention_days": days,
            "attachments": len(attachments)})
        db.session.delete(record)
        db.session.flush()
        _unlink_after_commit([a.storage_key for a in attachments])
    return len(records)
