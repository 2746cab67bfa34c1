"""Tenant API: satisfaction surveys and follow-ups."""

from flask import g
from flask_smorest import Blueprint

from core.extensions import db
from core.followups import schemas, service

blp = Blueprint("followups_api", __name__, description="Satisfaction surveys and follow-ups")


@blp.route("/surveys", methods=["POST"])
@blp.arguments(schemas.SurveyIn())
@blp.response(201, schemas.SurveyOut)
def record_survey(body):
    """Record a satisfaction survey for a closed or closing service (object_type: inquiries, ...)."""
    object_type, object_id = body.pop("object_type"), body.pop("object_id")
    survey = service.record_survey(object_type, object_id, body, g.actor)
    db.session.commit()
    return survey


@blp.route("/follow-ups", methods=["GET"])
@blp.arguments(schemas.FollowUpArgs(), location="query")
@blp.response(200, schemas.FollowUpList)
def list_follow_ups(args):
    """Open follow-ups (``due=true``: only those that have come due)."""
    items, next_cursor = service.list_follow_ups(g.actor, due_only=args["due"], limit=args["limit"],
                                                 cursor=args["cursor"])
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/follow-ups/<follow_up_id>/outcome", methods=["POST"])
@blp.arguments(schemas.OutcomeIn())
@blp.response(200, schemas.FollowUpOut)
def record_outcome(body, follow_up_id):
    """Record how the follow-up contact went."""
    follow_up = service.record_outcome(follow_up_id, body["outcome"], body["notes"], g.actor)
    db.session.commit()
    return follow_up
