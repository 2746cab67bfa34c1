"""Surveys and follow-ups, attached to any tenant object (an inquiry, a complaint, a record)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, utcnow


class Survey(TenantScoped, db.Model):
    """满意度调查 (S3 §68; S2 三9, 五1d): experience, gains, suggestions, and a score."""

    __tablename__ = "surveys"
    __table_args__ = (
        sa.Index("ix_surveys_object", "tenant_id", "object_type", "object_id"),
        sa.Index("ix_surveys_recorded", "tenant_id", "recorded_at"),
    )

    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[str] = mapped_column(sa.String(26))
    respondent: Mapped[str] = mapped_column(sa.String(20), default="requester")  # or "staff"
    declined: Mapped[bool] = mapped_column(default=False)  # the person would not answer
    score: Mapped[int | None]  # 1 (very dissatisfied) .. 5 (very satisfied)
    experience: Mapped[str] = mapped_column(sa.Text, default="")
    gains: Mapped[str] = mapped_column(sa.Text, default="")
    suggestions: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by: Mapped[str | None] = mapped_column(sa.String(26))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUp(TenantScoped, db.Model):
    """A follow-up contact after closure (回访), due at a stored time, with its outcome."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "object_type", "object_id"),  # one per closed case
        sa.Index("ix_follow_ups_due", "tenant_id", "done_at", "due_at"),
    )

    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[str] = mapped_column(sa.String(26))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    assignee_id: Mapped[str | None] = mapped_column(sa.String(26))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(sa.String(26))
    outcome: Mapped[str | None] = mapped_column(sa.String(20))  # reached, unreachable, declined
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
