"""Inquiries: the one place the inquiry rules are enforced, for the API, the pages, the sweep and
the demo. Functions check the actor's permission, enforce the tenant's rules, change rows, write
the timeline and the audit trail, notify, call the plugins' hooks — and flush, never commit.

Decisions (DOMAIN.md "Inquiries and the ledger"):

- core.inquiry.ledger: every inquiry is in the ledger whether or not the rule is enabled. The
  rule's enforcement is at creation: the ledger's fields must be filled — the channel, who asked
  (a name, or a phone or e-mail when the name is not given) and what was asked. Disabled, an
  inquiry needs only its content.
- core.inquiry.reply_deadline: an inquiry is answered at once, or gets a reply time agreed with
  the requester; the agreed time may be at most ``max_working_days`` working days (the tenant's
  calendar) after the inquiry was received, also when it is agreed or changed later, so a
  promise cannot be pushed back for ever. Without an agreed time and not answered at once the
  deadline (``due_at``) is that cap: the end of the N-th working day. Past ``due_at`` the
  inquiry is overdue. Disabled: no cap and no default deadline; an agreed time is still the
  deadline the desk promised.
- core.inquiry.forward: department (and, with ``remark_required``, a remark for the 备注
  column) required. Users have no department yet, so the holders of the first role of the
  escalation chain (the supervisors) are notified, naming the department; the desk keeps the
  inquiry (status ``forwarded``) until it posts the final reply.
- core.inquiry.escalate_important: an important inquiry notifies the chain's first role at once
  (escalation level 1); each POST /escalate passes it to the next role (409 at the top).
  Escalating an inquiry that was not marked important marks it important. Disabled: nothing
  happens at creation, but the desk can still pass an inquiry up the configured chain.
- core.reply.forbidden_phrases: replies and at-once answers containing a phrase are refused.
- core.inquiry.refer_out: a referral names whom (and, with ``contact_required``, how to reach
  them); status ``referred``.

Transitions (409 otherwise): open → answered | forwarded | referred; forwarded → answered |
forwarded (another department) | referred | closed; answered, referred → closed. Replies,
agreed times and escalations only while the inquiry waits for its answer (open, forwarded).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from core import audit, policy
from core.calendar import calendar_for
from core.errors import Conflict, NotFound, ValidationError
from core.extensions import db
from core.followups import service as followups
from core.identity.models import User
from core.identity.permissions import require_permission
from core.inquiries import schemas as inquiry_schemas
from core.inquiries.models import CHANNELS, WAITING, Inquiry, InquiryEvent
from core.notifications import service as notifications
from core.pagination import page
from core.plugin_system.manager import tenant_hooks
from core.tenancy import current_tenant, current_tenant_id, new_id, utcnow

LEDGER = "core.inquiry.ledger"
REPLY_DEADLINE = "core.inquiry.reply_deadline"
FORWARD = "core.inquiry.forward"
ESCALATE = "core.inquiry.escalate_important"
FORBIDDEN_PHRASES = "core.reply.forbidden_phrases"
REFER_OUT = "core.inquiry.refer_out"

# Which statuses allow each step
ALLOWED = {
    "reply": set(WAITING),
    "agree_reply_time": set(WAITING),
    "forward": set(WAITING),
    "escalate": set(WAITING),
    "refer": set(WAITING),
    "close": {"answered", "referred", "forwarded"},
}
MAX_AGREED_AHEAD = timedelta(days=366)  # a sanity bound when the cap rule is disabled
# pg_advisory_xact_lock(_NUMBERING_LOCK, tenant id): numbering the tenant's inquiries
_NUMBERING_LOCK = 0x1D_0001


# --- the tenant's lists -----------------------------------------------------------------------


def categories() -> list[dict]:
    """The tenant policy's inquiry categories and those of its enabled plugins."""
    extra = [c for batch in tenant_hooks().register_categories() for c in batch]
    return policy.current_policy().categories + extra


def departments() -> list[dict]:
    extra = [d for batch in tenant_hooks().register_departments() for d in batch]
    return policy.current_policy().departments + extra


def category_names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in categories()}


def department_names() -> dict[str, str]:
    return {d["code"]: d["name"] for d in departments()}


def calendar():
    return calendar_for(current_tenant(), policy.current_policy())


def escalation_chain() -> list[str]:
    """The roles an important inquiry goes up through (the rule's parameter, even if disabled)."""
    params = policy.params(ESCALATE)
    if params is None:
        rule = policy.registry().get(ESCALATE)
        params = {**rule.defaults, **policy.current_policy().rule_entry(ESCALATE).get("params", {})}
    return list(params["chain"])


def local_time(moment: datetime | None) -> str:
    """A moment as the tenant's clock shows it, for messages and documents."""
    if moment is None:
        return ""
    return moment.astimezone(calendar().zone).strftime("%Y-%m-%d %H:%M")


def today(now: datetime | None = None) -> date:
    return calendar().local_date(now or utcnow())


# --- helpers ----------------------------------------------------------------------------------


def _clean(value) -> str:
    """Trimmed text; NUL (which PostgreSQL refuses in text) removed: pages send what they get."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _moment(value: datetime | None, field: str) -> datetime | None:
    """An aware UTC datetime; a naive one is read as the tenant's local time."""
    if value is None:
        return None
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=calendar().zone)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError(_("The time is out of range."),
                              fields={field: [_("The time is out of range.")]}) from None


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _check_status(inquiry: Inquiry, step: str) -> None:
    if inquiry.status not in ALLOWED[step]:
        raise Conflict(_("Not possible while the inquiry is %(status)s.",
                         status=status_label(inquiry.status)))


def status_label(status: str) -> str:
    return _labels(str(get_locale()))[0].get(status, status)


def channel_label(channel: str | None) -> str:
    return _labels(str(get_locale()))[1].get(channel or "", "")


@functools.lru_cache(maxsize=32)
def _labels(locale: str) -> tuple[dict, dict]:
    """Status and channel labels in ``locale`` (the current one), translated once per process:
    the day's ledger asks for two per row (translating all twelve each time was half its cost)."""
    statuses = {"open": _("open"), "answered": _("answered"), "forwarded": _("forwarded"),
                "referred": _("referred"), "closed": _("closed")}
    channels = {"walk_in": _("walk-in"), "phone": _("phone"), "web": _("web"), "letter": _("letter"),
                "email": _("e-mail"), "hotline": _("hotline"), "chat": _("chat")}
    return statuses, channels


def _lock(inquiry: Inquiry) -> None:
    """Re-read the row FOR UPDATE (PostgreSQL): two clerks acting at once take turns."""
    if sa.inspect(inquiry).pending:  # created in this transaction and not yet written
        db.session.flush()
    db.session.refresh(inquiry, with_for_update=True)


def _event(inquiry: Inquiry, kind: str, actor, now: datetime, **details) -> InquiryEvent:
    # Not flushed here: the unit of work writes it with the rest (a flush per event cost a
    # tenth of a create); the id is set now for whoever reads it before that.
    event = InquiryEvent(id=new_id(), inquiry_id=inquiry.id, kind=kind,
                         actor_id=actor.id if actor else None, at=now,
                         details={k: v for k, v in details.items() if v is not None})
    db.session.add(event)
    return event


def _changed(inquiry: Inquiry, event: InquiryEvent, actor) -> None:
    """Audit the step and let the enabled plugins react (or refuse, rolling it all back)."""
    audit.record(f"inquiry.{event.kind}", inquiry, actor=actor,
                 details={"number": inquiry.number, **event.details})
    tenant_hooks().inquiry_changed(inquiry=inquiry, event=event, actor=actor)


def _url(inquiry: Inquiry) -> str:
    return f"/t/{current_tenant().slug}/inquiries/{inquiry.id}"


def _check_phrases(text: str) -> None:
    params = policy.params(FORBIDDEN_PHRASES)
    if params is None:
        return
    folded = text.casefold()
    for phrase in params["phrases"]:
        if phrase and phrase.casefold() in folded:
            policy.require(FORBIDDEN_PHRASES, False,
                           _("The reply must not say “%(phrase)s”.", phrase=phrase))


def _deadline(received_at: datetime, agreed: datetime | None) -> datetime | None:
    """The stored deadline: the agreed time within the cap, or the cap itself."""
    params = policy.params(REPLY_DEADLINE)
    if params is None:
        return agreed
    cap = calendar().due_after(received_at, params["max_working_days"])
    if agreed is None:
        return cap
    policy.require(REPLY_DEADLINE, agreed <= cap,
                   _("A reply time may be agreed at most %(n)s working days after the inquiry: "
                     "by %(cap)s at the latest.", n=params["max_working_days"], cap=local_time(cap)))
    return agreed


def _check_agreed(agreed: datetime, now: datetime) -> None:
    if agreed <= now:
        raise ValidationError(_("The agreed reply time must be in the future."),
                              fields={"agreed_reply_at": [_("Must be in the future.")]})
    if agreed > now + MAX_AGREED_AHEAD:
        raise ValidationError(_("The agreed reply time is too far away."),
                              fields={"agreed_reply_at": [_("At most a year ahead.")]})


def _assign_number(inquiry: Inquiry) -> None:
    """The day's next number, "YYYYMMDD-NNNN", gap-free: one desk numbers at a time.

    The number is taken under a lock held until the transaction ends. On SQLite that is the
    write lock of BEGIN IMMEDIATE; on PostgreSQL an advisory lock per tenant, so that a second
    desk saving at the same moment waits for the first to commit and then reads its number,
    instead of taking the same number, failing on the unique key and trying again (a savepoint,
    a failed insert and a second read on every collision). The unique key stays as the guard.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_NUMBERING_LOCK, current_tenant_id())))
    last = db.session.execute(
        sa.select(sa.func.max(Inquiry.seq)).where(Inquiry.local_date == inquiry.local_date)
    ).scalar()
    inquiry.seq = (last or 0) + 1
    inquiry.number = f"{inquiry.local_date:%Y%m%d}-{inquiry.seq:04d}"
    db.session.add(inquiry)


def _notify_role(role: str, kind: str, title: str, body: str, inquiry: Inquiry, key: str | None = None):
    return notifications.notify(notifications.users_with_role(role), kind, title, body, obj=inquiry,
                                url=_url(inquiry), dedupe_key=key)


# --- reading ----------------------------------------------------------------------------------


def get_inquiry(inquiry_id: str, actor) -> Inquiry:
    require_permission(actor, "inquiries.view")
    inquiry = db.session.execute(
        sa.select(Inquiry).where(Inquiry.id == inquiry_id)).scalar_one_or_none()
    if inquiry is None:
        raise NotFound(_("No such inquiry."))
    return inquiry


def _search(q: str):
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return sa.or_(*[getattr(Inquiry, column).ilike(pattern, escape="\\")
                    for column in ("subject", "body", "requester_name", "requester_phone")])


def _filtered(query, *, status=None, overdue=None, category=None, important=None, q=None,
              day=None, department=None, now: datetime):
    if status:
        query = query.where(Inquiry.status == status)
    if overdue is not None:
        query = query.where(Inquiry.overdue_at(now) if overdue else sa.not_(Inquiry.overdue_at(now)))
    if category:
        query = query.where(Inquiry.category == category)
    if department:
        query = query.where(Inquiry.department == department)
    if important is not None:
        query = query.where(Inquiry.important.is_(important))
    if day is not None:
        query = query.where(Inquiry.local_date == day)
    q = _clean(q)
    if q:
        query = query.where(_search(q))
    return query


# What a list shows of an inquiry: rows of these, not ORM objects, which cost five times as much
# to load (bench/inprocess.py); the list never changes what it reads.
LIST_COLUMNS = tuple(getattr(Inquiry, name) for name in inquiry_schemas.FIELDS)
_LIST_SELECT = sa.select(*LIST_COLUMNS)  # built once: a select of 25 columns takes 0.1 ms to build


def list_inquiries(actor, *, limit: int, cursor: str | None, now: datetime | None = None, **filters):
    """One page of the tenant's inquiries, newest first, filtered in SQL."""
    require_permission(actor, "inquiries.view")
    query = _filtered(_LIST_SELECT, now=_now(now), **filters)
    return page(query, Inquiry, limit=limit, cursor=cursor, as_rows=True)


def timeline(inquiry: Inquiry, actor) -> list[InquiryEvent]:
    """The inquiry's events, oldest first; each carries ``actor_name`` and a line of ``text``."""
    require_permission(actor, "inquiries.view")
    rows = db.session.execute(
        sa.select(InquiryEvent, User.name)
        .outerjoin(User, User.id == InquiryEvent.actor_id)
        .where(InquiryEvent.inquiry_id == inquiry.id)
        .order_by(InquiryEvent.at, InquiryEvent.id)
    ).all()
    departments, titles = department_names(), policy.current_policy().role_titles
    events = []
    for event, name in rows:
        event.actor_name = name
        event.text = describe_event(event, departments, titles)
        events.append(event)
    return events


def receiver_name(inquiry: Inquiry) -> str | None:
    if inquiry.created_by is None:
        return None
    return db.session.execute(sa.select(User.name).where(User.id == inquiry.created_by)).scalar()


# --- creating ---------------------------------------------------------------------------------


def create_inquiry(data: dict, actor, *, now: datetime | None = None) -> Inquiry:
    """Enter an inquiry in the ledger: answered at once, with an agreed reply time, or open.

    ``data``: channel, requester {name, phone, email}, subject, body, category, department,
    important, answer (answered at once), agreed_reply_at. ``now`` is when it was received.
    """
    require_permission(actor, "inquiries.create")
    now = _now(now)
    requester = data.get("requester") or {}
    name, phone, email = (_clean(requester.get(k)) for k in ("name", "phone", "email"))
    body = _clean(data.get("body"))
    subject = _clean(data.get("subject")) or body.split("\n", 1)[0][:300].strip()
    channel = _clean(data.get("channel"))
    category = _clean(data.get("category")) or None
    department = _clean(data.get("department")) or None
    answer = _clean(data.get("answer"))
    agreed = _moment(data.get("agreed_reply_at"), "agreed_reply_at")

    errors: dict[str, list[str]] = {}
    if not subject:
        errors["subject"] = [_("Say what the requester asked.")]
    if channel and channel not in CHANNELS:
        errors["channel"] = [_("Unknown channel.")]
    if category and category not in category_names():
        errors["category"] = [_("Unknown category.")]
    if department and department not in department_names():
        errors["department"] = [_("Unknown department.")]
    if answer and agreed is not None:
        errors["agreed_reply_at"] = [_("Answer now or agree a reply time, not both.")]
    if errors:
        raise ValidationError(_("The inquiry is not complete."), fields=errors)
    if agreed is not None:
        _check_agreed(agreed, now)

    if not (channel and (name or phone or email) and subject):  # translated only when needed
        missing = [label for label, ok in ((_("channel"), channel), (_("who asked"), name or phone or email),
                                           (_("what was asked"), subject)) if not ok]
        policy.require(LEDGER, False,
                       _("The ledger needs the channel, who asked and what was asked (missing: %(missing)s).",
                         missing=", ".join(missing)))
    if answer:
        _check_phrases(answer)

    calendar_ = calendar()
    inquiry = Inquiry(
        id=new_id(), channel=channel or None, requester_name=name or None, requester_phone=phone or None,
        requester_email=email or None, subject=subject, body=body, category=category,
        department=department, important=bool(data.get("important")), status="open",
        created_by=actor.id if actor else None, created_at=now, local_date=calendar_.local_date(now),
        escalation_level=0,
    )
    if answer:
        inquiry.status, inquiry.answered_at_once = "answered", True
        inquiry.answer, inquiry.answered_at = answer, now
    else:
        inquiry.agreed_reply_at = agreed
        inquiry.due_at = _deadline(now, agreed)
    _assign_number(inquiry)

    _event(inquiry, "created", actor, now, channel=inquiry.channel, important=inquiry.important,
           due_at=inquiry.due_at.isoformat() if inquiry.due_at else None)
    if answer:
        _event(inquiry, "answered", actor, now, body=answer, at_once=True)
    elif agreed is not None:
        _event(inquiry, "reply_time_agreed", actor, now, agreed_reply_at=agreed.isoformat())
    if inquiry.important and policy.enabled(ESCALATE):
        _escalate(inquiry, actor, now, note=None, automatic=True)
    audit.record("inquiry.created", inquiry, actor=actor,
                 details={"number": inquiry.number, "channel": inquiry.channel,
                          "important": inquiry.important, "status": inquiry.status})
    tenant_hooks().inquiry_created(inquiry=inquiry, actor=actor)
    return inquiry


# --- steps ------------------------------------------------------------------------------------


def add_reply(inquiry: Inquiry, body: str, final: bool, actor, *,
              now: datetime | None = None) -> InquiryEvent:
    """A reply to the requester; the final one answers the inquiry."""
    require_permission(actor, "inquiries.handle")
    now = _now(now)
    _lock(inquiry)
    _check_status(inquiry, "reply")
    body = _clean(body)
    if not body:
        raise ValidationError(_("The reply is empty."), fields={"body": [_("Write the reply.")]})
    _check_phrases(body)
    if final:
        inquiry.status, inquiry.answer, inquiry.answered_at = "answered", body, now
        event = _event(inquiry, "answered", actor, now, body=body, at_once=False)
    else:
        event = _event(inquiry, "replied", actor, now, body=body)
    _changed(inquiry, event, actor)
    return event


def agree_reply_time(inquiry: Inquiry, at: datetime, actor, *, now: datetime | None = None) -> InquiryEvent:
    """Record the reply time agreed with the requester; it becomes the deadline."""
    require_permission(actor, "inquiries.handle")
    now = _now(now)
    agreed = _moment(at, "agreed_reply_at")
    _lock(inquiry)
    _check_status(inquiry, "agree_reply_time")
    if agreed is None:
        raise ValidationError(_("Give the agreed reply time."),
                              fields={"agreed_reply_at": [_("Required.")]})
    _check_agreed(agreed, now)
    due = _deadline(inquiry.created_at, agreed)
    previous = inquiry.agreed_reply_at
    inquiry.agreed_reply_at, inquiry.due_at = agreed, due
    event = _event(inquiry, "reply_time_agreed", actor, now, agreed_reply_at=agreed.isoformat(),
                   previous=previous.isoformat() if previous else None)
    _changed(inquiry, event, actor)
    return event


def forward(inquiry: Inquiry, department: str | None, remark: str | None, actor, *,
            now: datetime | None = None) -> InquiryEvent:
    """Pass the inquiry to a department for its answer; the desk keeps it (归口管理)."""
    require_permission(actor, "inquiries.handle")
    now = _now(now)
    _lock(inquiry)
    _check_status(inquiry, "forward")
    department, remark = _clean(department) or None, _clean(remark)
    names = department_names()
    if department and department not in names:
        raise ValidationError(_("Unknown department."), fields={"department": [_("Unknown department.")]})
    policy.require(FORWARD, department is not None, _("Name the department the inquiry goes to."))
    params = policy.params(FORWARD)
    if params and params["remark_required"]:
        policy.require(FORWARD, bool(remark), _("Write the remark for the ledger's 备注 column."))
    inquiry.status, inquiry.department, inquiry.forward_remark = "forwarded", department, remark
    department_name = names.get(department, department or "")
    event = _event(inquiry, "forwarded", actor, now, department=department,
                   department_name=department_name or None, remark=remark or None)
    chain = escalation_chain()
    _notify_role(chain[0], "inquiry.forwarded",
                 _("Inquiry %(number)s forwarded to %(department)s",
                   number=inquiry.number, department=department_name or _("a department")),
                 f"{inquiry.subject}\n{remark}".strip(), inquiry)
    _changed(inquiry, event, actor)
    return event


def _escalate(inquiry: Inquiry, actor, now: datetime, *, note: str | None, automatic: bool) -> InquiryEvent:
    chain = escalation_chain()
    level = inquiry.escalation_level or 0
    if level >= len(chain):
        raise Conflict(_("The inquiry is already at the top of the escalation chain."))
    role = chain[level]
    inquiry.escalation_level, inquiry.important = level + 1, True
    event = _event(inquiry, "escalated", actor, now, to_role=role, level=level + 1, note=note or None,
                   automatic=automatic or None)
    title = policy.current_policy().role_titles.get(role, role)
    _notify_role(role, "inquiry.escalated",
                 _("Important inquiry %(number)s: %(subject)s", number=inquiry.number,
                   subject=inquiry.subject),
                 "\n".join(filter(None, [note, _("Passed up to %(role)s.", role=title)])), inquiry)
    return event


def escalate(inquiry: Inquiry, note: str | None, actor, *, now: datetime | None = None) -> InquiryEvent:
    """Pass the inquiry to the next role of the escalation chain (409 at the top)."""
    require_permission(actor, "inquiries.escalate")
    now = _now(now)
    _lock(inquiry)
    _check_status(inquiry, "escalate")
    event = _escalate(inquiry, actor, now, note=_clean(note) or None, automatic=False)
    _changed(inquiry, event, actor)
    return event


def refer(inquiry: Inquiry, to: str | None, contact: str | None, actor, *,
          now: datetime | None = None) -> InquiryEvent:
    """Close the question as referred: to whom (and how to reach them)."""
    require_permission(actor, "inquiries.handle")
    now = _now(now)
    _lock(inquiry)
    _check_status(inquiry, "refer")
    to, contact = _clean(to), _clean(contact)
    policy.require(REFER_OUT, bool(to), _("Say to whom the requester is referred."))
    params = policy.params(REFER_OUT)
    if params and params["contact_required"]:
        policy.require(REFER_OUT, bool(contact), _("Say how the requester reaches them."))
    inquiry.status, inquiry.referred_to, inquiry.referral_contact = "referred", to or None, contact or None
    event = _event(inquiry, "referred", actor, now, to=to or None, contact=contact or None)
    _changed(inquiry, event, actor)
    return event


def close(inquiry: Inquiry, actor, *, survey: dict | None = None,
          now: datetime | None = None) -> InquiryEvent:
    """Close the case: with its satisfaction survey (core.satisfaction_survey), and schedule
    the follow-up contact (core.follow_up) for whoever took the inquiry."""
    require_permission(actor, "inquiries.handle")
    now = _now(now)
    _lock(inquiry)
    _check_status(inquiry, "close")
    if survey:
        followups.record_survey("inquiries", inquiry.id, survey, actor)
    followups.require_survey_on_closure(inquiry)
    inquiry.status, inquiry.closed_at = "closed", now
    event = _event(inquiry, "closed", actor, now)
    followups.schedule_follow_up(inquiry, summary=f"{inquiry.number} {inquiry.subject}",
                                 assignee_id=inquiry.created_by, now=now)
    _changed(inquiry, event, actor)
    return event


def record_event(inquiry: Inquiry, kind: str, actor, text: str, *, now: datetime | None = None,
                 **details) -> InquiryEvent:
    """A plugin's step on the inquiry's timeline (``kind`` prefixed by the plugin's area, e.g.
    ``property.coordination``); ``text`` is the line the timeline and the ledger show. Audited;
    the inquiry's status is unchanged and no hook is called."""
    now = _now(now)
    event = _event(inquiry, kind, actor, now, text=text, **details)
    audit.record(f"inquiry.{kind}", inquiry, actor=actor,
                 details={"number": inquiry.number, **event.details})
    return event


def allowed_steps(inquiry: Inquiry) -> set[str]:
    """The steps the inquiry's status allows (the detail page shows only their forms)."""
    return {step for step, statuses in ALLOWED.items() if inquiry.status in statuses}


# --- the day's ledger -------------------------------------------------------------------------


def describe_event(event: InquiryEvent, departments: dict[str, str], titles: dict[str, str]) -> str:
    """One line for the timeline and the ledger's follow-up column, times on the tenant's clock."""
    d = event.details or {}
    kind = event.kind
    if kind == "created":
        return _("entered in the ledger")
    if kind in ("replied", "answered"):
        label = _("reply") if kind == "replied" else (
            _("answered at once") if d.get("at_once") else _("answered"))
        return f"{label}：{d.get('body', '')}"
    if kind == "reply_time_agreed":
        agreed = datetime.fromisoformat(d["agreed_reply_at"]) if d.get("agreed_reply_at") else None
        return _("reply time agreed: %(at)s", at=local_time(agreed))
    if kind == "forwarded":
        department = departments.get(d.get("department") or "",
                                     d.get("department_name") or d.get("department") or "")
        text = _("forwarded to %(department)s", department=department)
        return f"{text}：{d['remark']}" if d.get("remark") else text
    if kind == "escalated":
        text = _("reported to %(role)s", role=titles.get(d.get("to_role", ""), d.get("to_role", "")))
        return f"{text}：{d['note']}" if d.get("note") else text
    if kind == "referred":
        text = _("referred to %(to)s", to=d.get("to") or "")
        return f"{text}（{d['contact']}）" if d.get("contact") else text
    if kind == "closed":
        return _("closed")
    return d.get("text") or kind


def _follow_up_line(event: InquiryEvent, created_at: datetime, departments: dict[str, str],
                    titles: dict[str, str]) -> str | None:
    """The ledger's 跟进 column: what happened after the inquiry was entered."""
    if event.kind == "created" or (event.kind == "answered" and (event.details or {}).get("at_once")):
        return None
    if event.kind == "reply_time_agreed" and event.at == created_at:
        return None  # agreed while taking the inquiry: already in the agreed-time column
    return f"{local_time(event.at)[5:]} {describe_event(event, departments, titles)}"


def ledger_rows(day: date, actor, *, status: str | None = None, overdue: bool | None = None,
                q: str | None = None, now: datetime | None = None) -> list[dict]:
    """The day's ledger (《客服前台工作台帐》), in the order the inquiries came in.

    Two indexed queries, bounded by one day's inquiries: the rows with the receiver's name, and
    their timeline events for the follow-up column.
    """
    require_permission(actor, "ledger.view")
    now = _now(now)
    query = _filtered(sa.select(Inquiry, User.name).outerjoin(User, User.id == Inquiry.created_by),
                      status=status, overdue=overdue, q=q, day=day, now=now).order_by(Inquiry.seq)
    rows = db.session.execute(query).all()
    events: dict[str, list[InquiryEvent]] = defaultdict(list)
    if rows:
        day_ids = sa.select(Inquiry.id).where(Inquiry.local_date == day).scalar_subquery()
        for event in db.session.execute(
            sa.select(InquiryEvent).where(InquiryEvent.inquiry_id.in_(day_ids))
            .order_by(InquiryEvent.at, InquiryEvent.id)
        ).scalars():
            events[event.inquiry_id].append(event)
    departments, cats = department_names(), category_names()
    titles = policy.current_policy().role_titles
    items = []
    for inquiry, receiver in rows:
        follow_up = [line for line in (_follow_up_line(e, inquiry.created_at, departments, titles)
                                       for e in events.get(inquiry.id, [])) if line]
        remark = ""
        if inquiry.forward_remark is not None:
            remark = "：".join(filter(None, [departments.get(inquiry.department or "", inquiry.department),
                                             inquiry.forward_remark]))
        items.append({
            "id": inquiry.id, "number": inquiry.number, "time": inquiry.created_at,
            "channel": inquiry.channel, "channel_label": channel_label(inquiry.channel),
            "requester": inquiry.requester, "subject": inquiry.subject, "body": inquiry.body,
            "receiver": receiver, "answered_at_once": inquiry.answered_at_once,
            "answer": inquiry.answer, "agreed_reply_at": inquiry.agreed_reply_at,
            "due_at": inquiry.due_at, "follow_up": "\n".join(follow_up), "remark": remark,
            "important": inquiry.important, "status": inquiry.status,
            "status_label": status_label(inquiry.status), "overdue": inquiry.is_overdue(now),
            "category": inquiry.category, "category_name": cats.get(inquiry.category or "", ""),
            "department": inquiry.department,
        })
    return items


# --- the sweep --------------------------------------------------------------------------------


def notify_overdue(tenant, now: datetime, batch: int = 200) -> int:
    """Sweep job: tell the desk user who took an overdue inquiry, and the first role of the
    escalation chain, once per deadline (the dedupe key is the inquiry and its due_at; the row
    remembers which due_at was notified, so the query selects only new cases)."""
    now = _now(now)
    chain = escalation_chain()
    supervisors = notifications.users_with_role(chain[0])
    count = 0
    with force_locale(tenant.locale or "zh_CN"):
        while True:
            due = db.session.execute(
                sa.select(Inquiry).where(
                    Inquiry.overdue_at(now),
                    sa.or_(Inquiry.overdue_notified_due_at.is_(None),
                           Inquiry.overdue_notified_due_at != Inquiry.due_at))
                .order_by(Inquiry.due_at, Inquiry.id).limit(batch)
            ).scalars().all()
            if not due:
                return count
            creator_ids = {i.created_by for i in due if i.created_by}
            creators = {u.id: u for u in db.session.execute(
                sa.select(User).where(User.id.in_(creator_ids), User.active.is_(True))).scalars()}
            for inquiry in due:
                recipients = list(supervisors)
                if inquiry.created_by in creators:
                    recipients.append(creators[inquiry.created_by])
                notifications.notify(
                    recipients, "inquiry.overdue",
                    _("Inquiry %(number)s is overdue", number=inquiry.number),
                    _("%(subject)s — the reply was due by %(due)s.", subject=inquiry.subject,
                      due=inquiry.due_at.astimezone(calendar().zone).strftime("%Y-%m-%d %H:%M")),
                    obj=inquiry, url=f"/t/{tenant.slug}/inquiries/{inquiry.id}",
                    dedupe_key=f"inquiry-overdue:{inquiry.id}:{inquiry.due_at.isoformat()}")
                inquiry.overdue_notified_due_at = inquiry.due_at
                count += 1
            db.session.flush()

