"""Shapes of the complaints API: the form, each step's input, rows, details and the timeline."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from marshmallow import fields, validate

from core.complaints.models import APPEAL_OUTCOMES, KINDS, SATISFACTION, STATUSES, SUGGESTION_OUTCOMES
from core.pagination import ListArgs


def _text(max_length: int, **kw):
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=max_length),
                         **kw)


class DayOrTime(fields.Field):
    """A deadline: a day (YYYY-MM-DD: by the end of that day) or a time with its offset."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ma.ValidationError("Not a date.")
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            moment = dt.datetime.fromisoformat(value)
        except ValueError as error:
            raise ma.ValidationError("Not a date or a time (ISO 8601).") from error
        if moment.tzinfo is None:
            raise ma.ValidationError("Give the time with its offset.")
        return moment

    def _serialize(self, value, attr, obj, **kwargs):
        return value.isoformat() if value is not None else None


class ComplaintIn(ma.Schema):
    """《来访者意见建议申诉表》: who, how, what and what they want."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "suggestion (意见建议) or appeal (申诉)"})
    content = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    name = _text(100)
    phone = _text(40)
    channel = _text(40, metadata={"description": "one of core.complaint.kind's channels"})
    demand = _text(10000)
    about = _text(200, metadata={"description": "who or what it is about (a staff member, a department)"})
    category = _text(60)
    handler_id = _text(26, metadata={"description": "the handler; the registering user by default"})
    lead_id = _text(26, metadata={"description": "the lead; the first holder of the lead role by default"})


class ComplaintListArgs(ListArgs):
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean(load_default=None, allow_none=True)
    repeat = fields.Boolean(load_default=None, allow_none=True)


class ComplaintFindingsIn(ma.Schema):
    findings = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(APPEAL_OUTCOMES),
                            metadata={"description": "the proposed outcome"})
    dereliction = fields.Boolean(load_default=False,
                                 metadata={"description": "a department's failure of duty (失职)"})


class ComplaintApproveIn(ma.Schema):
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(APPEAL_OUTCOMES))
    note = _text(5000)


class ComplaintResolveIn(ma.Schema):
    # appeals
    sanction = _text(5000)
    corrective_action = _text(5000)
    corrective_due_at = DayOrTime(load_default=None, allow_none=True)
    resolution = _text(10000)
    # suggestions
    agreed_action = _text(10000)
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SUGGESTION_OUTCOMES))
    on_the_spot = fields.Boolean(load_default=False)
    opinion = _text(5000)
    reason = _text(5000)
    proposal = _text(5000)
    contact = _text(200)
    implemented_at = DayOrTime(load_default=None, allow_none=True)


class ComplaintReplyIn(ma.Schema):
    result_text = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class ComplaintFollowUpIn(ma.Schema):
    notes = fields.String(required=True, validate=validate.Length(min=1, max=10000),
                          metadata={"description": "what was done, as told to the person"})
    thanked = fields.Boolean(load_default=True)
    satisfaction = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(SATISFACTION))


class ComplaintEscalateIn(ma.Schema):
    escalation = _text(10000, metadata={"description": "what the person took to headquarters"})
    outcome = _text(10000, metadata={"description": "headquarters' outcome"})


class ComplaintUserRef(ma.Schema):
    id = fields.String()
    name = fields.String()


class ComplaintRow(ma.Schema):
    """A row of the list; ``redacted`` rows carry only the number, kind, status, deadline and flags."""

    id = fields.String()
    number = fields.String()
    kind = fields.String()
    status = fields.String()
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean()
    late = fields.Boolean()
    flagged_repeat = fields.Boolean()
    repeat_of_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
    archived_at = fields.DateTime(allow_none=True)
    redacted = fields.Boolean()
    complainant_hidden = fields.Boolean()
    channel = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    about = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    summary = fields.String()
    handler = fields.Nested(ComplaintUserRef, allow_none=True)


class ComplaintList(ma.Schema):
    items = fields.List(fields.Nested(ComplaintRow))
    next_cursor = fields.String(allow_none=True)


class ComplaintStepOut(ma.Schema):
    step = fields.String()
    actor = fields.Nested(ComplaintUserRef)
    at = fields.DateTime()
    details = fields.Dict()


class ComplaintOut(ComplaintRow):
    phone = fields.String(allow_none=True)
    content = fields.String()
    demand = fields.String(allow_none=True)
    lead = fields.Nested(ComplaintUserRef, allow_none=True)
    created_by = fields.Nested(ComplaintUserRef, allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    findings = fields.String(allow_none=True)
    dereliction = fields.Boolean()
    findings_at = fields.DateTime(allow_none=True)
    proposed_outcome = fields.String(allow_none=True)
    approved_by = fields.Nested(ComplaintUserRef, allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    approval_note = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    on_the_spot = fields.Boolean(allow_none=True)
    spot_notes = fields.Dict(keys=fields.String(), values=fields.String())
    implemented_at = fields.DateTime(allow_none=True)
    sanction = fields.String(allow_none=True)
    corrective_action = fields.String(allow_none=True)
    corrective_due_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    result_text = fields.String(allow_none=True)
    result_sent_at = fields.DateTime(allow_none=True)
    hq_escalation = fields.String(allow_none=True)
    hq_escalated_at = fields.DateTime(allow_none=True)
    hq_outcome = fields.String(allow_none=True)
    follow_up_due_at = fields.DateTime(allow_none=True)
    follow_up_done_at = fields.DateTime(allow_none=True)
    follow_up_notes = fields.String(allow_none=True)
    satisfaction = fields.String(allow_none=True)
    allowed_steps = fields.List(fields.String())
    timeline = fields.List(fields.Nested(ComplaintStepOut))
