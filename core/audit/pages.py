"""The audit trail page (admin and archivist)."""

from flask import Blueprint, g, render_template, request
from flask_login import login_required

from core.audit import service
from core.identity.permissions import has_permission, require_permission

bp = Blueprint("audit", __name__, template_folder="templates")


@bp.app_context_processor
def audit_nav():
    return {"can_read_audit": lambda: has_permission(g.get("actor"), "audit.view")
            if g.get("tenant") is not None else False}


@bp.get("/audit")
@login_required
def trail():
    require_permission(g.actor, "audit.view")
    filters = {k: request.args.get(k) or None for k in ("object", "actor", "action")}
    items, next_cursor = service.search(g.actor, object=filters["object"],
                                        actor_filter=filters["actor"], action=filters["action"],
                                        limit=100, cursor=request.args.get("cursor"))
    return render_template("audit/trail.html", items=items, next_cursor=next_cursor,
                           filters=filters)
