"""Notify users (inbox row + outbox e-mail, in the caller's transaction) and deliver e-mail.

The notification and its e-mail are flushed with the change that caused them, so either both
exist or neither does; delivery happens later (`consultdesk sweep`) and is retried with
backoff until the SMTP server accepts the message: nothing acknowledged is lost.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from core.errors import NotFound
from core.extensions import db
from core.identity.models import User, UserRole
from core.notifications.models import Notification, OutboxEmail
from core.pagination import page
from core.tenancy import utcnow

MAX_BACKOFF = timedelta(hours=6)


def users_with_role(role: str) -> list[User]:
    return list(db.session.execute(
        sa.select(User).join(UserRole, sa.and_(UserRole.tenant_id == User.tenant_id,
                                               UserRole.user_id == User.id))
        .where(UserRole.role == role, User.active.is_(True)).order_by(User.id)
    ).scalars())


def _smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def notify(recipients, kind: str, title: str, body: str = "", *, obj=None, url: str | None = None,
           dedupe_key: str | None = None) -> list[Notification]:
    """Notify each recipient once; with a dedupe key, a second call notifies nobody again."""
    created = []
    for user in {u.id: u for u in recipients}.values():
        key = f"{dedupe_key}:{user.id}" if dedupe_key else None
        if key and _exists(key):
            continue
        note = Notification(recipient_id=user.id, kind=kind, title=title[:300], body=body, url=url,
                            dedupe_key=key, object_type=obj.__tablename__ if obj else None,
                            object_id=obj.id if obj else None)
        try:
            with db.session.begin_nested():  # two sweeps at once: the unique key decides
                db.session.add(note)
                db.session.flush()
        except sa.exc.IntegrityError:
            continue
        if _smtp_configured():
            db.session.add(OutboxEmail(notification_id=note.id, to_address=user.email,
                                       subject=title[:300], body=body or title))
        created.append(note)
    db.session.flush()
    return created


def notify_role(role: str, kind: str, title: str, body: str = "", **kw) -> list[Notification]:
    return notify(users_with_role(role), kind, title, body, **kw)


def _exists(key: str) -> bool:
    return db.session.execute(
        sa.select(Notification.id).where(Notification.dedupe_key == key)).first() is not None


def inbox(user, *, unread_only: bool, limit: int, cursor: str | None):
    query = sa.select(Notification).where(Notification.recipient_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return page(query, Notification, limit=limit, cursor=cursor)


def unread_count(user) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def mark_read(notification_id: str, user) -> Notification:
    note = db.session.execute(
        sa.select(Notification).where(Notification.id == notification_id,
                                      Notification.recipient_id == user.id)
    ).scalar_one_or_none()
    if note is None:
        raise NotFound("No such notification.")
    if note.read_at is None:
        note.read_at = utcnow()
    db.session.flush()
    return note


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _send(email: OutboxEmail) -> None:
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg.get("SMTP_FROM") or "consultdesk@localhost"
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message.set_content(email.body)
    with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT") or 25), timeout=10) as smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USER"):
            smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)


def deliver_outbox(tenant, now, batch: int = 100) -> int:
    """Sweep job: send the e-mails that are due; a failure is retried later, never dropped."""
    if not _smtp_configured():
        return 0
    due = db.session.execute(
        sa.select(OutboxEmail)
        .where(OutboxEmail.status == "pending", OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at).limit(batch)
        .with_for_update(skip_locked=True)  # two sweeps at once send each e-mail once
    ).scalars().all()
    sent = 0
    for email in due:
        email.attempts += 1
        try:
            _send(email)
        except (OSError, smtplib.SMTPException) as error:
            email.last_error = f"{type(error).__name__}: {error}"[:500]
            email.next_attempt_at = now + backoff(email.attempts)
            continue
        email.status, email.sent_at, email.last_error = "sent", now, None
        sent += 1
    db.session.flush()
    return sent
