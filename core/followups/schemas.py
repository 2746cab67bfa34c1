"""Shapes of the survey and follow-up API."""

import marshmallow as ma
from marshmallow import fields, validate

from core.followups.service import OUTCOMES
from core.pagination import ListArgs

Text = fields.String(load_default="", validate=validate.Length(max=4000))


class SurveyIn(ma.Schema):
    object_type = fields.String(required=True, validate=validate.Length(min=1, max=60))
    object_id = fields.String(required=True, validate=validate.Length(min=1, max=26))
    respondent = fields.String(load_default="requester",
                               validate=validate.OneOf(["requester", "staff"]))
    declined = fields.Boolean(load_default=False)
    score = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=5))
    experience = Text
    gains = Text
    suggestions = Text


class SurveyOut(ma.Schema):
    id = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    respondent = fields.String()
    declined = fields.Boolean()
    score = fields.Integer(allow_none=True)
    experience = fields.String()
    gains = fields.String()
    suggestions = fields.String()
    recorded_at = fields.DateTime()


class FollowUpOut(ma.Schema):
    id = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    summary = fields.String()
    assignee_id = fields.String(allow_none=True)
    due_at = fields.DateTime()
    done_at = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    notes = fields.String()


class FollowUpList(ma.Schema):
    items = fields.List(fields.Nested(FollowUpOut))
    next_cursor = fields.String(allow_none=True)


class FollowUpArgs(ListArgs):
    due = fields.Boolean(load_default=False)


class OutcomeIn(ma.Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    notes = Text
