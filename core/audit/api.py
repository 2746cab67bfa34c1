"""Tenant API: the audit trail (admin and archivist)."""

from flask import g
from flask_smorest import Blueprint

from core.audit import schemas, service

blp = Blueprint("audit_api", __name__, description="The audit trail")


@blp.route("/audit", methods=["GET"])
@blp.arguments(schemas.AuditArgs(), location="query")
@blp.response(200, schemas.AuditList)
def list_audit(args):
    """Audit events, newest first; filter by ``object`` (id or type:id), ``actor``, ``action``, ``since``."""
    items, next_cursor = service.search(
        g.actor, object=args.get("object"), actor_filter=args.get("actor"),
        action=args.get("action"), since=args.get("since"), limit=args["limit"],
        cursor=args["cursor"])
    return {"items": items, "next_cursor": next_cursor}
