"""Shapes of the platform API."""

import marshmallow as ma
from marshmallow import fields, validate

from core.pagination import DEFAULT_LIMIT, MAX_LIMIT


class TenantOut(ma.Schema):
    slug = fields.String()
    name = fields.String()
    variant = fields.String()
    status = fields.String()
    locale = fields.String()
    timezone = fields.String()
    country = fields.String()
    created_at = fields.DateTime()
    users = fields.Integer()


class TenantList(ma.Schema):
    items = fields.List(fields.Nested(TenantOut))
    next_cursor = fields.String(allow_none=True)


class TenantListArgs(ma.Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=40))


class TenantCreate(ma.Schema):
    slug = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    variant = fields.String(required=True, validate=validate.Length(min=1, max=40))
    admin_email = fields.Email(required=True)
    admin_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    admin_name = fields.String(validate=validate.Length(min=1, max=200))


class TenantImport(ma.Schema):
    data = fields.Dict(required=True)
    slug = fields.String(validate=validate.Length(min=1, max=40))


class PluginOut(ma.Schema):
    name = fields.String()
    title = fields.String()
    area = fields.String(allow_none=True)
    description = fields.String()
    version = fields.String()
    builtin = fields.Boolean()


class PluginList(ma.Schema):
    items = fields.List(fields.Nested(PluginOut))
    next_cursor = fields.String(allow_none=True)
