"""Request and response shapes of sign-in, the signed-in user and staff accounts."""

import marshmallow as ma
from marshmallow import fields, validate

from core.pagination import ListArgs

Email = fields.Email(required=True, validate=validate.Length(max=254))


class TokenRequest(ma.Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class TokenResponse(ma.Schema):
    token = fields.String()
    expires_at = fields.DateTime()


class UserOut(ma.Schema):
    id = fields.String()
    email = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    active = fields.Boolean()
    locale = fields.String(allow_none=True)
    created_at = fields.DateTime()


class UserList(ma.Schema):
    items = fields.List(fields.Nested(UserOut))
    next_cursor = fields.String(allow_none=True)


class UserListArgs(ListArgs):
    pass


RoleList = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                       validate=validate.Length(max=20))


class UserCreate(ma.Schema):
    email = Email
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    roles = fields.List(fields.String(validate=validate.Length(min=1, max=60)), required=True,
                        validate=validate.Length(max=20))


class UserPatch(ma.Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    roles = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                        validate=validate.Length(max=20))
    active = fields.Boolean()
    password = fields.String(validate=validate.Length(min=1, max=256))
    locale = fields.String(allow_none=True, validate=validate.OneOf(["zh_CN", "zh_TW", "en"]))


class PasswordChange(ma.Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class MeOut(ma.Schema):
    user = fields.Nested(UserOut)
    permissions = fields.List(fields.String())
    tenant = fields.Dict()
    plugins = fields.List(fields.Dict())
