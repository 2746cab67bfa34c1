"""Shapes of GET and PATCH /policy."""

import marshmallow as ma
from marshmallow import fields, validate

Name = fields.String(validate=validate.Length(min=1, max=100))


class RuleChange(ma.Schema):
    enabled = fields.Boolean()
    params = fields.Dict(keys=fields.String())
    clause = fields.String(validate=validate.Length(max=200))


class CodeName(ma.Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CalendarChange(ma.Schema):
    """Days the tenant's own calendar adds to its country's public holidays."""

    holidays = fields.List(fields.Date(), validate=validate.Length(max=400))
    working_days = fields.List(fields.Date(), validate=validate.Length(max=400))


class PolicyPatch(ma.Schema):
    plugins = fields.List(Name, validate=validate.Length(max=50))
    rules = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=100)),
                        values=fields.Nested(RuleChange))
    departments = fields.List(fields.Nested(CodeName), validate=validate.Length(max=200))
    categories = fields.List(fields.Nested(CodeName), validate=validate.Length(max=500))
    role_titles = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)),
                              values=fields.String(validate=validate.Length(min=1, max=100)))
    calendar = fields.Nested(CalendarChange)
    note = fields.String(validate=validate.Length(max=500))
    effective_from = fields.Date()


class RuleOut(ma.Schema):
    id = fields.String()
    title = fields.String()
    clause = fields.String()
    plugin = fields.String()
    enabled = fields.Boolean()
    params = fields.Dict()
    defaults = fields.Dict()


class PluginOut(ma.Schema):
    name = fields.String()
    title = fields.String()
    enabled = fields.Boolean()


class RoleOut(ma.Schema):
    name = fields.String()
    title = fields.String()
    permissions = fields.List(fields.String())


class PolicyOut(ma.Schema):
    version = fields.Integer()
    calendar = fields.Dict()
    plugins = fields.List(fields.Nested(PluginOut))
    rules = fields.List(fields.Nested(RuleOut))
    departments = fields.List(fields.Nested(CodeName))
    categories = fields.List(fields.Nested(CodeName))
    roles = fields.List(fields.Nested(RoleOut))
