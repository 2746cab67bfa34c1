"""Shapes of the inquiries and ledger API."""

import marshmallow as ma
from marshmallow import fields, validate

from core.inquiries.models import CHANNELS, STATUSES, WAITING
from core.pagination import ListArgs

# PostgreSQL refuses NUL in text: a 422 here, never a 500 from the database
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Must not contain NUL characters.")


def text(max_length: int, min_length: int | None = None, **kw) -> fields.String:
    return fields.String(validate=[validate.Length(min=min_length, max=max_length), NO_NUL], **kw)


class InquiryRequesterIn(ma.Schema):
    name = text(200)
    phone = text(40)
    email = text(254)


class InquiryIn(ma.Schema):
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    requester = fields.Nested(InquiryRequesterIn)
    subject = text(300)
    body = text(10000)
    category = text(60, allow_none=True)
    department = text(60, allow_none=True)
    important = fields.Boolean(load_default=False)
    answer = text(10000, allow_none=True, metadata={"description": "answered at once: the answer given"})
    agreed_reply_at = fields.DateTime(allow_none=True, metadata={
        "description": "the reply time agreed with the requester (no offset: the tenant's zone)"})


class InquiryRequesterOut(ma.Schema):
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class InquiryOut(ma.Schema):
    id = fields.String()
    number = fields.String()
    channel = fields.String(allow_none=True)
    requester = fields.Nested(InquiryRequesterOut)
    subject = fields.String()
    body = fields.String()
    category = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    important = fields.Boolean()
    status = fields.String()
    overdue = fields.Boolean()
    answered_at_once = fields.Boolean()
    answer = fields.String(allow_none=True)
    agreed_reply_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    referred_to = fields.String(allow_none=True)
    referral_contact = fields.String(allow_none=True)
    forward_remark = fields.String(allow_none=True)
    escalation_level = fields.Integer()
    local_date = fields.Date()
    created_at = fields.DateTime()
    created_by = fields.String(allow_none=True)


# What the API shows of an inquiry (InquiryOut without "requester" and "overdue", which are
# derived); the list reads exactly these columns.
FIELDS = ("id", "number", "channel", "requester_name", "requester_phone", "requester_email", "subject",
          "body", "category", "department", "important", "status", "answered_at_once", "answer",
          "agreed_reply_at", "due_at", "answered_at", "closed_at", "referred_to", "referral_contact",
          "forward_remark", "escalation_level", "local_date", "created_at", "created_by")


def inquiry_json(inquiry, now) -> dict:
    """What InquiryOut().dump(inquiry) gives, built directly from an Inquiry.

    Dates and times stay objects: the JSON provider (orjson) writes them as ISO 8601, as the
    schema does. tests/inquiries/test_serialisation.py keeps this identical to the schema.
    """
    return _shaped({name: getattr(inquiry, name) for name in FIELDS}, now)


def inquiries_json(rows, now) -> list[dict]:
    """inquiry_json of each row of FIELDS (a list page): the column names are read once per
    page, not once per row. A page of 50 renders in a twentieth of marshmallow's time."""
    if not rows:
        return []
    keys = rows[0]._fields
    return [_shaped(dict(zip(keys, row, strict=True)), now) for row in rows]


def _shaped(data: dict, now) -> dict:
    data["requester"] = {"name": data.pop("requester_name"), "phone": data.pop("requester_phone"),
                         "email": data.pop("requester_email")}
    due_at = data["due_at"]
    data["overdue"] = data["status"] in WAITING and due_at is not None and due_at < now
    return data


class InquiryList(ma.Schema):
    items = fields.List(fields.Nested(InquiryOut))
    next_cursor = fields.String(allow_none=True)


class InquiryListArgs(ListArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean()
    category = text(60)
    department = text(60)
    important = fields.Boolean()
    q = text(200)
    date = fields.Date(metadata={"description": "the tenant-local day the inquiry came in"})


class InquiryEventOut(ma.Schema):
    id = fields.String()
    kind = fields.String()
    actor_id = fields.String(allow_none=True)
    actor_name = fields.String(allow_none=True)
    text = fields.String(metadata={"description": "the step in one line, in the reader's language"})
    at = fields.DateTime()
    details = fields.Dict()


class InquiryEventList(ma.Schema):
    items = fields.List(fields.Nested(InquiryEventOut))
    next_cursor = fields.String(allow_none=True)


class InquiryReplyIn(ma.Schema):
    body = text(10000, 1, required=True)
    final = fields.Boolean(load_default=False)


class InquiryAgreeIn(ma.Schema):
    agreed_reply_at = fields.DateTime(required=True)


class InquiryForwardIn(ma.Schema):
    department = text(60, allow_none=True)
    remark = text(1000, allow_none=True)


class InquiryEscalateIn(ma.Schema):
    note = text(2000, allow_none=True)


class InquiryReferIn(ma.Schema):
    to = text(300, allow_none=True)
    contact = text(300, allow_none=True)


class InquirySurveyIn(ma.Schema):
    """The satisfaction survey taken when the service ends (core.satisfaction_survey)."""

    declined = fields.Boolean(load_default=False)
    score = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=5))
    experience = text(4000, load_default="")
    gains = text(4000, load_default="")
    suggestions = text(4000, load_default="")


class InquiryCloseIn(ma.Schema):
    survey = fields.Nested(InquirySurveyIn, load_default=None, allow_none=True)


class InquiryLedgerArgs(ma.Schema):
    date = fields.Date(metadata={"description": "the tenant-local day (default: today)"})
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "xlsx", "csv"]))


class InquiryLedgerRowOut(ma.Schema):
    id = fields.String()
    number = fields.String()
    time = fields.DateTime()
    channel = fields.String(allow_none=True)
    requester = fields.Nested(InquiryRequesterOut)
    subject = fields.String()
    body = fields.String()
    receiver = fields.String(allow_none=True)
    answered_at_once = fields.Boolean()
    answer = fields.String(allow_none=True)
    agreed_reply_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    follow_up = fields.String()
    remark = fields.String(metadata={"description": "备注: the department it was forwarded to"})
    important = fields.Boolean()
    status = fields.String()
    overdue = fields.Boolean()
    category = fields.String(allow_none=True)
    department = fields.String(allow_none=True)


class InquiryLedgerOut(ma.Schema):
    date = fields.Date()
    items = fields.List(fields.Nested(InquiryLedgerRowOut))
