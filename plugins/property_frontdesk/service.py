"""The property front desk's service: the one place its rules are enforced, for the API, the
pages, the sweep, the inquiry hooks and the demo. Functions check permissions, enforce the
tenant's rules, write rows, the inquiry timeline and the audit trail, notify — and flush.

Decisions (DOMAIN.md "Plugin: property front desk"; S0-1):

- property.daily_review (§4.2.4): one DailyReview per tenant-local day, by a holder of
  ``property.review_daily`` (the 物业主管); enabled, the follow-up arrangements are required and
  the day's important inquiries (and the important items the reviewer writes) go to
  ``important_to_role`` (物管部经理) at once. The sweep flags a day that had inquiries and has no
  review once its grace period has passed (end of the ``grace_working_days``-th working day
  after the day, on the tenant's calendar), once (ReviewFlag row + notification dedupe key).
- property.weekly_review (§4.2.5): WeeklyReview rows per ISO week of the tenant's zone, by the
  物业经理; enabled, guidance is required, important items go to 公司领导 at once, and a past
  week that had inquiries and no review is flagged once ``grace_days`` after its Sunday.
- property.specialist_coordination (§4.2.2): an inquiry whose category maps to a department
  gets no final answer until that department's input (Coordination) agrees, or the 物业经理 has
  decided a disagreement. Enforced from the inquiry hooks (refusing the step).
- property.out_of_scope_approval (§4.2.3): an inquiry of a configured category gets no final
  answer and no referral (指引) until the 物管部经理 approved (Approval).
- property.info_archive (§4.1.2): enabled, the ledger's new-inquiry form searches the archive as
  the clerk types; picking an entry fills the answer, so the inquiry is answered at once.
- property.external_event_approval (§4.2.6): an event is scheduled only after leadership approved.
- property.daily_work_record (§5.2): the 《客服组日工作记录表》 of a day; disabled, it is not offered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from core import audit, policy
from core.calendar import calendar_for
from core.errors import Conflict, NotFound, ValidationError
from core.extensions import db
from core.identity.models import User
from core.identity.permissions import has_permission, require_permission
from core.inquiries import service as inquiries
from core.inquiries.models import WAITING, Inquiry
from core.notifications import service as notifications
from core.pagination import page
from core.tenancy import current_tenant, utcnow
from plugins.property_frontdesk.models import (
    Approval,
    Coordination,
    DailyReview,
    ExternalEvent,
    InfoEntry,
    ReviewFlag,
    WeeklyReview,
)
from plugins.property_frontdesk.rules import (
    DAILY_REVIEW,
    DAILY_WORK_RECORD,
    EXTERNAL_EVENT,
    INFO_ARCHIVE,
    OUT_OF_SCOPE,
    SPECIALIST,
    WEEKLY_REVIEW,
)

# --- helpers ----------------------------------------------------------------------------------


def calendar():
    return calendar_for(current_tenant(), policy.current_policy())


def _now(now: datetime | None) -> datetime:
    return (now or utcnow()).astimezone(UTC)


def today(now: datetime | None = None) -> date:
    return calendar().local_date(_now(now))


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def _clean(value) -> str:
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _url(path: str) -> str:
    return f"/t/{current_tenant().slug}/{path}"


def _user_names(ids) -> dict[str, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def role_title(role: str) -> str:
    from core.identity.permissions import role_book

    known = role_book().roles.get(role)
    return policy.current_policy().role_titles.get(role) or (str(known.title) if known else role)


def _important_of_day(day: date) -> list[Inquiry]:
    return list(db.session.execute(
        sa.select(Inquiry).where(Inquiry.local_date == day, Inquiry.important.is_(True))
        .order_by(Inquiry.seq).limit(200)).scalars())


def _important_between(start: date, end: date) -> list[Inquiry]:
    return list(db.session.execute(
        sa.select(Inquiry).where(Inquiry.local_date >= start, Inquiry.local_date <= end,
                                 Inquiry.important.is_(True))
        .order_by(Inquiry.local_date, Inquiry.seq).limit(200)).scalars())


def _lines(inquiries_: list[Inquiry], extra: str) -> str:
    lines = [f"{i.number} {i.subject}" for i in inquiries_]
    if extra:
        lines.append(extra)
    return "\n".join(lines)


# --- daily review (property.daily_review) -----------------------------------------------------


def get_daily_review(day: date) -> DailyReview | None:
    return db.session.execute(sa.select(DailyReview).where(DailyReview.day == day)).scalar_one_or_none()


def day_ledger(day: date, actor) -> list[dict]:
    """The day's ledger rows (core's own), for the reviewer's page."""
    return inquiries.ledger_rows(day, actor)


def record_daily_review(day: date, data: dict, actor, *, now: datetime | None = None) -> DailyReview:
    """The supervisor's check of ``day``'s ledger; a second check of the same day replaces it."""
    require_permission(actor, "property.review_daily")
    now = _now(now)
    if day > today(now):
        raise ValidationError(_("A day can be reviewed only once it has begun."),
                              fields={"date": [_("Not in the future.")]})
    remarks, arrangements = _clean(data.get("remarks")), _clean(data.get("arrangements"))
    important_items = _clean(data.get("important_items"))
    params = policy.params(DAILY_REVIEW)
    policy.require(DAILY_REVIEW, bool(arrangements),
                   _("Write the follow-up arrangements for the day's ledger."))
    review = get_daily_review(day)
    if review is None:
        review = DailyReview(day=day)
        db.session.add(review)
    review.reviewer_id, review.reviewed_at = actor.id, now
    review.remarks, review.arrangements, review.important_items = remarks, arrangements, important_items
    db.session.flush()
    audit.record("property.daily_review", review, actor=actor,
                 details={"day": day.isoformat(), "arrangements": arrangements})
    if params is not None:
        important = _important_of_day(day)
        if important or important_items:
            notifications.notify_role(
                params["important_to_role"], "property.daily_review.important",
                _("Important inquiries of %(day)s", day=day.isoformat()),
                _lines(important, important_items), obj=review,
                url=_url(f"property/reviews/daily?date={day.isoformat()}"),
                dedupe_key=f"property-daily-important:{day.isoformat()}:{now.isoformat()}")
    return review


def _week_arg(day: date) -> date:
    return week_start(day)


def get_weekly_reviews(start: date) -> list[WeeklyReview]:
    return list(db.session.execute(
        sa.select(WeeklyReview).where(WeeklyReview.week_start == start).order_by(WeeklyReview.id)
    ).scalars())


def record_weekly_review(day: date, data: dict, actor, *, now: datetime | None = None) -> WeeklyReview:
    """The property manager's check of the ISO week containing ``day`` (at least one a week)."""
    require_permission(actor, "property.review_weekly")
    now = _now(now)
    start = week_start(day)
    if start > today(now):
        raise ValidationError(_("A week can be reviewed only once it has begun."),
                              fields={"week": [_("Not in the future.")]})
    effect, guidance = _clean(data.get("effect")), _clean(data.get("guidance"))
    important_items = _clean(data.get("important_items"))
    params = policy.params(WEEKLY_REVIEW)
    policy.require(WEEKLY_REVIEW, bool(guidance), _("Write the guidance for the desk's work."))
    review = WeeklyReview(week_start=start, reviewer_id=actor.id, effect=effect, guidance=guidance,
                          important_items=important_items, reviewed_at=now)
    db.session.add(review)
    db.session.flush()
    audit.record("property.weekly_review", review, actor=actor,
                 details={"week_start": start.isoformat(), "guidance": guidance})
    if params is not None and important_items:
        notifications.notify_role(
            params["important_to_role"], "property.weekly_review.important",
            _("Important items of the week from %(day)s", day=start.isoformat()),
            important_items, obj=review, url=_url(f"property/reviews/weekly?date={start.isoformat()}"),
            dedupe_key=f"property-weekly-important:{review.id}")
    return review


def list_reviews(actor, *, kind: str, limit: int, cursor: str | None):
    require_permission(actor, "property.reviews_view")
    model = DailyReview if kind == "daily" else WeeklyReview
    items, next_cursor = page(sa.select(model), model, limit=limit, cursor=cursor)
    names = _user_names(r.reviewer_id for r in items)
    for review in items:
        review.kind = kind
        review.reviewer_name = names.get(review.reviewer_id)
    return items, next_cursor


def review_columns_values(rows: list[dict], day: date) -> tuple[str, str]:
    """The ledger's review columns for ``day``: the supervisor's check and the week's checks."""
    daily = get_daily_review(day)
    weekly = get_weekly_reviews(week_start(day))
    names = _user_names([daily.reviewer_id if daily else None, *[w.reviewer_id for w in weekly]])
    zone = calendar().zone

    def when(moment):
        return moment.astimezone(zone).strftime("%m-%d %H:%M")

    daily_text = ""
    if daily is not None:
        daily_text = "\n".join(filter(None, [
            f"{names.get(daily.reviewer_id, '')} {when(daily.reviewed_at)}",
            daily.remarks, daily.arrangements and f"跟进安排：{daily.arrangements}"]))
    weekly_text = "\n".join(
        "\n".join(filter(None, [f"{names.get(w.reviewer_id, '')} {when(w.reviewed_at)}",
                                w.effect, w.guidance and f"指导意见：{w.guidance}"]))
        for w in weekly)
    return daily_text, weekly_text


# --- the sweep --------------------------------------------------------------------------------


def _flag(kind: str, period: date, now: datetime) -> bool:
    """Write the flag once; False when it exists (another sweep got there first)."""
    try:
        with db.session.begin_nested():
            db.session.add(ReviewFlag(kind=kind, period=period, flagged_at=now))
            db.session.flush()
        return True
    except sa.exc.IntegrityError:
        return False


def _unflagged_days(kind: str, start: date, end: date) -> list[date]:
    """Days in [start, end] with inquiries, no flag of ``kind`` yet (bounded by the window)."""
    flagged = sa.select(ReviewFlag.period).where(ReviewFlag.kind == kind, ReviewFlag.period >= start)
    return list(db.session.execute(
        sa.select(Inquiry.local_date).where(Inquiry.local_date >= start, Inquiry.local_date <= end,
                                            Inquiry.local_date.not_in(flagged))
        .distinct().order_by(Inquiry.local_date)).scalars())


def flag_missed_daily_reviews(tenant, now: datetime) -> int:
    params = policy.params(DAILY_REVIEW)
    if params is None:
        return 0
    now = _now(now)
    cal = calendar()
    current = cal.local_date(now)
    count = 0
    with force_locale(tenant.locale or "zh_CN"):
        for day in _unflagged_days("daily", current - timedelta(days=params["lookback_days"]),
                                   current - timedelta(days=1)):
            if now <= cal.end_of_day(cal.nth_working_day(day, params["grace_working_days"])):
                continue
            if get_daily_review(day) is not None or not _flag("daily", day, now):
                continue
            users = [*notifications.users_with_role("supervisor"),
                     *notifications.users_with_role(params["important_to_role"])]
            notifications.notify(
                users, "property.daily_review.missed",
                _("The ledger of %(day)s has not been reviewed", day=day.isoformat()),
                _("The supervisor's daily check of the ledger is overdue."),
                url=f"/t/{tenant.slug}/property/reviews/daily?date={day.isoformat()}",
                dedupe_key=f"property-daily-review-missed:{day.isoformat()}")
            count += 1
    db.session.flush()
    return count


def flag_missed_weekly_reviews(tenant, now: datetime) -> int:
    params = policy.params(WEEKLY_REVIEW)
    if params is None:
        return 0
    now = _now(now)
    cal = calendar()
    this_week = week_start(cal.local_date(now))
    count = 0
    with force_locale(tenant.locale or "zh_CN"):
        for n in range(params["lookback_weeks"], 0, -1):
            start = this_week - timedelta(weeks=n)
            sunday = start + timedelta(days=6)
            if now <= cal.end_of_day(sunday + timedelta(days=params["grace_days"])):
                continue
            has_inquiries = db.session.execute(
                sa.select(Inquiry.id).where(Inquiry.local_date >= start, Inquiry.local_date <= sunday)
                .limit(1)).first()
            if not has_inquiries or get_weekly_reviews(start):
                continue
            exists = db.session.execute(sa.select(ReviewFlag.id).where(
                ReviewFlag.kind == "weekly", ReviewFlag.period == start)).first()
            if exists or not _flag("weekly", start, now):
                continue
            notifications.notify(
                notifications.users_with_role("property_manager"), "property.weekly_review.missed",
                _("The ledger of the week from %(day)s has not been reviewed", day=start.isoformat()),
                _("The property manager's weekly check of the ledger is overdue."),
                url=f"/t/{tenant.slug}/property/reviews/weekly?date={start.isoformat()}",
                dedupe_key=f"property-weekly-review-missed:{start.isoformat()}")
            count += 1
    db.session.flush()
    return count


def list_flags(*, limit: int = 50) -> list[ReviewFlag]:
    return list(db.session.execute(
        sa.select(ReviewFlag).order_by(ReviewFlag.period.desc()).limit(limit)).scalars())


# --- specialist coordination (property.specialist_coordination) -------------------------------


def specialist_department(inquiry: Inquiry) -> str | None:
    params = policy.params(SPECIALIST)
    if params is None or not inquiry.category:
        return None
    return params["departments"].get(inquiry.category)


def get_coordinated_inquiry(inquiry_id: str, actor) -> Inquiry:
    return inquiries.get_inquiry(inquiry_id, actor)


def coordinations(inquiry_id: str) -> list[Coordination]:
    return list(db.session.execute(
        sa.select(Coordination).where(Coordination.inquiry_id == inquiry_id).order_by(Coordination.id)
    ).scalars())


def coordination_settled(inquiry: Inquiry, department: str) -> bool:
    return db.session.execute(
        sa.select(Coordination.id).where(
            Coordination.inquiry_id == inquiry.id, Coordination.department == department,
            sa.or_(Coordination.agreed.is_(True), Coordination.decision.is_not(None))).limit(1)
    ).first() is not None


def _waiting(inquiry: Inquiry) -> None:
    if inquiry.status not in WAITING:
        raise Conflict(_("Not possible while the inquiry is %(status)s.",
                         status=inquiries.status_label(inquiry.status)))


def add_coordination(inquiry_id: str, data: dict, actor, *, now: datetime | None = None) -> Coordination:
    """A department's input on an inquiry answered jointly; a disagreement goes to the manager."""
    require_permission(actor, "property.coordinate")
    inquiry = inquiries.get_inquiry(inquiry_id, actor)
    _waiting(inquiry)
    names = inquiries.department_names()
    department = _clean(data.get("department")) or specialist_department(inquiry) or inquiry.department
    text = _clean(data.get("input"))
    errors = {}
    if not department or department not in names:
        errors["department"] = [_("Unknown department.")]
    if not text:
        errors["input"] = [_("Write the department's input.")]
    if errors:
        raise ValidationError(_("The input was not recorded; check the marked fields."), fields=errors)
    agreed = bool(data.get("agreed", True))
    now = _now(now)
    entry = Coordination(inquiry_id=inquiry.id, department=department, input=text, agreed=agreed,
                         author_id=actor.id, created_at=now)
    db.session.add(entry)
    db.session.flush()
    verdict = _("agreed") if agreed else _("not agreed")
    inquiries.record_event(inquiry, "property.coordination", actor,
                           f"{names[department]}{_('input')}（{verdict}）：{text}", now=now,
                           department=department, agreed=agreed, coordination_id=entry.id)
    if not agreed:
        params = policy.params(SPECIALIST)
        role = params["decider_role"] if params else "property_manager"
        notifications.notify_role(
            role, "property.coordination.disagreed",
            _("Inquiry %(number)s: %(department)s does not agree", number=inquiry.number,
              department=names[department]),
            f"{inquiry.subject}\n{text}", obj=inquiry, url=_url(f"inquiries/{inquiry.id}"),
            dedupe_key=f"property-coordination:{entry.id}")
    return entry


def decide_coordination(inquiry_id: str, data: dict, actor, *, now: datetime | None = None) -> Coordination:
    """The property manager settles the latest disagreement with a department."""
    require_permission(actor, "property.decide")
    inquiry = inquiries.get_inquiry(inquiry_id, actor)
    _waiting(inquiry)
    decision = _clean(data.get("decision"))
    if not decision:
        raise ValidationError(_("Write the decision."), fields={"decision": [_("Required.")]})
    entry = db.session.execute(
        sa.select(Coordination).where(Coordination.inquiry_id == inquiry.id,
                                      Coordination.agreed.is_(False), Coordination.decision.is_(None))
        .order_by(Coordination.id.desc()).limit(1)).scalar_one_or_none()
    if entry is None:
        raise Conflict(_("No disagreement with a department waits for a decision."))
    now = _now(now)
    entry.decision, entry.decided_by, entry.decided_at = decision, actor.id, now
    db.session.flush()
    name = inquiries.department_names().get(entry.department, entry.department)
    inquiries.record_event(inquiry, "property.coordination_decided", actor,
                           _("decision with %(department)s: %(decision)s", department=name,
                             decision=decision), now=now, department=entry.department,
                           coordination_id=entry.id)
    return entry


# --- out-of-scope approval (property.out_of_scope_approval) -----------------------------------


def out_of_scope(inquiry: Inquiry) -> bool:
    params = policy.params(OUT_OF_SCOPE)
    return params is not None and bool(inquiry.category) and inquiry.category in params["categories"]


def approved(inquiry: Inquiry) -> bool:
    return db.session.execute(
        sa.select(Approval.id).where(Approval.inquiry_id == inquiry.id, Approval.status == "approved")
        .limit(1)).first() is not None


def approvals_of(inquiry_id: str) -> list[Approval]:
    return list(db.session.execute(
        sa.select(Approval).where(Approval.inquiry_id == inquiry_id).order_by(Approval.id)).scalars())


def request_approval(inquiry_id: str, note: str | None, actor, *, now: datetime | None = None) -> Approval:
    require_permission(actor, "property.approval_request")
    inquiry = inquiries.get_inquiry(inquiry_id, actor)
    _waiting(inquiry)
    pending = db.session.execute(
        sa.select(Approval.id).where(Approval.inquiry_id == inquiry.id,
                                     Approval.status.in_(("requested", "approved"))).limit(1)).first()
    if pending:
        raise Conflict(_("Approval has already been asked for."))
    now = _now(now)
    note = _clean(note)
    approval = Approval(inquiry_id=inquiry.id, status="requested", note=note, requested_by=actor.id,
                        requested_at=now)
    db.session.add(approval)
    db.session.flush()
    params = policy.params(OUT_OF_SCOPE)
    role = params["approver_role"] if params else "dept_manager"
    inquiries.record_event(inquiry, "property.approval_requested", actor,
                           "：".join(filter(None, [_("approval asked of %(role)s", role=role_title(role)),
                                                   note])), now=now, approval_id=approval.id)
    notifications.notify_role(
        role, "property.approval.requested",
        _("Inquiry %(number)s waits for your approval", number=inquiry.number),
        f"{inquiry.subject}\n{note}".strip(), obj=approval, url=_url("property/approvals"),
        dedupe_key=f"property-approval:{approval.id}")
    return approval


def get_approval(approval_id: str) -> Approval:
    approval = db.session.execute(
        sa.select(Approval).where(Approval.id == approval_id)).scalar_one_or_none()
    if approval is None:
        raise NotFound(_("No such approval."))
    return approval


def decide_approval(approval_id: str, approve: bool, note: str | None, actor, *,
                    now: datetime | None = None) -> Approval:
    require_permission(actor, "property.approve")
    approval = get_approval(approval_id)
    if approval.status != "requested":
        raise Conflict(_("The approval has already been decided."))
    inquiry = inquiries.get_inquiry(approval.inquiry_id, actor)
    now = _now(now)
    approval.status = "approved" if approve else "refused"
    approval.decision_note, approval.decided_by, approval.decided_at = _clean(note) or None, actor.id, now
    db.session.flush()
    text = _("approved by the department manager") if approve else _("not approved by the department manager")
    inquiries.record_event(inquiry, "property.approval_decided", actor,
                           "：".join(filter(None, [text, approval.decision_note])), now=now,
                           approval_id=approval.id, approved=approve)
    if approval.requested_by:
        requester = db.session.get(User, (current_tenant().id, approval.requested_by))
        if requester is not None:
            notifications.notify([requester], "property.approval.decided",
                                 _("Inquiry %(number)s: %(text)s", number=inquiry.number, text=text),
                                 inquiry.subject, obj=inquiry, url=_url(f"inquiries/{inquiry.id}"),
                                 dedupe_key=f"property-approval-decided:{approval.id}")
    return approval


def count_pending_approvals() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(Approval)
                              .where(Approval.status == "requested")).scalar_one()


def list_approvals(actor, *, status: str | None, limit: int, cursor: str | None):
    require_permission(actor, "inquiries.view")
    query = sa.select(Approval)
    if status:
        query = query.where(Approval.status == status)
    items, next_cursor = page(query, Approval, limit=limit, cursor=cursor)
    subjects = {row.id: f"{row.number} {row.subject}" for row in db.session.execute(
        sa.select(Inquiry.id, Inquiry.number, Inquiry.subject)
        .where(Inquiry.id.in_({a.inquiry_id for a in items})))} if items else {}
    for approval in items:
        approval.inquiry_label = subjects.get(approval.inquiry_id, "")
    return items, next_cursor


# --- the inquiry hooks ------------------------------------------------------------------------


def check_final_answer(inquiry: Inquiry, *, referral: bool = False) -> None:
    """Refuse a final answer (or a referral, for out-of-scope questions) the rules forbid yet."""
    if out_of_scope(inquiry):
        policy.require(OUT_OF_SCOPE, approved(inquiry),
                       _("This question is beyond the estate's remit: the department manager must "
                         "approve the answer first."))
    if referral:
        return
    department = specialist_department(inquiry)
    if department is not None:
        name = inquiries.department_names().get(department, department)
        policy.require(SPECIALIST, coordination_settled(inquiry, department),
                       _("Answer jointly with %(department)s: record its input (or the property "
                         "manager's decision) first.", department=name))


def tell_desk_lead(inquiry: Inquiry) -> None:
    """An important inquiry goes to the 客服主任 at once (S0-1 §4.2.1), once per inquiry."""
    notifications.notify_role(
        "desk_lead", "property.important",
        _("Important inquiry %(number)s: %(subject)s", number=inquiry.number, subject=inquiry.subject),
        inquiry.body or inquiry.subject, obj=inquiry, url=_url(f"inquiries/{inquiry.id}"),
        dedupe_key=f"property-important:{inquiry.id}")


def on_inquiry_created(inquiry: Inquiry, actor) -> None:
    if inquiry.status == "answered":
        check_final_answer(inquiry)
    if inquiry.important:
        tell_desk_lead(inquiry)


def on_inquiry_changed(inquiry: Inquiry, event, actor) -> None:
    if event.kind == "answered":
        check_final_answer(inquiry)
    elif event.kind == "referred":
        check_final_answer(inquiry, referral=True)
    elif event.kind == "escalated":
        tell_desk_lead(inquiry)


# --- information archive (property.info_archive) ---------------------------------------------


INFO_FIELDS = ("title", "category", "content", "phone", "tags")


def _info_values(data: dict, partial: bool) -> dict:
    values = {k: _clean(data.get(k)) for k in INFO_FIELDS if k in data or not partial}
    if "title" in values and not values["title"]:
        raise ValidationError(_("Give the entry a title."), fields={"title": [_("Required.")]})
    if values.get("category") and values["category"] not in inquiries.category_names():
        raise ValidationError(_("Unknown category."), fields={"category": [_("Unknown category.")]})
    for key in ("category", "phone"):
        if key in values:
            values[key] = values[key] or None
    return values


def add_info(data: dict, actor, *, now: datetime | None = None) -> InfoEntry:
    require_permission(actor, "property.info_manage")
    entry = InfoEntry(**_info_values(data, partial=False), updated_by=actor.id, updated_at=_now(now))
    db.session.add(entry)
    db.session.flush()
    audit.record("property.info_added", entry, actor=actor, details={"title": entry.title})
    return entry


def get_info(entry_id: str, actor) -> InfoEntry:
    require_permission(actor, "property.info_view")
    entry = db.session.execute(sa.select(InfoEntry).where(InfoEntry.id == entry_id)).scalar_one_or_none()
    if entry is None:
        raise NotFound(_("No such archive entry."))
    return entry


def update_info(entry_id: str, data: dict, actor, *, now: datetime | None = None) -> InfoEntry:
    require_permission(actor, "property.info_manage")
    entry = get_info(entry_id, actor)
    for key, value in _info_values(data, partial=True).items():
        setattr(entry, key, value)
    entry.updated_by, entry.updated_at = actor.id, _now(now)
    db.session.flush()
    audit.record("property.info_changed", entry, actor=actor, details={"title": entry.title})
    return entry


def delete_info(entry_id: str, actor) -> None:
    require_permission(actor, "property.info_manage")
    entry = get_info(entry_id, actor)
    audit.record("property.info_deleted", entry, actor=actor, details={"title": entry.title})
    db.session.delete(entry)
    db.session.flush()


def search_info(actor, *, q: str | None, category: str | None, limit: int, cursor: str | None):
    """Entries matching every word of ``q`` in title, content, phone or tags (ILIKE, escaped)."""
    require_permission(actor, "property.info_view")
    query = sa.select(InfoEntry)
    if category:
        query = query.where(InfoEntry.category == category)
    for word in _clean(q).split()[:5]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(sa.or_(*[getattr(InfoEntry, c).ilike(pattern, escape="\\")
                                     for c in ("title", "content", "phone", "tags")]))
    return page(query, InfoEntry, limit=limit, cursor=cursor)


def archive_on_ledger() -> bool:
    return policy.enabled(INFO_ARCHIVE)


# --- external events (property.external_event_approval) --------------------------------------


def get_event(event_id: str, actor) -> ExternalEvent:
    require_permission(actor, "inquiries.view")
    event = db.session.execute(
        sa.select(ExternalEvent).where(ExternalEvent.id == event_id)).scalar_one_or_none()
    if event is None:
        raise NotFound(_("No such event."))
    return event


def _event_moment(value, field: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=calendar().zone)
    return value.astimezone(UTC)


def propose_event(data: dict, actor, *, now: datetime | None = None) -> ExternalEvent:
    require_permission(actor, "property.events_manage")
    organiser, title = _clean(data.get("organiser")), _clean(data.get("title"))
    starts = _event_moment(data.get("starts_at"), "starts_at")
    ends = _event_moment(data.get("ends_at"), "ends_at")
    errors = {}
    if not organiser:
        errors["organiser"] = [_("Required.")]
    if not title:
        errors["title"] = [_("Required.")]
    if starts is None:
        errors["starts_at"] = [_("Required.")]
    elif ends is not None and ends < starts:
        errors["ends_at"] = [_("Ends before it starts.")]
    if errors:
        raise ValidationError(_("The event was not registered; check the marked fields."), fields=errors)
    event = ExternalEvent(organiser=organiser, title=title, starts_at=starts, ends_at=ends,
                          place=_clean(data.get("place")), support_needed=_clean(data.get("support_needed")),
                          status="proposed", created_by=actor.id, created_at=_now(now))
    db.session.add(event)
    db.session.flush()
    audit.record("property.event_proposed", event, actor=actor, details={"title": title})
    params = policy.params(EXTERNAL_EVENT)
    if params is not None:
        notifications.notify_role(
            params["approver_role"], "property.event.proposed",
            _("Outside event for approval: %(title)s", title=title), f"{organiser} · {event.place}",
            obj=event, url=_url("property/events"), dedupe_key=f"property-event:{event.id}")
    return event


def decide_event(event_id: str, approve: bool, note: str | None, actor, *,
                 now: datetime | None = None) -> ExternalEvent:
    require_permission(actor, "property.events_approve")
    event = get_event(event_id, actor)
    if event.status != "proposed":
        raise Conflict(_("The event has already been decided."))
    event.status = "approved" if approve else "refused"
    event.approved_by, event.approved_at, event.decision_note = actor.id, _now(now), _clean(note) or None
    db.session.flush()
    audit.record("property.event_decided", event, actor=actor, details={"status": event.status})
    return event


def schedule_event(event_id: str, actor) -> ExternalEvent:
    require_permission(actor, "property.events_manage")
    event = get_event(event_id, actor)
    if event.status not in ("proposed", "approved"):
        raise Conflict(_("The event is %(status)s.", status=event.status))
    policy.require(EXTERNAL_EVENT, event.status == "approved",
                   _("Company leadership must approve the event before it is scheduled."))
    event.status = "scheduled"
    db.session.flush()
    audit.record("property.event_scheduled", event, actor=actor, details={"title": event.title})
    return event


def arrange_support(event_id: str, support: str | None, actor) -> ExternalEvent:
    require_permission(actor, "property.events_support")
    event = get_event(event_id, actor)
    support = _clean(support)
    if not support:
        raise ValidationError(_("Say what support is arranged."),
                              fields={"support_arranged": [_("Required.")]})
    if event.status == "refused":
        raise Conflict(_("The event was not approved."))
    event.support_arranged, event.support_by = support, actor.id
    db.session.flush()
    audit.record("property.event_support", event, actor=actor, details={"support": support})
    return event


def list_events(actor, *, status: str | None, limit: int, cursor: str | None):
    require_permission(actor, "inquiries.view")
    query = sa.select(ExternalEvent)
    if status:
        query = query.where(ExternalEvent.status == status)
    return page(query, ExternalEvent, limit=limit, cursor=cursor)


# --- daily work record (property.daily_work_record) ------------------------------------------


def work_record(day: date, actor, *, now: datetime | None = None) -> dict:
    """《客服组日工作记录表》: staff on duty, work done (counts by status and category, notable
    items), open items. Aggregates in SQL, bounded by the day."""
    require_permission(actor, "property.work_record")
    if not policy.enabled(DAILY_WORK_RECORD):
        raise NotFound(_("The daily work record is not kept here."))
    now = _now(now)
    staff = list(db.session.execute(
        sa.select(User.name, sa.func.count(Inquiry.id)).join(User, User.id == Inquiry.created_by)
        .where(Inquiry.local_date == day).group_by(User.name).order_by(User.name)).all())
    by_status = dict(db.session.execute(
        sa.select(Inquiry.status, sa.func.count()).where(Inquiry.local_date == day)
        .group_by(Inquiry.status)).all())
    cats = inquiries.category_names()
    by_category = [(cats.get(code or "", code or _("uncategorised")), n) for code, n in db.session.execute(
        sa.select(Inquiry.category, sa.func.count()).where(Inquiry.local_date == day)
        .group_by(Inquiry.category).order_by(sa.func.count().desc())).all()]
    at_once = db.session.execute(
        sa.select(sa.func.count()).select_from(Inquiry)
        .where(Inquiry.local_date == day, Inquiry.answered_at_once.is_(True))).scalar_one()
    notable = list(db.session.execute(
        sa.select(Inquiry).where(Inquiry.local_date == day, Inquiry.important.is_(True))
        .order_by(Inquiry.seq).limit(50)).scalars())
    open_items = list(db.session.execute(
        sa.select(Inquiry).where(Inquiry.status.in_(WAITING), Inquiry.local_date <= day)
        .order_by(Inquiry.due_at.is_(None), Inquiry.due_at, Inquiry.id).limit(200)).scalars())
    review = get_daily_review(day)
    return {
        "date": day, "staff": [{"name": n, "inquiries": c} for n, c in staff],
        "total": sum(by_status.values()), "answered_at_once": at_once,
        "by_status": [{"status": s, "label": inquiries.status_label(s), "count": by_status[s]}
                      for s in ("open", "answered", "forwarded", "referred", "closed") if s in by_status],
        "by_category": [{"category": c, "count": n} for c, n in by_category],
        "notable": [{"id": i.id, "number": i.number, "subject": i.subject,
                     "status": inquiries.status_label(i.status)} for i in notable],
        "open_items": [{"id": i.id, "number": i.number, "subject": i.subject,
                        "status": inquiries.status_label(i.status), "due_at": i.due_at,
                        "overdue": i.is_overdue(now)} for i in open_items],
        "review": review,
    }


def can(actor, permission: str) -> bool:
    return has_permission(actor, permission)
