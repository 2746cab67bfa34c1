"""Records, their attachments (files kept outside the database), disclosures, read grants and
lending approvals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow

KINDS = ("case_notes", "session_record", "letter", "test_data", "work_file", "other")
LEVELS = ("normal", "confidential")
STATUSES = ("open", "archived")
ATTACHMENT_KINDS = ("document", "audio", "video", "image")
DISCLOSURE_TYPES = ("break_glass", "lawful_request")
LENDING_ACTIONS = ("lend", "copy", "export")

# The fields of a record that a disclosure can name, in the order of the form
DISCLOSABLE_FIELDS = ("title", "kind", "subject_name", "subject_phone", "subject_email",
                      "subject_id_card", "subject_address", "body")


class Record(TenantScoped, db.Model):
    """One record (case notes, a letter, test data, a work file ...) about one person."""

    __tablename__ = "records"
    __table_args__ = (
        tenant_fk("users.id", local="owner_id"),
        tenant_fk("users.id", local="created_by"),
        # Filters of the list (newest first within each) and the retention sweep
        sa.Index("ix_records_status", "tenant_id", "status", "id"),
        sa.Index("ix_records_kind", "tenant_id", "kind", "id"),
        sa.Index("ix_records_confidentiality", "tenant_id", "confidentiality", "id"),
        sa.Index("ix_records_owner", "tenant_id", "owner_id", "id"),
        sa.Index("ix_records_inquiry", "tenant_id", "inquiry_id"),
        sa.Index("ix_records_archived_at", "tenant_id", "status", "archived_at"),
    )

    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20), default="case_notes")
    subject_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    subject_email: Mapped[str] = mapped_column(sa.String(254), default="")
    subject_id_card: Mapped[str] = mapped_column(sa.String(30), default="")
    subject_address: Mapped[str] = mapped_column(sa.String(300), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    confidentiality: Mapped[str] = mapped_column(sa.String(20), default="normal")
    owner_id: Mapped[str] = mapped_column(sa.String(26))
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_by: Mapped[str | None] = mapped_column(sa.String(26))
    # core.record.recording_consent: the requester's consent to audio/video recording
    consent_recording: Mapped[bool] = mapped_column(default=False)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_by: Mapped[str | None] = mapped_column(sa.String(200))  # who consented (client, guardian)
    consent_recorded_by: Mapped[str | None] = mapped_column(sa.String(26))  # the staff member
    # A link to an inquiry; a plain column, not a foreign key (inquiries are another capability)
    inquiry_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(26))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def archived(self) -> bool:
        return self.status == "archived"

    @property
    def confidential(self) -> bool:
        return self.confidentiality == "confidential"


class Attachment(TenantScoped, db.Model):
    """A file of a record; the bytes live under ATTACHMENTS_DIR, the row says where and what."""

    __tablename__ = "record_attachments"
    __table_args__ = (
        tenant_fk("records.id", local="record_id"),
        tenant_fk("users.id", local="uploaded_by"),
        sa.Index("ix_record_attachments_record", "tenant_id", "record_id", "id"),
    )

    record_id: Mapped[str] = mapped_column(sa.String(26))
    filename: Mapped[str] = mapped_column(sa.String(255))  # as uploaded; shown, never used as a path
    content_type: Mapped[str] = mapped_column(sa.String(100))  # sniffed from the bytes
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(200))  # <tenant_id>/<record_id>/<id>
    kind: Mapped[str] = mapped_column(sa.String(20))
    uploaded_by: Mapped[str] = mapped_column(sa.String(26))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Disclosure(TenantScoped, db.Model):
    """The disclosure record (DOMAIN.md forms): break-glass or a lawful request."""

    __tablename__ = "record_disclosures"
    __table_args__ = (
        tenant_fk("records.id", local="record_id"),
        tenant_fk("users.id", local="disclosed_by"),
        sa.Index("ix_record_disclosures_record", "tenant_id", "record_id", "id"),
    )

    record_id: Mapped[str] = mapped_column(sa.String(26))
    type: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    recipients: Mapped[list] = mapped_column(sa.JSON, default=list)
    fields: Mapped[list] = mapped_column(sa.JSON, default=list)  # names of the fields given out
    authority: Mapped[str | None] = mapped_column(sa.String(200))
    legal_basis: Mapped[str | None] = mapped_column(sa.Text)
    disclosed_by: Mapped[str] = mapped_column(sa.String(26))
    disclosed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReadGrant(TenantScoped, db.Model):
    """A logged permission for one user (e.g. the school's room head) to read one record."""

    __tablename__ = "record_read_grants"
    __table_args__ = (
        tenant_fk("records.id", local="record_id"),
        tenant_fk("users.id", local="grantee_id"),
        tenant_fk("users.id", local="granted_by"),
        sa.Index("ix_record_read_grants_grantee", "tenant_id", "grantee_id", "record_id", "expires_at"),
        sa.Index("ix_record_read_grants_record", "tenant_id", "record_id"),
    )

    record_id: Mapped[str] = mapped_column(sa.String(26))
    grantee_id: Mapped[str] = mapped_column(sa.String(26))
    granted_by: Mapped[str] = mapped_column(sa.String(26))
    reason: Mapped[str] = mapped_column(sa.Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LendingApproval(TenantScoped, db.Model):
    """core.record.no_lending: who may lend, copy or export a record, for what, approved by whom."""

    __tablename__ = "record_lending_approvals"
    __table_args__ = (
        tenant_fk("records.id", local="record_id"),
        tenant_fk("users.id", local="borrower_id"),
        tenant_fk("users.id", local="approver_id"),
        sa.Index("ix_record_lending_approvals_record", "tenant_id", "record_id", "borrower_id"),
    )

    record_id: Mapped[str] = mapped_column(sa.String(26))
    action: Mapped[str] = mapped_column(sa.String(10))  # lend, copy, export
    purpose: Mapped[str] = mapped_column(sa.Text)
    borrower_id: Mapped[str] = mapped_column(sa.String(26))
    approver_id: Mapped[str] = mapped_column(sa.String(26))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
