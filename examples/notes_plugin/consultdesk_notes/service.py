"""Notes service: the one place the rule is enforced, for the API and the page alike."""

from datetime import timedelta

import sqlalchemy as sa

from consultdesk_notes.models import Note
from core import audit, policy
from core.extensions import db
from core.identity.permissions import require_permission
from core.pagination import page


def add_note(body: str, actor) -> Note:
    require_permission(actor, "notes.write")
    limit = policy.params("notes.max_length")
    policy.require("notes.max_length", limit is None or len(body) <= limit["max_chars"],
                   f"A note has at most {limit and limit['max_chars']} characters.")
    note = Note(body=body, author_id=actor.id)
    db.session.add(note)
    db.session.flush()
    audit.record("notes.added", note, actor=actor)
    return note


def welcome(user) -> Note:
    note = Note(body=f"欢迎 {user.name}", kind="welcome", author_id=None)
    db.session.add(note)
    return note


def list_notes(*, limit: int, cursor: str | None):
    return page(sa.select(Note).where(Note.archived.is_(False)), Note, limit=limit, cursor=cursor)


def count_open() -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Note).where(Note.archived.is_(False))
    ).scalar_one()


def archive_old_notes(tenant, now) -> int:
    """Sweep job: archive notes older than a week. Running it twice archives nothing new."""
    result = db.session.execute(
        sa.update(Note)
        .where(Note.archived.is_(False), Note.created_at < now - timedelta(days=7))
        .values(archived=True)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
