"""Tenant API of records: /records, their attachments, consent, disclosures, grants and exports."""

from flask import g, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from core.extensions import db
from core.records import schemas, service
from core.records.views import allow_attachment_bodies, keep_refusal_audit
from core.web import audited_read

blp = Blueprint("records_api", __name__,
                description="Records and archives (档案): confidentiality, consent, attachments, disclosures")

blp.url_value_preprocessor(allow_attachment_bodies({"records_api.add_attachment"}))


@blp.before_request
def record_must_exist():
    """Another tenant's (or no) record is 404 before any body is read or checked."""
    values = request.view_args or {}
    if "record_id" in values:
        record = service.get_record(values["record_id"])
        if "attachment_id" in values:
            service.get_attachment(record, values["attachment_id"])


@blp.route("/records")
class Records(MethodView):
    @blp.arguments(schemas.RecordListArgs(), location="query")
    @blp.response(200, schemas.RecordList)
    def get(self, args):
        """Records I may read, newest first (confidential ones I may not read are left out)."""
        items, next_cursor = service.list_records(g.actor, **args)
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(schemas.RecordCreate())
    @blp.response(201, schemas.RecordOut)
    def post(self, body):
        """Create a record; its owner is the creator unless owner_id names another user."""
        record = service.create_record(body, g.actor)
        db.session.commit()
        return service.detail(record)


@blp.route("/records/<record_id>")
class RecordItem(MethodView):
    @blp.response(200, schemas.RecordOut)
    @keep_refusal_audit
    @audited_read
    def get(self, record_id):
        """One record (an audited read; 403 when it is confidential and I am not a reader)."""
        record = service.read_record(record_id, g.actor)
        db.session.commit()
        return service.detail(record)

    @blp.arguments(schemas.RecordPatch())
    @blp.response(200, schemas.RecordOut)
    @keep_refusal_audit
    def patch(self, body, record_id):
        """Change an open record (409 once archived)."""
        record = service.update_record(record_id, body, g.actor)
        db.session.commit()
        return service.detail(record)


@blp.route("/records/<record_id>/close", methods=["POST"])
@blp.response(200, schemas.RecordOut)
@keep_refusal_audit
def close_record(record_id):
    """Close the case: the record is archived, read-only from now on."""
    record = service.close_record(record_id, g.actor)
    db.session.commit()
    return service.detail(record)


@blp.route("/records/<record_id>/consent", methods=["POST"])
@blp.arguments(schemas.RecordConsentIn())
@blp.response(200, schemas.RecordOut)
@keep_refusal_audit
def record_consent(body, record_id):
    """Put the requester's consent to audio/video recording on file (given=false withdraws it)."""
    record = service.record_consent(record_id, given=body["given"], consent_by=body["consent_by"],
                                    actor=g.actor)
    db.session.commit()
    return service.detail(record)


@blp.route("/records/<record_id>/attachments", methods=["POST"])
@blp.arguments(schemas.RecordUploadIn(), location="files")
@blp.response(201, schemas.RecordAttachmentOut)
@keep_refusal_audit
def add_attachment(files, record_id):
    """Attach a file (multipart field ``file``); typed by its content, size-limited (413)."""
    attachment = service.add_attachment(record_id, files["file"], g.actor)
    db.session.commit()
    return attachment


@blp.route("/records/<record_id>/attachments/<attachment_id>", methods=["GET"])
@blp.response(200, {"format": "binary", "type": "string"}, content_type="application/octet-stream")
@keep_refusal_audit
@audited_read
def download_attachment(record_id, attachment_id):
    """Download an attachment (an audited read of the record)."""
    attachment, path = service.open_attachment(record_id, attachment_id, g.actor)
    db.session.commit()
    return send_file(path, mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.filename, conditional=False, etag=False)


@blp.route("/records/<record_id>/export", methods=["GET"])
@blp.arguments(schemas.RecordExportArgs(), location="query")
@blp.response(200, schemas.RecordExportOut)
@keep_refusal_audit
@audited_read
def export_record(args, record_id):
    """Export the record; ``anonymised=1`` replaces names, phones, e-mail, ID numbers, addresses."""
    result = service.export_record(record_id, g.actor, anonymised=args["anonymised"],
                                   purpose=args["purpose"])
    db.session.commit()
    return result


@blp.route("/records/<record_id>/disclosures", methods=["POST"])
@blp.arguments(schemas.RecordDisclosureIn())
@blp.response(201, schemas.RecordDisclosureResult)
@keep_refusal_audit
def disclose(body, record_id):
    """Break-glass disclosure ``{"reason","recipients","fields"}`` or a lawful request
    (``type: lawful_request`` with ``authority`` and ``legal_basis``)."""
    disclosure, values = service.disclose(record_id, body, g.actor)
    db.session.commit()
    return {**{c.key: getattr(disclosure, c.key) for c in disclosure.__table__.columns},
            "disclosed": values}


@blp.route("/records/<record_id>/grants", methods=["POST"])
@blp.arguments(schemas.RecordGrantIn())
@blp.response(201, schemas.RecordGrantOut)
def grant_read(body, record_id):
    """Let one user (e.g. the room head) read this record until expires_at; logged."""
    grant = service.grant_read(record_id, body, g.actor)
    db.session.commit()
    return grant


@blp.route("/records/<record_id>/lending-approvals", methods=["POST"])
@blp.arguments(schemas.RecordLendingIn())
@blp.response(201, schemas.RecordLendingOut)
def approve_lending(body, record_id):
    """The approver's recorded approval to lend, copy or export this record (core.record.no_lending)."""
    approval = service.approve_lending(record_id, body, g.actor)
    db.session.commit()
    return approval
