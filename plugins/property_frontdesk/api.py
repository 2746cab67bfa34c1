"""The property desk's API, mounted at /t/<slug>/api/v1/property/ for tenants that enabled it."""

from __future__ import annotations

from urllib.parse import quote

import marshmallow as ma
from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from core.extensions import db
from core.pagination import ListArgs
from plugins.property_frontdesk import service, work_record

blp = Blueprint("property_api", __name__, description="Property front desk (物业客服前台)")

_TEXT = validate.Length(max=10000)


class ReviewListArgs(ListArgs):
    kind = fields.String(load_default="daily", validate=validate.OneOf(["daily", "weekly"]))


class ReviewIn(ma.Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["daily", "weekly"]))
    date = fields.Date(required=True)
    remarks = fields.String(load_default="", validate=_TEXT)
    arrangements = fields.String(load_default="", validate=_TEXT)
    effect = fields.String(load_default="", validate=_TEXT)
    guidance = fields.String(load_default="", validate=_TEXT)
    important_items = fields.String(load_default="", validate=_TEXT)


class ReviewOut(ma.Schema):
    id = fields.String()
    kind = fields.String()
    date = fields.Method("_date")
    reviewer_id = fields.String(allow_none=True)
    reviewer_name = fields.String(allow_none=True)
    remarks = fields.String()
    arrangements = fields.String()
    effect = fields.String()
    guidance = fields.String()
    important_items = fields.String()
    reviewed_at = fields.DateTime()

    def _date(self, review):
        day = getattr(review, "day", None) or getattr(review, "week_start", None)
        return day.isoformat() if day else None


class ReviewList(ma.Schema):
    items = fields.List(fields.Nested(ReviewOut))
    next_cursor = fields.String(allow_none=True)


class CoordinationIn(ma.Schema):
    department = fields.String(load_default=None, validate=validate.Length(max=60))
    input = fields.String(required=True, validate=_TEXT)
    agreed = fields.Boolean(load_default=True)


class DecisionIn(ma.Schema):
    decision = fields.String(required=True, validate=_TEXT)


class CoordinationOut(ma.Schema):
    id = fields.String()
    inquiry_id = fields.String()
    department = fields.String()
    input = fields.String()
    agreed = fields.Boolean()
    author_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
    decision = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class CoordinationList(ma.Schema):
    items = fields.List(fields.Nested(CoordinationOut))


class ApprovalRequestIn(ma.Schema):
    note = fields.String(load_default="", validate=_TEXT)


class ApprovalDecisionIn(ma.Schema):
    approve = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=_TEXT)


class ApprovalOut(ma.Schema):
    id = fields.String()
    inquiry_id = fields.String()
    inquiry_label = fields.String()
    status = fields.String()
    note = fields.String()
    requested_by = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    decision_note = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class ApprovalListArgs(ListArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(["requested", "approved", "refused"]))


class ApprovalList(ma.Schema):
    items = fields.List(fields.Nested(ApprovalOut))
    next_cursor = fields.String(allow_none=True)


class InfoIn(ma.Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    content = fields.String(load_default="", validate=_TEXT)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    tags = fields.String(load_default="", validate=validate.Length(max=300))


class InfoPatch(ma.Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    category = fields.String(allow_none=True, validate=validate.Length(max=60))
    content = fields.String(validate=_TEXT)
    phone = fields.String(allow_none=True, validate=validate.Length(max=60))
    tags = fields.String(validate=validate.Length(max=300))


class InfoOut(ma.Schema):
    id = fields.String()
    title = fields.String()
    category = fields.String(allow_none=True)
    content = fields.String()
    phone = fields.String(allow_none=True)
    tags = fields.String()
    updated_at = fields.DateTime()


class InfoArgs(ListArgs):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    category = fields.String(load_default=None, validate=validate.Length(max=60))


class InfoList(ma.Schema):
    items = fields.List(fields.Nested(InfoOut))
    next_cursor = fields.String(allow_none=True)


class EventIn(ma.Schema):
    organiser = fields.String(required=True, validate=validate.Length(min=1, max=200))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(load_default=None, allow_none=True)
    place = fields.String(load_default="", validate=validate.Length(max=300))
    support_needed = fields.String(load_default="", validate=_TEXT)


class EventOut(ma.Schema):
    id = fields.String()
    organiser = fields.String()
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)
    place = fields.String()
    support_needed = fields.String()
    status = fields.String()
    approved_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)
    support_arranged = fields.String(allow_none=True)


class EventListArgs(ListArgs):
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["proposed", "approved", "refused", "scheduled"]))


class EventList(ma.Schema):
    items = fields.List(fields.Nested(EventOut))
    next_cursor = fields.String(allow_none=True)


class SupportIn(ma.Schema):
    support_arranged = fields.String(required=True, validate=_TEXT)


class WorkRecordArgs(ma.Schema):
    date = fields.Date(load_default=None)
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "xlsx"]))


# --- reviews ----------------------------------------------------------------------------------


@blp.route("/reviews")
class Reviews(MethodView):
    @blp.arguments(ReviewListArgs(), location="query")
    @blp.response(200, ReviewList)
    def get(self, args):
        """Daily (kind=daily) or weekly reviews of the ledger, newest first."""
        items, next_cursor = service.list_reviews(g.actor, kind=args["kind"], limit=args["limit"],
                                                  cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(ReviewIn())
    @blp.response(201, ReviewOut)
    def post(self, body):
        """Record the supervisor's daily or the property manager's weekly review."""
        if body["kind"] == "daily":
            review = service.record_daily_review(body["date"], body, g.actor)
        else:
            review = service.record_weekly_review(body["date"], body, g.actor)
        review.kind = body["kind"]
        review.reviewer_name = g.actor.name
        db.session.commit()
        return review


# --- coordination and approval ----------------------------------------------------------------


@blp.route("/inquiries/<inquiry_id>/coordination")
class Coordinations(MethodView):
    @blp.response(200, CoordinationList)
    def get(self, inquiry_id):
        """The departments' inputs on an inquiry, oldest first."""
        service.get_coordinated_inquiry(inquiry_id, g.actor)
        return {"items": service.coordinations(inquiry_id)}

    @blp.arguments(CoordinationIn())
    @blp.response(201, CoordinationOut)
    def post(self, body, inquiry_id):
        """A department's input (agreed or not) on a jointly answered inquiry."""
        entry = service.add_coordination(inquiry_id, body, g.actor)
        db.session.commit()
        return entry


@blp.route("/inquiries/<inquiry_id>/decision", methods=["POST"])
@blp.arguments(DecisionIn())
@blp.response(200, CoordinationOut)
def decide(body, inquiry_id):
    """The property manager settles a disagreement with the department."""
    entry = service.decide_coordination(inquiry_id, body, g.actor)
    db.session.commit()
    return entry


@blp.route("/inquiries/<inquiry_id>/approval", methods=["POST"])
@blp.arguments(ApprovalRequestIn())
@blp.response(201, ApprovalOut)
def request_approval(body, inquiry_id):
    """Ask the property department manager to approve answering an out-of-scope question."""
    approval = service.request_approval(inquiry_id, body["note"], g.actor)
    db.session.commit()
    return approval


@blp.route("/approvals")
@blp.arguments(ApprovalListArgs(), location="query")
@blp.response(200, ApprovalList)
def list_approvals(args):
    """Approvals asked for, newest first."""
    items, next_cursor = service.list_approvals(g.actor, status=args["status"], limit=args["limit"],
                                                cursor=args["cursor"])
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/approvals/<approval_id>/decision", methods=["POST"])
@blp.arguments(ApprovalDecisionIn())
@blp.response(200, ApprovalOut)
def decide_approval(body, approval_id):
    """The property department manager approves (or not)."""
    approval = service.decide_approval(approval_id, body["approve"], body["note"], g.actor)
    db.session.commit()
    return approval


# --- information archive ----------------------------------------------------------------------


@blp.route("/info")
class Infos(MethodView):
    @blp.arguments(InfoArgs(), location="query")
    @blp.response(200, InfoList)
    def get(self, args):
        """Search the information archive (every word of q in title, content, phone or tags)."""
        items, next_cursor = service.search_info(g.actor, q=args["q"], category=args["category"],
                                                 limit=args["limit"], cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(InfoIn())
    @blp.response(201, InfoOut)
    def post(self, body):
        """Add an archive entry."""
        entry = service.add_info(body, g.actor)
        db.session.commit()
        return entry


@blp.route("/info/<entry_id>")
class Info(MethodView):
    @blp.response(200, InfoOut)
    def get(self, entry_id):
        return service.get_info(entry_id, g.actor)

    @blp.arguments(InfoPatch())
    @blp.response(200, InfoOut)
    def patch(self, body, entry_id):
        entry = service.update_info(entry_id, body, g.actor)
        db.session.commit()
        return entry

    @blp.response(204)
    def delete(self, entry_id):
        service.delete_info(entry_id, g.actor)
        db.session.commit()


# --- external events --------------------------------------------------------------------------


@blp.route("/events")
class Events(MethodView):
    @blp.arguments(EventListArgs(), location="query")
    @blp.response(200, EventList)
    def get(self, args):
        items, next_cursor = service.list_events(g.actor, status=args["status"], limit=args["limit"],
                                                 cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(EventIn())
    @blp.response(201, EventOut)
    def post(self, body):
        """Register an outside body's consultation event (status proposed)."""
        event = service.propose_event(body, g.actor)
        db.session.commit()
        return event


@blp.route("/events/<event_id>/decision", methods=["POST"])
@blp.arguments(ApprovalDecisionIn())
@blp.response(200, EventOut)
def decide_event(body, event_id):
    """Company leadership approves (or refuses) the event."""
    event = service.decide_event(event_id, body["approve"], body["note"], g.actor)
    db.session.commit()
    return event


@blp.route("/events/<event_id>/schedule", methods=["POST"])
@blp.response(200, EventOut)
def schedule_event(event_id):
    """Schedule the event (refused by property.external_event_approval until approved)."""
    event = service.schedule_event(event_id, g.actor)
    db.session.commit()
    return event


@blp.route("/events/<event_id>/support", methods=["POST"])
@blp.arguments(SupportIn())
@blp.response(200, EventOut)
def arrange_support(body, event_id):
    """The property manager records the support arranged."""
    event = service.arrange_support(event_id, body["support_arranged"], g.actor)
    db.session.commit()
    return event


# --- daily work record ------------------------------------------------------------------------


@blp.route("/work-record")
@blp.arguments(WorkRecordArgs(), location="query")
def get_work_record(args):
    """《客服组日工作记录表》 of a day: JSON, or format=xlsx."""
    day = args["date"] or service.today()
    record = service.work_record(day, g.actor)
    if args["format"] == "xlsx":
        return work_record_file(record)
    return work_record.to_json(record)


def work_record_file(record) -> Response:
    content = work_record.to_xlsx(record)
    response = Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    day = record["date"].isoformat()
    response.headers["Content-Disposition"] = (
        f'attachment; filename="work-record-{day}.xlsx"; '
        f"filename*=UTF-8''{quote(f'客服组日工作记录表-{day}.xlsx')}")
    return response
