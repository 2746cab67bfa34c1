"""The monthly analysis page, with server-rendered SVG charts (no scripts, no CDN)."""

from flask import Blueprint, g, render_template, request
from flask_login import login_required

from core.identity.permissions import has_permission
from core.reports import service

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.app_context_processor
def reports_nav():
    return {"can_read_reports": lambda: g.get("tenant") is not None
            and has_permission(g.get("actor"), "reports.view")}


@bp.get("/reports/monthly")
@login_required
def monthly():
    report = service.monthly(g.actor, request.args.get("month") or None)
    return render_template("reports/monthly.html", report=report)
