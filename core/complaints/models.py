"""Suggestions and appeals (意见建议 / 申诉) on the one form 《来访者意见建议申诉表》, and their timeline."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow

KINDS = ("suggestion", "appeal")
STATUSES = ("registered", "acknowledged", "investigated", "approved", "resolved", "replied",
            "followed_up", "escalated", "closed")
APPEAL_OUTCOMES = ("upheld", "partly", "not_upheld")
SUGGESTION_OUTCOMES = ("adopted", "noted")
SATISFACTION = ("satisfied", "neutral", "dissatisfied")


class Complaint(TenantScoped, db.Model):
    """One filled-in 《来访者意见建议申诉表》: the person's words, the handling and the result."""

    __tablename__ = "complaints"
    __table_args__ = (
        tenant_fk("users.id", local="handler_id"),
        tenant_fk("users.id", local="lead_id"),
        tenant_fk("users.id", local="approved_by_id"),
        tenant_fk("users.id", local="created_by_id"),
        tenant_fk("complaints.id", local="repeat_of_id"),
        sa.UniqueConstraint("tenant_id", "number"),
        # list filters (newest first by id) and the sweeps' deadline scans
        sa.Index("ix_complaints_status", "tenant_id", "status", "id"),
        sa.Index("ix_complaints_kind", "tenant_id", "kind", "status", "id"),
        sa.Index("ix_complaints_due", "tenant_id", "due_at"),
        sa.Index("ix_complaints_repeat", "tenant_id", "flagged_repeat", "id"),
        sa.Index("ix_complaints_created", "tenant_id", "created_at"),
        sa.Index("ix_complaints_subject", "tenant_id", "subject_key", "created_at"),
        sa.Index("ix_complaints_phone", "tenant_id", "phone", "category", "created_at"),
        sa.Index("ix_complaints_corrective_due", "tenant_id", "corrective_due_at"),
        sa.Index("ix_complaints_follow_up_due", "tenant_id", "follow_up_due_at"),
    )

    number: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(20))  # suggestion | appeal
    status: Mapped[str] = mapped_column(sa.String(20), default="registered")
    # the person (来访者) and what they said
    name: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    channel: Mapped[str | None] = mapped_column(sa.String(40))
    content: Mapped[str] = mapped_column(sa.Text)
    demand: Mapped[str | None] = mapped_column(sa.Text)
    about: Mapped[str | None] = mapped_column(sa.String(200))  # who or what it is about
    category: Mapped[str | None] = mapped_column(sa.String(60))
    subject_key: Mapped[str | None] = mapped_column(sa.String(200))  # normalised `about`
    # who handles it, by when
    handler_id: Mapped[str | None] = mapped_column(sa.String(26))
    lead_id: Mapped[str | None] = mapped_column(sa.String(26))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # appeals: investigation and handling opinion, then the lead's approval
    findings: Mapped[str | None] = mapped_column(sa.Text)
    dereliction: Mapped[bool] = mapped_column(default=False)  # 失职 of a department
    findings_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_outcome: Mapped[str | None] = mapped_column(sa.String(20))
    approved_by_id: Mapped[str | None] = mapped_column(sa.String(26))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approval_note: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    # resolution: appeals' sanction and correction; suggestions' agreed action (S3 §60(二)1)
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    on_the_spot: Mapped[bool | None] = mapped_column()
    spot_notes: Mapped[dict | None] = mapped_column(sa.JSON)  # opinion, reason, proposal, contact
    implemented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sanction: Mapped[str | None] = mapped_column(sa.Text)
    corrective_action: Mapped[str | None] = mapped_column(sa.Text)
    corrective_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the result told to the person, and what came after
    result_text: Mapped[str | None] = mapped_column(sa.Text)
    result_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hq_escalation: Mapped[str | None] = mapped_column(sa.Text)
    hq_escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hq_outcome: Mapped[str | None] = mapped_column(sa.Text)
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_notes: Mapped[str | None] = mapped_column(sa.Text)
    satisfaction: Mapped[str | None] = mapped_column(sa.String(20))
    # core.complaint.repeat
    repeat_of_id: Mapped[str | None] = mapped_column(sa.String(26))
    flagged_repeat: Mapped[bool] = mapped_column(default=False)
    # what the sweep has already flagged (each once; notifications also carry a dedupe key)
    overdue_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrective_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # closing archives the case as a report: read-only afterwards
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_appeal(self) -> bool:
        return self.kind == "appeal"

    def overdue_at(self, now: datetime) -> bool:
        """Past its reply deadline with no result sent (the same test as the list filter)."""
        return (self.due_at is not None and self.due_at < now and self.result_sent_at is None
                and self.status != "closed")

    @property
    def late(self) -> bool:
        """A deadline step happened after the deadline (kept as a flag once done)."""
        if self.due_at is None:
            return False
        done = [self.result_sent_at] + ([self.findings_at] if self.is_appeal else [])
        return any(at is not None and at > self.due_at for at in done)


class ComplaintStep(TenantScoped, db.Model):
    """One step on a complaint's timeline: who did what, when."""

    __tablename__ = "complaint_steps"
    __table_args__ = (
        tenant_fk("complaints.id", local="complaint_id", ondelete="CASCADE"),
        tenant_fk("users.id", local="actor_id"),
        sa.Index("ix_complaint_steps_complaint", "tenant_id", "complaint_id", "at"),
    )

    complaint_id: Mapped[str] = mapped_column(sa.String(26))
    step: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[str | None] = mapped_column(sa.String(26))
    actor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
