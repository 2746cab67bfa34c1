"""The plugin's one table: notes, tenant-scoped like every tenant table."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow


class Note(TenantScoped, db.Model):
    __tablename__ = "notes_notes"
    __table_args__ = (tenant_fk("users.id", local="author_id"),)

    body: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default="note")  # note, welcome
    author_id: Mapped[str | None] = mapped_column(sa.String(26))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
