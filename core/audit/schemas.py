"""Shapes of GET /audit."""

import marshmallow as ma
from marshmallow import fields, validate

from core.pagination import ListArgs


class AuditArgs(ListArgs):
    object = fields.String(validate=validate.Length(max=80),
                           metadata={"description": "an object id, or type:id"})
    actor = fields.String(validate=validate.Length(max=254),
                          metadata={"description": "a user id or e-mail"})
    action = fields.String(validate=validate.Length(max=80))
    since = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset"})


class AuditEventOut(ma.Schema):
    id = fields.String()
    action = fields.String()
    object_type = fields.String(allow_none=True)
    object_id = fields.String(allow_none=True)
    actor_kind = fields.String()
    actor_id = fields.String(allow_none=True)
    actor_label = fields.String()
    address = fields.String(allow_none=True)
    details = fields.Dict()
    at = fields.DateTime()


class AuditList(ma.Schema):
    items = fields.List(fields.Nested(AuditEventOut))
    next_cursor = fields.String(allow_none=True)
