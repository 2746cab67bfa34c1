"""Surveys when a service ends (core.satisfaction_survey) and follow-ups after closure
(core.follow_up): recorded against any tenant object, scheduled by the tenant's parameter.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from core import audit
from core.errors import Conflict, NotFound, ValidationError
from core.extensions import db
from core.followups.models import FollowUp, Survey
from core.identity.permissions import require_permission
from core.notifications import service as notifications
from core.pagination import page
from core.policy import params, require
from core.tenancy import TenantScoped, utcnow

OUTCOMES = ("reached", "unreachable", "declined")


def find_object(object_type: str, object_id: str):
    """The tenant's object of that table, or 404 (another tenant's object is 404 too)."""
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if issubclass(model, TenantScoped) and model.__tablename__ == object_type:
            obj = db.session.execute(sa.select(model).where(model.id == object_id)).scalar_one_or_none()
            if obj is not None:
                return obj
            break
    raise NotFound(_("No such object."))


def record_survey(object_type: str, object_id: str, answers: dict, actor) -> Survey:
    require_permission(actor, "followups.record")
    obj = find_object(object_type, object_id)
    if not answers.get("declined") and not answers.get("score"):
        raise ValidationError(_("Give a score, or record that the person declined."),
                              fields={"score": [_("Required unless declined.")]})
    survey = Survey(object_type=object_type, object_id=obj.id, recorded_by=actor.id,
                    **{k: v for k, v in answers.items() if v is not None})
    db.session.add(survey)
    db.session.flush()
    audit.record("survey.recorded", survey, actor=actor,
                 details={"object": f"{object_type}:{object_id}", "score": survey.score})
    return survey


def has_survey(object_type: str, object_id: str) -> bool:
    return db.session.execute(
        sa.select(Survey.id).where(Survey.object_type == object_type, Survey.object_id == object_id)
    ).first() is not None


def require_survey_on_closure(obj) -> None:
    """core.satisfaction_survey: a service ends only with its survey (or a recorded refusal)."""
    require("core.satisfaction_survey", has_survey(obj.__tablename__, obj.id),
            _("Record the satisfaction survey (or that the person declined) before closing."))


def schedule_follow_up(obj, *, summary: str = "", assignee_id: str | None = None, now=None):
    """core.follow_up: a follow-up contact ``after_days`` after closure (once per object)."""
    settings = params("core.follow_up")
    if settings is None:
        return None
    existing = db.session.execute(sa.select(FollowUp).where(
        FollowUp.object_type == obj.__tablename__, FollowUp.object_id == obj.id)).scalar_one_or_none()
    if existing is not None:
        return existing
    follow_up = FollowUp(object_type=obj.__tablename__, object_id=obj.id, summary=summary[:300],
                         assignee_id=assignee_id,
                         due_at=(now or utcnow()) + timedelta(days=settings["after_days"]))
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def list_follow_ups(actor, *, due_only: bool, limit: int, cursor: str | None, now=None):
    require_permission(actor, "followups.view")
    query = sa.select(FollowUp).where(FollowUp.done_at.is_(None))
    if due_only:
        query = query.where(FollowUp.due_at <= (now or utcnow()))
    return page(query, FollowUp, limit=limit, cursor=cursor)


def record_outcome(follow_up_id: str, outcome: str, notes: str, actor) -> FollowUp:
    require_permission(actor, "followups.record")
    follow_up = db.session.execute(
        sa.select(FollowUp).where(FollowUp.id == follow_up_id)).scalar_one_or_none()
    if follow_up is None:
        raise NotFound(_("No such follow-up."))
    if follow_up.done_at is not None:
        raise Conflict(_("This follow-up is already recorded."))
    follow_up.outcome, follow_up.notes = outcome, notes
    follow_up.done_at, follow_up.done_by = utcnow(), actor.id
    db.session.flush()
    audit.record("follow_up.recorded", follow_up, actor=actor, details={"outcome": outcome})
    return follow_up


def remind_due_follow_ups(tenant, now) -> int:
    """Sweep job: tell the assignee (or the desk) once when a follow-up comes due."""
    due = db.session.execute(
        sa.select(FollowUp).where(FollowUp.done_at.is_(None), FollowUp.due_at <= now)
        .order_by(FollowUp.due_at).limit(500)
    ).scalars().all()
    sent = 0
    for follow_up in due:
        title = _("Follow-up due: %(summary)s", summary=follow_up.summary or follow_up.object_id)
        key = f"follow_up:{follow_up.id}"
        if follow_up.assignee_id:
            from core.identity.service import find_user

            sent += len(notifications.notify([find_user(follow_up.assignee_id)], "follow_up.due",
                                             title, obj=follow_up, dedupe_key=key))
        else:
            sent += len(notifications.notify_role("desk", "follow_up.due", title, obj=follow_up,
                                                  dedupe_key=key))
    return sent


def satisfaction_summary(start, end) -> dict:
    """Surveys recorded in [start, end): count, declined, and average score (for reports)."""
    row = db.session.execute(
        sa.select(sa.func.count(), sa.func.sum(sa.case((Survey.declined, 1), else_=0)),
                  sa.func.avg(Survey.score))
        .where(Survey.recorded_at >= start, Survey.recorded_at < end)
    ).one()
    return {"surveys": row[0], "declined": int(row[1] or 0),
            "average_score": round(float(row[2]), 2) if row[2] is not None else None}
