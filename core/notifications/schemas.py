"""Shapes of the notifications API."""

import marshmallow as ma
from marshmallow import fields

from core.pagination import ListArgs


class NotificationOut(ma.Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    object_type = fields.String(allow_none=True)
    object_id = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationList(ma.Schema):
    items = fields.List(fields.Nested(NotificationOut))
    next_cursor = fields.String(allow_none=True)
    unread = fields.Integer()


class InboxArgs(ListArgs):
    unread = fields.Boolean(load_default=False)
