"""Reading the audit trail (writing is core.audit.record)."""

from __future__ import annotations

import sqlalchemy as sa

from core.audit import AuditEvent
from core.identity.permissions import require_permission
from core.pagination import page


def search(actor, *, object: str | None = None, actor_filter: str | None = None,
           action: str | None = None, since=None, limit: int, cursor: str | None):
    """Audit events of the tenant, newest first (admin and archivist)."""
    require_permission(actor, "audit.view")
    query = sa.select(AuditEvent)
    if object:
        kind, _, object_id = object.rpartition(":")
        query = query.where(AuditEvent.object_id == object_id)
        if kind:
            query = query.where(AuditEvent.object_type == kind)
    if actor_filter:
        value = actor_filter.strip()
        query = query.where(AuditEvent.actor_label == value.lower() if "@" in value
                            else AuditEvent.actor_id == value)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    return page(query, AuditEvent, limit=limit, cursor=cursor)
