"""A user's notifications, and the outbox of e-mails that carry them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow


class Notification(TenantScoped, db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        tenant_fk("users.id", local="recipient_id", ondelete="CASCADE"),
        # A sweep or a retried request that notifies again with the same key creates nothing
        sa.UniqueConstraint("tenant_id", "dedupe_key"),
        sa.Index("ix_notifications_inbox", "tenant_id", "recipient_id", "read_at", "id"),
    )

    recipient_id: Mapped[str] = mapped_column(sa.String(26))
    kind: Mapped[str] = mapped_column(sa.String(60))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(26))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxEmail(TenantScoped, db.Model):
    """An e-mail to send; kept (and retried with backoff) until the SMTP server takes it."""

    __tablename__ = "outbox_emails"
    __table_args__ = (
        tenant_fk("notifications.id", local="notification_id", ondelete="CASCADE"),
        sa.Index("ix_outbox_emails_due", "tenant_id", "status", "next_attempt_at"),
    )

    notification_id: Mapped[str] = mapped_column(sa.String(26))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # pending, sent
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
