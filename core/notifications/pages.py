"""The notifications page, and the unread count every page shows."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from core.extensions import db
from core.notifications import service

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.app_context_processor
def unread_notifications():
    def count():
        actor = g.get("actor")
        if actor is None or g.get("tenant") is None or actor.is_platform_admin:
            return 0
        return service.unread_count(actor)

    return {"unread_notifications": count}


@bp.get("/notifications")
@login_required
def inbox():
    items, next_cursor = service.inbox(g.actor, unread_only=False, limit=50,
                                       cursor=request.args.get("cursor"))
    return render_template("notifications/inbox.html", items=items, next_cursor=next_cursor,
                           form=FlaskForm())


@bp.post("/notifications/<notification_id>/read")
@login_required
def mark_read(notification_id):
    if FlaskForm().validate_on_submit():
        note = service.mark_read(notification_id, g.actor)
        db.session.commit()
        if request.form.get("open") and note.url:
            return redirect(note.url)
    return redirect(url_for("notifications.inbox"))
