"""Tenant API: the signed-in user's notifications."""

from flask import g
from flask_smorest import Blueprint

from core.extensions import db
from core.notifications import schemas, service

blp = Blueprint("notifications_api", __name__, description="The signed-in user's notifications")


@blp.route("/notifications", methods=["GET"])
@blp.arguments(schemas.InboxArgs(), location="query")
@blp.response(200, schemas.NotificationList)
def list_notifications(args):
    """My notifications, newest first (``unread=true`` for unread only)."""
    items, next_cursor = service.inbox(g.actor, unread_only=args["unread"], limit=args["limit"],
                                       cursor=args["cursor"])
    return {"items": items, "next_cursor": next_cursor, "unread": service.unread_count(g.actor)}


@blp.route("/notifications/<notification_id>/read", methods=["POST"])
@blp.response(200, schemas.NotificationOut)
def mark_read(notification_id):
    """Mark one of my notifications read."""
    note = service.mark_read(notification_id, g.actor)
    db.session.commit()
    return note
