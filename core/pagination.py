"""Cursor pagination: newest first by the (sortable) id, with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import gettext as _
from marshmallow import fields, validate

from core.errors import ValidationError
from core.extensions import db
from core.tenancy import scoped_rows

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


class ListArgs(ma.Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"before": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["before"]
        if not isinstance(value, str):
            raise TypeError
        return value
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(_("Invalid cursor."), fields={"cursor": [_("Invalid cursor.")]}) from None


def page(query: sa.Select, model, *, limit: int, cursor: str | None, as_rows: bool = False):
    """One page of ``query``: (items, next_cursor or None).

    ``query`` selects ``model`` (items are its objects) or, with ``as_rows``, columns of it that
    include ``id`` (items are rows).
    """
    if cursor:
        query = query.where(model.id < decode_cursor(cursor))
    query = query.order_by(model.id.desc()).limit(limit + 1)
    rows = scoped_rows(query) if as_rows else db.session.execute(query).scalars().all()
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit else None
    return items, next_cursor
