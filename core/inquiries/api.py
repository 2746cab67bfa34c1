"""Tenant API: inquiries, their steps and timeline, and the day's ledger."""

from urllib.parse import quote

from flask import Response, g, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from core.extensions import db
from core.inquiries import ledger, schemas, service
from core.tenancy import current_tenant, utcnow

blp = Blueprint("inquiries_api", __name__, description="Inquiries (咨询) and the day's ledger (工作台帐)")


@blp.before_request
def load_inquiry():
    """Another tenant's or a missing inquiry is 404 before the body is even read."""
    inquiry_id = (request.view_args or {}).get("inquiry_id")
    if inquiry_id is not None and g.get("actor") is not None:
        g.inquiry = service.get_inquiry(inquiry_id, g.actor)


def _inquiry(inquiry_id: str):
    inquiry = g.get("inquiry")
    return inquiry if inquiry is not None else service.get_inquiry(inquiry_id, g.actor)


@blp.route("/inquiries")
class Inquiries(MethodView):
    @blp.arguments(schemas.InquiryListArgs(), location="query")
    @blp.response(200, schemas.InquiryList)
    def get(self, args):
        """Inquiries, newest first; filters status, overdue, category, department, important,
        q (text in subject, content or requester) and date (the tenant-local day)."""
        limit, cursor = args.pop("limit"), args.pop("cursor")
        args["day"] = args.pop("date", None)
        items, next_cursor = service.list_inquiries(g.actor, limit=limit, cursor=cursor, **args)
        # InquiryList documents the shape; inquiries_json builds it without marshmallow's cost
        return jsonify({"items": schemas.inquiries_json(items, utcnow()),
                        "next_cursor": next_cursor})

    @blp.arguments(schemas.InquiryIn())
    @blp.response(201, schemas.InquiryOut)
    def post(self, body):
        """Enter an inquiry in the ledger: with "answer" it is answered at once, with
        "agreed_reply_at" it gets the reply time agreed with the requester."""
        inquiry = service.create_inquiry(body, g.actor)
        # as InquiryOut, faster; rendered before the commit, which would expire what it reads
        response = jsonify(schemas.inquiry_json(inquiry, utcnow()))
        db.session.commit()
        return response, 201


@blp.route("/inquiries/<inquiry_id>")
@blp.response(200, schemas.InquiryOut)
def get_inquiry(inquiry_id):
    """One inquiry."""
    return _inquiry(inquiry_id)


@blp.route("/inquiries/<inquiry_id>/timeline")
@blp.response(200, schemas.InquiryEventList)
def get_timeline(inquiry_id):
    """The inquiry's steps, oldest first."""
    return {"items": service.timeline(_inquiry(inquiry_id), g.actor), "next_cursor": None}


@blp.route("/inquiries/<inquiry_id>/replies", methods=["POST"])
@blp.arguments(schemas.InquiryReplyIn())
@blp.response(201, schemas.InquiryOut)
def post_reply(body, inquiry_id):
    """A reply to the requester; "final": true answers the inquiry."""
    inquiry = _inquiry(inquiry_id)
    service.add_reply(inquiry, body["body"], body["final"], g.actor)
    db.session.commit()
    return inquiry


@blp.route("/inquiries/<inquiry_id>/agree-reply-time", methods=["POST"])
@blp.arguments(schemas.InquiryAgreeIn())
@blp.response(200, schemas.InquiryOut)
def agree_reply_time(body, inquiry_id):
    """Record the reply time agreed with the requester (capped by core.inquiry.reply_deadline)."""
    inquiry = _inquiry(inquiry_id)
    service.agree_reply_time(inquiry, body["agreed_reply_at"], g.actor)
    db.session.commit()
    return inquiry


@blp.route("/inquiries/<inquiry_id>/forward", methods=["POST"])
@blp.arguments(schemas.InquiryForwardIn())
@blp.response(200, schemas.InquiryOut)
def forward(body, inquiry_id):
    """Forward to a department (备注); the desk keeps the inquiry until it is answered."""
    inquiry = _inquiry(inquiry_id)
    service.forward(inquiry, body.get("department"), body.get("remark"), g.actor)
    db.session.commit()
    return inquiry


@blp.route("/inquiries/<inquiry_id>/escalate", methods=["POST"])
@blp.arguments(schemas.InquiryEscalateIn())
@blp.response(200, schemas.InquiryOut)
def escalate(body, inquiry_id):
    """Pass the inquiry to the next role of the escalation chain (409 at the top)."""
    inquiry = _inquiry(inquiry_id)
    service.escalate(inquiry, body.get("note"), g.actor)
    db.session.commit()
    return inquiry


@blp.route("/inquiries/<inquiry_id>/refer", methods=["POST"])
@blp.arguments(schemas.InquiryReferIn())
@blp.response(200, schemas.InquiryOut)
def refer(body, inquiry_id):
    """Refer the requester elsewhere: to whom and how to reach them."""
    inquiry = _inquiry(inquiry_id)
    service.refer(inquiry, body.get("to"), body.get("contact"), g.actor)
    db.session.commit()
    return inquiry


@blp.route("/inquiries/<inquiry_id>/close", methods=["POST"])
@blp.arguments(schemas.InquiryCloseIn())
@blp.response(200, schemas.InquiryOut)
def close(body, inquiry_id):
    """Close an answered, referred or forwarded inquiry, with its satisfaction survey
    (``{"survey": {"score": 1-5}}`` or ``{"survey": {"declined": true}}``) unless one is on file."""
    inquiry = _inquiry(inquiry_id)
    service.close(inquiry, g.actor, survey=body.get("survey"))
    db.session.commit()
    return inquiry


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_download(rows, day, fmt: str) -> Response:
    """The ledger as a file: ledger-YYYY-MM-DD.ext, and its Chinese name for modern browsers."""
    zone = service.calendar().zone
    if fmt == "csv":
        content, mimetype = ledger.to_csv(rows, day, zone), "text/csv"
    else:
        content, mimetype = ledger.to_xlsx(rows, day, zone, current_tenant().name), XLSX
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ledger-{day.isoformat()}.{fmt}"; '
        f"filename*=UTF-8''{quote(ledger.filename(day, fmt))}")
    return response


@blp.route("/ledger")
@blp.arguments(schemas.InquiryLedgerArgs(), location="query")
@blp.response(200, schemas.InquiryLedgerOut)
def get_ledger(args):
    """The day's ledger (《客服前台工作台帐》): JSON, or format=xlsx / csv to download."""
    day = args.get("date") or service.today()
    rows = service.ledger_rows(day, g.actor)
    if args["format"] != "json":
        return ledger_download(rows, day, args["format"])
    return {"date": day, "items": rows}
