"""Inquiries and their timelines, tenant-scoped, indexed for every filter the lists offer.

``overdue`` is derived, never stored: an inquiry is overdue when it still waits for an answer
(status open or forwarded) and its stored deadline ``due_at`` has passed. In SQL that is
``Inquiry.overdue_at(now)``, served by the (tenant_id, status, due_at) index.

Text search (``q``) is ILIKE with escaping on subject, body and the requester's name and phone.
On PostgreSQL the migration builds pg_trgm GIN indexes on those four columns, which serve
ILIKE '%...%' (Chinese too, in a UTF-8 database whose LC_CTYPE counts CJK characters as
letters). When pg_trgm cannot be created the same-named indexes are empty placeholders and
search scans the tenant's rows; migrations/versions/0003_inquiries.py says how to upgrade.
SQLite has no trigram index: there they are empty partial indexes (``WHERE 0``).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow

CHANNELS = ("walk_in", "phone", "web", "letter", "email", "hotline", "chat")
STATUSES = ("open", "answered", "forwarded", "referred", "closed")
# Still owed an answer: only these can be overdue
WAITING = ("open", "forwarded")
SEARCHED_COLUMNS = ("subject", "body", "requester_name", "requester_phone")


def _trigram_index(column: str) -> sa.Index:
    return sa.Index(f"ix_inquiries_{column}_trgm", column, postgresql_using="gin",
                    postgresql_ops={column: "gin_trgm_ops"}, sqlite_where=sa.text("0"))


class Inquiry(TenantScoped, db.Model):
    __tablename__ = "inquiries"
    __table_args__ = (
        tenant_fk("users.id", local="created_by"),
        sa.UniqueConstraint("tenant_id", "number"),
        # overdue = status in WAITING and due_at < now; also the status filter
        sa.Index("ix_inquiries_status_due", "tenant_id", "status", "due_at"),
        # the status filter, newest first: reads one page of rows instead of scanning the tenant
        sa.Index("ix_inquiries_status_id", "tenant_id", "status", "id"),
        # the day's ledger and the date filter; seq: the day's next number and the ledger order
        sa.Index("ix_inquiries_local_date", "tenant_id", "local_date", "seq"),
        sa.Index("ix_inquiries_category", "tenant_id", "category", "id"),
        sa.Index("ix_inquiries_important", "tenant_id", "important", "id"),
        sa.Index("ix_inquiries_department", "tenant_id", "department", "id"),
        *[_trigram_index(column) for column in SEARCHED_COLUMNS],
    )

    number: Mapped[str] = mapped_column(sa.String(20))  # "20261125-0007": local day and seq
    seq: Mapped[int] = mapped_column()
    channel: Mapped[str | None] = mapped_column(sa.String(20))
    requester_name: Mapped[str | None] = mapped_column(sa.String(200))
    requester_phone: Mapped[str | None] = mapped_column(sa.String(40))
    requester_email: Mapped[str | None] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str | None] = mapped_column(sa.String(60))
    department: Mapped[str | None] = mapped_column(sa.String(60))
    important: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    answered_at_once: Mapped[bool] = mapped_column(default=False)
    answer: Mapped[str | None] = mapped_column(sa.Text)
    agreed_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    referred_to: Mapped[str | None] = mapped_column(sa.String(300))
    referral_contact: Mapped[str | None] = mapped_column(sa.String(300))
    forward_remark: Mapped[str | None] = mapped_column(sa.String(1000))
    escalation_level: Mapped[int] = mapped_column(default=0)
    # The due_at the overdue sweep last notified about: the sweep selects only the others
    overdue_notified_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    local_date: Mapped[date] = mapped_column(sa.Date)

    @classmethod
    def overdue_at(cls, now: datetime):
        """SQL: still owed an answer and past its deadline at ``now``."""
        return sa.and_(cls.status.in_(WAITING), cls.due_at.is_not(None), cls.due_at < now)

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.status in WAITING and self.due_at is not None and self.due_at < now

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def requester(self) -> dict:
        return {"name": self.requester_name, "phone": self.requester_phone,
                "email": self.requester_email}

    def __repr__(self) -> str:
        return f"<Inquiry {self.number} {self.status}>"


class InquiryEvent(TenantScoped, db.Model):
    """One step on an inquiry's timeline (created, replied, answered, forwarded, ...)."""

    __tablename__ = "inquiry_events"
    __table_args__ = (
        tenant_fk("inquiries.id", local="inquiry_id", ondelete="CASCADE"),
        tenant_fk("users.id", local="actor_id"),
        sa.Index("ix_inquiry_events_inquiry", "tenant_id", "inquiry_id", "at"),
    )

    inquiry_id: Mapped[str] = mapped_column(sa.String(26))
    kind: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[str | None] = mapped_column(sa.String(26))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
