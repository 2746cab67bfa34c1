"""Notes API, mounted at /t/<slug>/api/v1/notes/ for tenants that enabled the plugin."""

import marshmallow as ma
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from consultdesk_notes import service
from core.extensions import db
from core.pagination import ListArgs

blp = Blueprint("notes_api", __name__, description="Desk notes (example plugin)")


class NoteIn(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10000))


class NoteOut(ma.Schema):
    id = ma.fields.String()
    body = ma.fields.String()
    kind = ma.fields.String()
    author_id = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class NoteList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NoteOut))
    next_cursor = ma.fields.String(allow_none=True)


@blp.route("/notes")
class Notes(MethodView):
    @blp.arguments(ListArgs(), location="query")
    @blp.response(200, NoteList)
    def get(self, args):
        """Open notes, newest first."""
        items, next_cursor = service.list_notes(limit=args["limit"], cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(NoteIn())
    @blp.response(201, NoteOut)
    def post(self, body):
        """Leave a note (refused by notes.max_length when too long)."""
        note = service.add_note(body["body"], g.actor)
        db.session.commit()
        return note
