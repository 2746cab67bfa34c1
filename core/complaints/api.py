"""Tenant API of suggestions and appeals: register, list, read, and one POST per procedure step."""

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from core.complaints import schemas, service
from core.extensions import db
from core.web import audited_read

blp = Blueprint("complaints_api", __name__,
                description="Suggestions and appeals (意见建议 / 申诉) on 《来访者意见建议申诉表》")


@blp.before_request
def load_complaint():
    """An unknown (or another tenant's) case is 404 before its body is even read."""
    complaint_id = (request.view_args or {}).get("complaint_id")
    if complaint_id is not None:
        g.complaint = service.find(complaint_id)


def _after_step(complaint):
    db.session.commit()
    return service.detail(complaint, g.actor, audited=False)


@blp.route("/complaints")
class Complaints(MethodView):
    @blp.arguments(schemas.ComplaintListArgs(), location="query")
    @blp.response(200, schemas.ComplaintList)
    @audited_read
    def get(self, args):
        """Cases, newest first; filters ``kind``, ``status``, ``overdue``, ``repeat``.

        Rows of cases the reader is not a party to are redacted (core.complaint.confidential).
        """
        items, next_cursor = service.list_complaints(
            g.actor, kind=args["kind"], status=args["status"], overdue=args["overdue"],
            repeat=args["repeat"], limit=args["limit"], cursor=args["cursor"])
        db.session.commit()  # the audit of the rows read in full
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(schemas.ComplaintIn())
    @blp.response(201, schemas.ComplaintOut)
    def post(self, body):
        """Register a suggestion or appeal; the answer names the ``handler`` and the ``due_at``."""
        complaint = service.register(body, g.actor)
        db.session.commit()
        return service.detail(complaint, g.actor, audited=False) \
            if service.can_see_details(complaint, g.actor) else service.acknowledgment(complaint, g.actor)


@blp.route("/complaints/<complaint_id>", methods=["GET"])
@blp.response(200, schemas.ComplaintOut)
@audited_read
def get_complaint(complaint_id):
    """One case with its timeline (its parties only; the read is audited)."""
    data = service.detail(g.complaint, g.actor)
    db.session.commit()
    return data


@blp.route("/complaints/<complaint_id>/acknowledge", methods=["POST"])
@blp.response(200, schemas.ComplaintOut)
def acknowledge(complaint_id):
    """The handler accepts the case."""
    return _after_step(service.acknowledge(g.complaint, g.actor))


@blp.route("/complaints/<complaint_id>/findings", methods=["POST"])
@blp.arguments(schemas.ComplaintFindingsIn())
@blp.response(200, schemas.ComplaintOut)
def findings(body, complaint_id):
    """Appeals: investigation and handling opinion (within respond_within's working days)."""
    return _after_step(service.record_findings(g.complaint, body, g.actor))


@blp.route("/complaints/<complaint_id>/approve", methods=["POST"])
@blp.arguments(schemas.ComplaintApproveIn())
@blp.response(200, schemas.ComplaintOut)
def approve(body, complaint_id):
    """Appeals: the lead approves the handling opinion and records the outcome."""
    return _after_step(service.approve(g.complaint, body, g.actor))


@blp.route("/complaints/<complaint_id>/resolve", methods=["POST"])
@blp.arguments(schemas.ComplaintResolveIn())
@blp.response(200, schemas.ComplaintOut)
def resolve(body, complaint_id):
    """Appeals: sanction and corrective action; suggestions: the agreed action or way forward."""
    return _after_step(service.resolve(g.complaint, body, g.actor))


@blp.route("/complaints/<complaint_id>/reply", methods=["POST"])
@blp.arguments(schemas.ComplaintReplyIn())
@blp.response(200, schemas.ComplaintOut)
def reply(body, complaint_id):
    """The result goes to the person (appeals: after the lead's approval, with the HQ phone)."""
    return _after_step(service.reply(g.complaint, body, g.actor))


@blp.route("/complaints/<complaint_id>/follow-up", methods=["POST"])
@blp.arguments(schemas.ComplaintFollowUpIn())
@blp.response(200, schemas.ComplaintOut)
def follow_up(body, complaint_id):
    """Suggestions: the return visit (what was done, thanks, optional satisfaction)."""
    return _after_step(service.follow_up(g.complaint, body, g.actor))


@blp.route("/complaints/<complaint_id>/escalate", methods=["POST"])
@blp.arguments(schemas.ComplaintEscalateIn())
@blp.response(200, schemas.ComplaintOut)
def escalate(body, complaint_id):
    """Appeals: an escalation to headquarters, and later its outcome."""
    return _after_step(service.escalate(g.complaint, body, g.actor))


@blp.route("/complaints/<complaint_id>/close", methods=["POST"])
@blp.response(200, schemas.ComplaintOut)
def close(complaint_id):
    """Close and archive the case as a report; it is read-only afterwards."""
    return _after_step(service.close(g.complaint, g.actor))
