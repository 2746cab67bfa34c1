"""The property front desk's tables, all tenant-scoped (names prefixed ``property_``)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow


class DailyReview(TenantScoped, db.Model):
    """The 物业主管's check of one day's ledger (S0-1 §4.2.4): one per tenant-local date."""

    __tablename__ = "property_daily_reviews"
    __table_args__ = (
        tenant_fk("users.id", local="reviewer_id"),
        sa.UniqueConstraint("tenant_id", "day", name="uq_property_daily_reviews_day"),
    )

    day: Mapped[date] = mapped_column(sa.Date)
    reviewer_id: Mapped[str | None] = mapped_column(sa.String(26))
    remarks: Mapped[str] = mapped_column(sa.Text, default="")
    arrangements: Mapped[str] = mapped_column(sa.Text, default="")
    important_items: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeeklyReview(TenantScoped, db.Model):
    """The 物业经理's check of a week's ledger (S0-1 §4.2.5); a week may have several."""

    __tablename__ = "property_weekly_reviews"
    __table_args__ = (
        tenant_fk("users.id", local="reviewer_id"),
        sa.Index("ix_property_weekly_reviews_week", "tenant_id", "week_start"),
    )

    week_start: Mapped[date] = mapped_column(sa.Date)  # the ISO week's Monday, tenant zone
    reviewer_id: Mapped[str | None] = mapped_column(sa.String(26))
    effect: Mapped[str] = mapped_column(sa.Text, default="")
    guidance: Mapped[str] = mapped_column(sa.Text, default="")
    important_items: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewFlag(TenantScoped, db.Model):
    """A missed review, flagged once by the sweep: kind daily (period = the day) or weekly
    (period = the week's Monday)."""

    __tablename__ = "property_review_flags"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "kind", "period", name="uq_property_review_flags_period"),
    )

    kind: Mapped[str] = mapped_column(sa.String(10))
    period: Mapped[date] = mapped_column(sa.Date)
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Coordination(TenantScoped, db.Model):
    """A department's input on a specialist inquiry (S0-1 §4.2.2) and, when it disagrees, the
    物业经理's decision."""

    __tablename__ = "property_coordinations"
    __table_args__ = (
        tenant_fk("inquiries.id", local="inquiry_id", ondelete="CASCADE"),
        tenant_fk("users.id", local="author_id"),
        tenant_fk("users.id", local="decided_by"),
        sa.Index("ix_property_coordinations_inquiry", "tenant_id", "inquiry_id", "id"),
    )

    inquiry_id: Mapped[str] = mapped_column(sa.String(26))
    department: Mapped[str] = mapped_column(sa.String(60))
    input: Mapped[str] = mapped_column(sa.Text, default="")
    agreed: Mapped[bool] = mapped_column(default=True)
    author_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(sa.Text)
    decided_by: Mapped[str | None] = mapped_column(sa.String(26))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Approval(TenantScoped, db.Model):
    """The 物管部经理's approval before an out-of-scope question is answered (S0-1 §4.2.3)."""

    __tablename__ = "property_approvals"
    __table_args__ = (
        tenant_fk("inquiries.id", local="inquiry_id", ondelete="CASCADE"),
        tenant_fk("users.id", local="requested_by"),
        tenant_fk("users.id", local="decided_by"),
        sa.Index("ix_property_approvals_inquiry", "tenant_id", "inquiry_id", "id"),
        sa.Index("ix_property_approvals_status", "tenant_id", "status", "id"),
    )

    inquiry_id: Mapped[str] = mapped_column(sa.String(26))
    status: Mapped[str] = mapped_column(sa.String(20), default="requested")  # approved, refused
    note: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by: Mapped[str | None] = mapped_column(sa.String(26))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    decided_by: Mapped[str | None] = mapped_column(sa.String(26))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InfoEntry(TenantScoped, db.Model):
    """The desk's information archive (信息档案, S0-1 §4.1.2): contacts and ready answers."""

    __tablename__ = "property_info_entries"
    __table_args__ = (
        tenant_fk("users.id", local="updated_by"),
        sa.Index("ix_property_info_entries_category", "tenant_id", "category", "id"),
    )

    title: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str | None] = mapped_column(sa.String(60))
    content: Mapped[str] = mapped_column(sa.Text, default="")
    phone: Mapped[str | None] = mapped_column(sa.String(60))
    tags: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_by: Mapped[str | None] = mapped_column(sa.String(26))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExternalEvent(TenantScoped, db.Model):
    """A temporary consultation event on the estate by an outside body (S0-1 §4.2.6)."""

    __tablename__ = "property_external_events"
    __table_args__ = (
        tenant_fk("users.id", local="created_by"),
        tenant_fk("users.id", local="approved_by"),
        tenant_fk("users.id", local="support_by"),
        sa.Index("ix_property_external_events_starts", "tenant_id", "starts_at"),
        sa.Index("ix_property_external_events_status", "tenant_id", "status", "id"),
    )

    organiser: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    support_needed: Mapped[str] = mapped_column(sa.Text, default="")
    # proposed -> approved -> scheduled; proposed -> refused
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    created_by: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(sa.String(26))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    support_arranged: Mapped[str | None] = mapped_column(sa.Text)
    support_by: Mapped[str | None] = mapped_column(sa.String(26))
