"""Request and response shapes of records, attachments, disclosures, grants and approvals."""

from datetime import UTC

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from core.pagination import ListArgs
from core.records.models import (
    DISCLOSABLE_FIELDS,
    DISCLOSURE_TYPES,
    KINDS,
    LENDING_ACTIONS,
    LEVELS,
    STATUSES,
)

Id = fields.String(validate=validate.Length(min=1, max=26))
When = fields.AwareDateTime(default_timezone=UTC)
Text = fields.String(validate=validate.Length(max=20000))


class RecordFields(ma.Schema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    kind = fields.String(validate=validate.OneOf(KINDS))
    subject_name = fields.String(validate=validate.Length(max=200))
    subject_phone = fields.String(validate=validate.Length(max=40))
    subject_email = fields.String(validate=validate.Length(max=254))
    subject_id_card = fields.String(validate=validate.Length(max=30))
    subject_address = fields.String(validate=validate.Length(max=300))
    body = fields.String(validate=validate.Length(max=200000))
    confidentiality = fields.String(validate=validate.OneOf(LEVELS))
    inquiry_id = fields.String(allow_none=True, validate=validate.Length(max=26))


class RecordCreate(RecordFields):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(load_default="case_notes", validate=validate.OneOf(KINDS))
    confidentiality = fields.String(load_default="normal", validate=validate.OneOf(LEVELS))
    owner_id = Id  # the owning professional; the creator when left out


class RecordPatch(RecordFields):
    pass


class RecordListArgs(ListArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(KINDS))
    confidentiality = fields.String(validate=validate.OneOf(LEVELS))
    mine = fields.Boolean(load_default=False, metadata={"description": "only records I own"})
    inquiry_id = Id


class RecordAttachmentOut(ma.Schema):
    id = fields.String()
    record_id = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    kind = fields.String()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class RecordDisclosureOut(ma.Schema):
    id = fields.String()
    record_id = fields.String()
    type = fields.String()
    reason = fields.String()
    recipients = fields.List(fields.String())
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    authority = fields.String(allow_none=True)
    legal_basis = fields.String(allow_none=True)
    disclosed_by = fields.String()
    disclosed_at = fields.DateTime()


class RecordRow(ma.Schema):
    id = fields.String()
    title = fields.String()
    kind = fields.String()
    confidentiality = fields.String()
    status = fields.String()
    owner_id = fields.String()
    created_at = fields.DateTime()
    archived_at = fields.DateTime(allow_none=True)


class RecordList(ma.Schema):
    items = fields.List(fields.Nested(RecordRow))
    next_cursor = fields.String(allow_none=True)


class RecordOut(RecordRow):
    subject_name = fields.String()
    subject_phone = fields.String()
    subject_email = fields.String()
    subject_id_card = fields.String()
    subject_address = fields.String()
    body = fields.String()
    archived_by = fields.String(allow_none=True)
    consent_recording = fields.Boolean()
    consent_recorded_at = fields.DateTime(allow_none=True)
    consent_by = fields.String(allow_none=True)
    consent_recorded_by = fields.String(allow_none=True)
    inquiry_id = fields.String(allow_none=True)
    created_by = fields.String()
    updated_at = fields.DateTime()
    attachments = fields.List(fields.Nested(RecordAttachmentOut))
    disclosures = fields.List(fields.Nested(RecordDisclosureOut))


class RecordExportArgs(ma.Schema):
    anonymised = fields.Boolean(load_default=False)
    purpose = fields.String(load_default=None, validate=validate.OneOf(
        ["case_discussion", "teaching", "research", "lending", "other"]), metadata={
        "description": "case_discussion, teaching and research exports must be anonymised "
                       "(core.record.anonymised_export)"})


class RecordExportOut(ma.Schema):
    anonymised = fields.Boolean()
    replaced = fields.List(fields.String())
    purpose = fields.String(allow_none=True)
    exported_at = fields.DateTime()
    record = fields.Dict()
    attachments = fields.List(fields.Nested(RecordAttachmentOut))


class RecordConsentIn(ma.Schema):
    given = fields.Boolean(load_default=True)
    consent_by = fields.String(load_default="", validate=validate.Length(max=200), metadata={
        "description": "who consented: the requester, or the guardian's name"})


class RecordUploadIn(ma.Schema):
    file = Upload(required=True)


class RecordDisclosureIn(ma.Schema):
    type = fields.String(load_default="break_glass", validate=validate.OneOf(DISCLOSURE_TYPES))
    reason = fields.String(load_default="", validate=validate.Length(max=5000))
    recipients = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                             load_default=list, validate=validate.Length(max=50))
    fields_ = fields.List(fields.String(validate=validate.OneOf(DISCLOSABLE_FIELDS)),
                          data_key="fields", attribute="fields", load_default=list,
                          validate=validate.Length(max=len(DISCLOSABLE_FIELDS)))
    authority = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    legal_basis = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class RecordDisclosureResult(RecordDisclosureOut):
    disclosed = fields.Dict(metadata={"description": "exactly the fields given out, with values"})


class RecordGrantIn(ma.Schema):
    grantee_id = fields.String(required=True, validate=validate.Length(min=1, max=26))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    expires_at = fields.AwareDateTime(required=True, default_timezone=UTC)


class RecordGrantOut(ma.Schema):
    id = fields.String()
    record_id = fields.String()
    grantee_id = fields.String()
    granted_by = fields.String()
    reason = fields.String()
    expires_at = fields.DateTime()
    created_at = fields.DateTime()


class RecordLendingIn(ma.Schema):
    borrower_id = fields.String(required=True, validate=validate.Length(min=1, max=26))
    action = fields.String(required=True, validate=validate.OneOf(LENDING_ACTIONS))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    expires_at = fields.AwareDateTime(load_default=None, allow_none=True, default_timezone=UTC)


class RecordLendingOut(ma.Schema):
    id = fields.String()
    record_id = fields.String()
    action = fields.String()
    purpose = fields.String()
    borrower_id = fields.String()
    approver_id = fields.String()
    approved_at = fields.DateTime()
    expires_at = fields.DateTime()
