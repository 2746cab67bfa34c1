"""Policy versions: every change of a tenant's policy is a numbered, kept version."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, utcnow


class PolicyVersion(TenantScoped, db.Model):
    __tablename__ = "policy_versions"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "version"),)

    version: Mapped[int]
    document: Mapped[dict] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    effective_from: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(300))
