"""The one helper that writes audit events, and the append-only tables it writes to.

Tenant events go to audit_events (tenant-scoped); events with no tenant (a platform admin
created) go to platform_audit_events. Neither table is ever updated or deleted: the ORM
refuses it here, and the migration adds database triggers that refuse it too.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, current_tenant_id, new_id, utcnow

log = logging.getLogger(__name__)


class AuditColumns:
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(80))
    actor_kind: Mapped[str] = mapped_column(sa.String(20))  # user, platform_admin, system
    actor_id: Mapped[str | None] = mapped_column(sa.String(26))
    actor_label: Mapped[str] = mapped_column(sa.String(300))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(AuditColumns, TenantScoped, db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_tenant_object", "tenant_id", "object_type", "object_id"),
        sa.Index("ix_audit_events_tenant_actor", "tenant_id", "actor_id"),
    )


class PlatformAuditEvent(AuditColumns, db.Model):
    __tablename__ = "platform_audit_events"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    tenant_slug: Mapped[str | None] = mapped_column(sa.String(40))


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
@event.listens_for(PlatformAuditEvent, "before_update")
@event.listens_for(PlatformAuditEvent, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("audit events are append-only")


def _describe(actor) -> tuple[str, str | None, str]:
    if actor is None:
        return "system", None, "system"
    if getattr(actor, "is_platform_admin", False):
        return "platform_admin", actor.id, actor.email
    return "user", actor.id, actor.email


def record(action: str, obj=None, *, details: dict | None = None, actor=None,
           object_type: str | None = None, object_id: str | None = None,
           tenant_slug: str | None = None):
    """Write one audit event: who did what to which object, when, from where.

    ``obj`` is a model instance (its table and id are recorded) or None. ``actor`` defaults
    to the request's actor. Only flushes: the caller's transaction commits it with the change.
    """
    _check_request_may_write(action)
    if actor is None and has_request_context():
        actor = g.get("actor")
    kind, actor_id, label = _describe(actor)
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id or str(obj.id)
    fields = dict(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_kind=kind,
        actor_id=actor_id,
        actor_label=label,
        address=request.remote_addr if has_request_context() else None,
        # dates, ids, decimals: stored as text, so that any detail a caller passes is kept
        details=json.loads(json.dumps(details or {}, default=str)),
    )
    if current_tenant_id() is not None:
        event_row = AuditEvent(**fields)
    else:
        event_row = PlatformAuditEvent(tenant_slug=tenant_slug, **fields)
    db.session.add(event_row)
    return event_row


def _check_request_may_write(action: str) -> None:
    """A GET that audits must be marked web.audited_read (see there); in tests, refuse."""
    if not has_request_context():
        return
    from core.web import request_writes

    if not request_writes():
        message = f"{request.method} {request.endpoint} writes {action!r}: mark it web.audited_read"
        if current_app.testing:
            raise RuntimeError(message)
        log.warning(message)
