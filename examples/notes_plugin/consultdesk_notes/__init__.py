"""consultdesk-notes: desk notes, the plugin author's guide's worked example.

It shows every kind of contribution: a model with its own migration, an API blueprint and a
page, a permission and a role, a rule that refuses something, a category, a handler for a
domain event, a sweep job and a dashboard item.
"""

from pathlib import Path

import marshmallow as ma
from flask import url_for

from core.identity.permissions import Permission, Role
from core.plugin_system import DashboardItem, Job, hookimpl
from core.policy import Rule

NAME = "notes"  # used when the plugin is registered directly (tests); entry points name it too
TITLE = "Desk notes"
AREA = "notes"  # API at /t/<slug>/api/v1/notes/, pages at /t/<slug>/notes/
DESCRIPTION = "Short notes the desk leaves for the next shift."


class MaxLengthParams(ma.Schema):
    max_chars = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=10000))


@hookimpl
def register_models():
    from consultdesk_notes.models import Note

    return [Note]


@hookimpl
def register_migration_dirs():
    return [Path(__file__).parent / "migrations"]


@hookimpl
def register_blueprints():
    from consultdesk_notes.api import blp
    from consultdesk_notes.pages import bp

    return [blp, bp]


@hookimpl
def register_permissions():
    return [Permission("notes.write", "Write desk notes")]


@hookimpl
def register_roles():
    # Adds the permission to the core desk role, and brings a role of its own
    return [
        Role("desk", "Desk clerk", frozenset({"notes.write"})),
        Role("note_taker", "Note taker", frozenset({"notes.write"})),
    ]


@hookimpl
def register_rules():
    return [Rule("notes.max_length", "Notes are short", "Desk handbook §2", MaxLengthParams,
                 {"max_chars": 140})]


@hookimpl
def register_categories():
    return [{"code": "shift_note", "name": "交接班记录"}]


@hookimpl
def user_created(user, actor):
    from consultdesk_notes import service

    service.welcome(user)


@hookimpl
def register_jobs():
    from consultdesk_notes import service

    return [Job("notes.archive_old", service.archive_old_notes)]


@hookimpl
def register_dashboard_items(user):
    from consultdesk_notes import service

    return [DashboardItem("Notes", service.count_open(), url_for("notes_pages.index"))]
