"""Suggestions and appeals: the one place the core.complaint.* rules are enforced.

Every step is a function here, called alike by the API, the pages, the demo and the tests:
it checks the actor, the kind and the status (409 when the case is not at that step), enforces
the tenant's rules (422 rule_violation), changes the row, puts the step on the timeline,
writes the audit event, calls the plugins' hook and flushes. ``now`` is a parameter so that
deadlines in working days can be tested on fixed dates.

Who may read a case (core.complaint.confidential, S3 §55, §62(四)): its named handler, its
lead and administrators. Other holders of complaints.view see a redacted row in lists and get
403 (not 404: within one organisation the number is not secret, the details are) on the
details. With ``hide_complainant`` the person complained about never sees who complained.
Every read of the details is audited.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from core import audit, policy
from core.calendar import calendar_for
from core.complaints.labels import (
    FIELD_LABELS,
    KIND_LABELS,
    SPOT_NOTE_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    label,
)
from core.complaints.models import (
    APPEAL_OUTCOMES,
    KINDS,
    SATISFACTION,
    SUGGESTION_OUTCOMES,
    Complaint,
    ComplaintStep,
)
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.extensions import db
from core.identity.models import User
from core.identity.permissions import has_permission, require_permission
from core.notifications.service import notify, users_with_role
from core.pagination import page
from core.tenancy import current_tenant, utcnow

KIND = "core.complaint.kind"
REGISTER = "core.complaint.register"
RESPOND = "core.complaint.respond_within"
SUGGESTION_REPLY = "core.complaint.suggestion_reply"
FOLLOW_UP = "core.complaint.follow_up_visit"
UPHELD = "core.complaint.upheld_correction"
CONFIDENTIAL = "core.complaint.confidential"
HQ = "core.complaint.escalate_hq"
REPEAT = "core.complaint.repeat"

# Outcomes that mean the appeal is true (属实), wholly or in part: S3 §62(三) applies to both
UPHELD_OUTCOMES = ("upheld", "partly")
REGISTER_FIELDS = ("name", "phone", "channel", "demand")
SPOT_NOTES = ("opinion", "reason", "proposal", "contact")


# --- small helpers ---------------------------------------------------------------------------


def _clean(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def normalise_subject(text: str | None) -> str | None:
    """Who or what a complaint is about, compared case-insensitively and trimmed."""
    if not text:
        return None
    return " ".join(text.split()).casefold()[:200] or None


def normalise_phone(phone: str | None) -> str | None:
    phone = _clean(phone)
    return re.sub(r"[\s\-()（）]", "", phone) or None if phone else None


def _calendar():
    return calendar_for(current_tenant())


def _rule_defaults(rule_id: str) -> dict:
    return dict(policy.registry().get(rule_id).defaults)


def lead_role() -> str:
    """The role of "the lead" (项目负责人): respond_within's lead_role, manager by default."""
    params = policy.params(RESPOND) or _rule_defaults(RESPOND)
    return params.get("lead_role") or "manager"


def case_url(complaint: Complaint) -> str:
    return f"/t/{current_tenant().slug}/complaints/{complaint.id}"


def _deadline(value) -> datetime | None:
    """A deadline given as a day means the end of that day in the tenant's zone."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(_("Give the time with its offset."))
        return value.astimezone(UTC)
    if isinstance(value, date):
        return _calendar().end_of_day(value)
    raise ValidationError(_("Not a date."))


def _users(ids) -> dict[str, User]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User).where(User.id.in_(ids))).scalars()
    return {u.id: u for u in rows}


def _user(user_id: str | None) -> User | None:
    return _users([user_id]).get(user_id) if user_id else None


# --- who may see and do what -----------------------------------------------------------------


def is_admin(actor) -> bool:
    return actor is not None and "admin" in getattr(actor, "roles", ())


def is_lead(complaint: Complaint, actor) -> bool:
    """The case's named lead; with none named, whoever holds the lead role or may approve."""
    if actor is None:
        return False
    if complaint.lead_id:
        return actor.id == complaint.lead_id
    return lead_role() in actor.roles or has_permission(actor, "complaints.approve")


def is_party(complaint: Complaint, actor) -> bool:
    """The named handler, the lead, or an administrator."""
    return actor is not None and (is_admin(actor) or actor.id == complaint.handler_id
                                  or is_lead(complaint, actor))


def can_see_details(complaint: Complaint, actor) -> bool:
    if not has_permission(actor, "complaints.view"):
        return False
    if not policy.enabled(CONFIDENTIAL):
        return True
    return is_party(complaint, actor)


def hides_complainant(complaint: Complaint, actor) -> bool:
    """The person complained about (a user whose name is the case's subject) never sees who."""
    params = policy.params(CONFIDENTIAL)
    if not params or not params.get("hide_complainant") or actor is None:
        return False
    return complaint.subject_key is not None and normalise_subject(actor.name) == complaint.subject_key


def _require_party(complaint: Complaint, actor, permission: str = "complaints.handle") -> None:
    require_permission(actor, permission)
    if not is_party(complaint, actor):
        raise Forbidden(_("Only the named handler, the lead or an administrator may act on this case."))


def _require_kind(complaint: Complaint, kind: str, step: str) -> None:
    if complaint.kind != kind:
        raise Conflict(_("The step “%(step)s” applies to %(kind)s only.",
                         step=label(STEP_LABELS, step), kind=label(KIND_LABELS, kind)))


def _require_open(complaint: Complaint) -> None:
    if complaint.status == "closed":
        raise Conflict(_("Case %(number)s is closed and archived; it can no longer change.",
                         number=complaint.number))


def _require_status(complaint: Complaint, step: str, allowed) -> None:
    _require_open(complaint)
    if complaint.status not in allowed:
        raise Conflict(_("The step “%(step)s” is not possible while the case is “%(status)s”.",
                         step=label(STEP_LABELS, step), status=label(STATUS_LABELS, complaint.status)))


def allowed_steps(complaint: Complaint, actor) -> list[str]:
    """The steps the actor can take on the case now (what the page offers)."""
    if complaint.status == "closed" or not is_party(complaint, actor) \
            or not has_permission(actor, "complaints.handle"):
        return []
    status, appeal = complaint.status, complaint.is_appeal
    before_approval = not policy.enabled(RESPOND)  # approval may be skipped
    steps = []
    if status == "registered":
        steps.append("acknowledge")
    if appeal:
        if status in ("acknowledged", "investigated"):
            steps.append("findings")
        if status == "investigated" and (is_admin(actor) or is_lead(complaint, actor)):
            steps.append("approve")
        ready = status in ("approved",) or (status == "investigated" and before_approval)
        if ready:
            steps.append("resolve")
        must_resolve = (complaint.outcome or complaint.proposed_outcome) in UPHELD_OUTCOMES \
            and policy.enabled(UPHELD)
        if (ready and not must_resolve) or status == "resolved":
            steps.append("reply")
        if status == "replied" or (status == "escalated" and not complaint.hq_outcome):
            steps.append("escalate")
        if status == "replied" or (status == "escalated" and complaint.hq_outcome):
            steps.append("close")
    else:
        if status == "acknowledged":
            steps.append("resolve")
        if status == "resolved":
            steps.append("reply")
        if status == "replied":
            steps.append("follow_up")
        if status == "followed_up" or (status == "replied" and not policy.enabled(FOLLOW_UP)):
            steps.append("close")
    return steps


# --- the timeline, audit and hooks -------------------------------------------------------------


def _record_step(complaint: Complaint, step: str, actor, now: datetime, details: dict | None = None):
    from core.plugin_system.manager import tenant_hooks

    details = details or {}
    db.session.add(ComplaintStep(complaint_id=complaint.id, step=step,
                                 actor_id=actor.id if actor else None,
                                 actor_name=actor.name if actor else "", at=now, details=details))
    db.session.flush()
    # The audit trail is read by others than the case's parties: no details of the case in it
    audit.record(f"complaint.{step}", complaint, actor=actor,
                 details={"number": complaint.number, "kind": complaint.kind,
                          "status": complaint.status,
                          **{k: v for k, v in details.items() if k in ("late", "due_at")}})
    if step == "register":
        tenant_hooks().complaint_registered(complaint=complaint, actor=actor)
    else:
        tenant_hooks().complaint_changed(complaint=complaint, step=step, actor=actor)


def timeline(complaint: Complaint) -> list[ComplaintStep]:
    return list(db.session.execute(
        sa.select(ComplaintStep).where(ComplaintStep.complaint_id == complaint.id)
        .order_by(ComplaintStep.at, ComplaintStep.id)
    ).scalars())


def lead_recipients(complaint: Complaint) -> list[User]:
    lead = _user(complaint.lead_id)
    if lead is not None and lead.active:
        return [lead]
    return users_with_role(lead_role()) or users_with_role("admin")


def _handler_recipients(complaint: Complaint) -> list[User]:
    handler = _user(complaint.handler_id)
    return [handler] if handler is not None and handler.active else lead_recipients(complaint)


# --- registration ------------------------------------------------------------------------------


def _pick_handler(handler_id: str | None, actor) -> User:
    if handler_id is None:
        if not has_permission(actor, "complaints.handle"):
            raise ValidationError(_("Name the handler of this case."),
                                  fields={"handler_id": [_("Required.")]})
        return actor
    handler = _user(handler_id)
    if handler is None or not handler.active or not has_permission(handler, "complaints.handle"):
        raise ValidationError(_("The handler must be an active staff member who handles complaints."),
                              fields={"handler_id": [_("Not a handler of complaints.")]})
    return handler


def _pick_lead(lead_id: str | None) -> User | None:
    role = lead_role()
    if lead_id is None:
        candidates = users_with_role(role)
        return candidates[0] if candidates else None
    lead = _user(lead_id)
    if lead is None or not lead.active or not (role in lead.roles or is_admin(lead)):
        raise ValidationError(_("The lead must be an active staff member with the lead's role."),
                              fields={"lead_id": [_("Not a lead.")]})
    return lead


def _assign_number(complaint: Complaint, now: datetime) -> None:
    """SS-20261008-001 (申诉) or YJ-20261008-001 (意见建议): the kind, the local day, a count."""
    zone = _calendar().zone
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(Complaint)
        .where(Complaint.created_at >= start, Complaint.created_at < start + timedelta(days=1),
               Complaint.kind == complaint.kind)
    ).scalar_one()
    prefix = "SS" if complaint.is_appeal else "YJ"
    for attempt in range(50):  # two desks at once: the unique number decides, the next one retries
        complaint.number = f"{prefix}-{day:%Y%m%d}-{count + 1 + attempt:03d}"
        try:
            with db.session.begin_nested():
                db.session.add(complaint)
                db.session.flush()
            return
        except sa.exc.IntegrityError:
            continue
    raise Conflict(_("Could not number the case; try again."))


def register(data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """Record a suggestion or appeal at once (S3 §57, §60(一), §62(一)); name handler and deadline."""
    require_permission(actor, "complaints.register")
    now = now or utcnow()
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValidationError(_("Choose suggestion or appeal."), fields={"kind": [_("Required.")]})
    values = {key: _clean(data.get(key)) for key in
              ("name", "phone", "channel", "content", "demand", "about", "category")}
    values["phone"] = normalise_phone(values["phone"])
    if not values["content"]:
        raise ValidationError(_("Write down what the person said."),
                              fields={"content": [_("Required.")]})
    missing = [key for key in REGISTER_FIELDS if not values[key]]
    policy.require(REGISTER, not missing,
                   _("The form records the person's name, phone, channel and demand; missing: %(fields)s.",
                     fields="、".join(label(FIELD_LABELS, key) for key in missing)))
    channels = (policy.params(KIND) or {}).get("channels")
    if channels is not None and values["channel"]:
        policy.require(KIND, values["channel"] in channels,
                       _("“%(channel)s” is not one of this organisation's channels (%(channels)s).",
                         channel=values["channel"], channels=", ".join(channels)))
    handler = _pick_handler(_clean(data.get("handler_id")), actor)
    lead = _pick_lead(_clean(data.get("lead_id")))
    deadline_rule = policy.params(RESPOND if kind == "appeal" else SUGGESTION_REPLY)
    due_at = _calendar().due_after(now, deadline_rule["working_days"]) if deadline_rule else None
    complaint = Complaint(kind=kind, status="registered", **values,
                          subject_key=normalise_subject(values["about"]), handler_id=handler.id,
                          lead_id=lead.id if lead else None, due_at=due_at, created_by_id=actor.id,
                          created_at=now)
    _assign_number(complaint, now)
    _check_repeat(complaint, now)
    _record_step(complaint, "register", actor, now,
                 {"handler": handler.name, "lead": lead.name if lead else None,
                  "due_at": due_at.isoformat() if due_at else None,
                  "repeat_of": complaint.repeat_of_id})
    _tell_at_registration(complaint, handler, actor)
    return complaint


def _tell_at_registration(complaint: Complaint, handler: User, actor) -> None:
    what = label(KIND_LABELS, complaint.kind)
    # Appeals: reported to the lead at once (S3 §62(二)); suggestions: the lead is informed (§60(二))
    if policy.enabled(RESPOND if complaint.is_appeal else SUGGESTION_REPLY):
        notify(lead_recipients(complaint), f"complaint.{complaint.kind}_registered",
               _("New %(kind)s %(number)s, handled by %(handler)s",
                 kind=what, number=complaint.number, handler=handler.name),
               obj=complaint, url=case_url(complaint), dedupe_key=f"complaint:{complaint.id}:lead")
    if actor is None or handler.id != actor.id:
        notify([handler], "complaint.assigned",
               _("You handle %(kind)s %(number)s", kind=what, number=complaint.number),
               obj=complaint, url=case_url(complaint), dedupe_key=f"complaint:{complaint.id}:handler")


# --- core.complaint.repeat ---------------------------------------------------------------------


def _same_subject(complaint: Complaint):
    conditions = []
    if complaint.subject_key:
        conditions.append(Complaint.subject_key == complaint.subject_key)
    if complaint.phone and complaint.category:
        conditions.append(sa.and_(Complaint.phone == complaint.phone,
                                  Complaint.category == complaint.category))
    return sa.or_(*conditions) if conditions else None


def _check_repeat(complaint: Complaint, now: datetime) -> None:
    """Flag a complaint on the same subject within the window (S4 热水 四1)."""
    params = policy.params(REPEAT)
    if not params:
        return
    same = _same_subject(complaint)
    if same is None:
        return
    earlier = sa.select(Complaint).where(
        same, Complaint.id != complaint.id, Complaint.created_at <= now,
        Complaint.created_at >= now - timedelta(days=params["window_days"]))
    latest = db.session.execute(
        earlier.order_by(Complaint.created_at.desc(), Complaint.id.desc()).limit(1)).scalar_one_or_none()
    if latest is None:
        return
    complaint.flagged_repeat, complaint.repeat_of_id = True, latest.id
    derelict = db.session.execute(
        earlier.where(Complaint.dereliction.is_(True)).order_by(Complaint.created_at.desc()).limit(1)
    ).scalar_one_or_none()
    if derelict is not None:
        _report_dereliction(complaint, derelict, params)


def _report_dereliction(complaint: Complaint, cause: Complaint, params: dict) -> None:
    """A repeat caused by a department's failure (失职) goes to report_to_role (the GM)."""
    notify(users_with_role(params["report_to_role"]), "complaint.repeat_dereliction",
           _("Repeat complaint %(number)s: the earlier case %(earlier)s was a failure of duty",
             number=complaint.number, earlier=cause.number),
           obj=complaint, url=case_url(complaint), dedupe_key=f"complaint:{complaint.id}:repeat_report")


# --- the steps ---------------------------------------------------------------------------------


def find(complaint_id: str) -> Complaint:
    complaint = db.session.execute(
        sa.select(Complaint).where(Complaint.id == complaint_id)).scalar_one_or_none()
    if complaint is None:
        raise NotFound(_("No such suggestion or appeal."))
    return complaint


def acknowledge(complaint: Complaint, actor, *, now: datetime | None = None) -> Complaint:
    """The handler accepts the case."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_status(complaint, "acknowledge", ("registered",))
    complaint.status, complaint.acknowledged_at = "acknowledged", now
    _record_step(complaint, "acknowledge", actor, now)
    return complaint


def record_findings(complaint: Complaint, data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """Appeals: the investigation and the handling opinion, due within N working days (S3 §62(二))."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_kind(complaint, "appeal", "findings")
    _require_status(complaint, "findings", ("acknowledged", "investigated"))
    findings = _clean(data.get("findings"))
    if not findings:
        raise ValidationError(_("Write down what the investigation found and the handling opinion."),
                              fields={"findings": [_("Required.")]})
    outcome = data.get("outcome")
    if outcome is not None and outcome not in APPEAL_OUTCOMES:
        raise ValidationError(_("Unknown outcome."), fields={"outcome": [_("Unknown outcome.")]})
    complaint.findings, complaint.proposed_outcome = findings, outcome
    complaint.dereliction = bool(data.get("dereliction"))
    complaint.findings_at, complaint.status = now, "investigated"
    late = complaint.due_at is not None and now > complaint.due_at
    _record_step(complaint, "findings", actor, now,
                 {"late": late, "outcome": outcome, "dereliction": complaint.dereliction})
    repeat = policy.params(REPEAT)
    if repeat and complaint.dereliction and complaint.flagged_repeat:
        _report_dereliction(complaint, complaint, repeat)
    return complaint


def approve(complaint: Complaint, data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """Appeals: the lead approves the handling opinion and the outcome (S3 §62(二))."""
    now = now or utcnow()
    require_permission(actor, "complaints.view")
    if not (is_admin(actor) or is_lead(complaint, actor)):
        raise Forbidden(_("Only the lead of this case (or an administrator) approves its handling."))
    _require_kind(complaint, "appeal", "approve")
    _require_status(complaint, "approve", ("investigated",))
    outcome = data.get("outcome") or complaint.proposed_outcome
    if outcome not in APPEAL_OUTCOMES:
        raise ValidationError(_("Say whether the appeal is upheld."),
                              fields={"outcome": [_("Choose an outcome.")]})
    complaint.outcome = outcome
    complaint.approved_by_id, complaint.approved_at = actor.id, now
    complaint.approval_note = _clean(data.get("note"))
    complaint.status = "approved"
    _record_step(complaint, "approve", actor, now, {"outcome": outcome})
    return complaint


def _refuse_before_approval(complaint: Complaint, what: str) -> None:
    """Appeals: nothing goes out before the lead approved the handling opinion."""
    if complaint.status in ("registered", "acknowledged", "investigated"):
        policy.require(RESPOND, False, _(
            "The lead must approve the handling opinion of %(number)s before %(what)s.",
            number=complaint.number, what=what))


def resolve(complaint: Complaint, data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """Appeals: sanction and correction when upheld (S3 §62(三)). Suggestions: the agreed action."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_open(complaint)
    if complaint.is_appeal:
        _resolve_appeal(complaint, data)
    else:
        _resolve_suggestion(complaint, data, now)
    complaint.resolved_at, complaint.status = now, "resolved"
    _record_step(complaint, "resolve", actor, now, {
        "outcome": complaint.outcome,
        "corrective_due_at": complaint.corrective_due_at.isoformat() if complaint.corrective_due_at else None,
        "follow_up_due_at": complaint.follow_up_due_at.isoformat() if complaint.follow_up_due_at else None,
        "on_the_spot": complaint.on_the_spot})
    return complaint


def _resolve_appeal(complaint: Complaint, data: dict) -> None:
    _refuse_before_approval(complaint, _("the case is resolved"))
    _require_status(complaint, "resolve", ("approved", "investigated"))
    if complaint.status == "investigated":  # the lead's approval is not required by this tenant
        complaint.outcome = complaint.outcome or complaint.proposed_outcome
    sanction = _clean(data.get("sanction"))
    corrective_action = _clean(data.get("corrective_action"))
    corrective_due_at = _deadline(data.get("corrective_due_at"))
    if complaint.outcome in UPHELD_OUTCOMES:
        missing = [name for name, value in ((_("sanction"), sanction),
                                            (_("corrective action"), corrective_action),
                                            (_("deadline for the correction"), corrective_due_at))
                   if not value]
        policy.require(UPHELD, not missing, _(
            "An upheld appeal records the sanction on the person complained about and a corrective "
            "action with its deadline; missing: %(fields)s.", fields="、".join(missing)))
    if (corrective_action is None) != (corrective_due_at is None) and policy.enabled(UPHELD):
        raise ValidationError(_("A corrective action needs a deadline, and a deadline an action."),
                              fields={"corrective_due_at": [_("Give both or neither.")]})
    complaint.sanction, complaint.corrective_action = sanction, corrective_action
    complaint.corrective_due_at = corrective_due_at
    complaint.resolution = _clean(data.get("resolution"))


def _resolve_suggestion(complaint: Complaint, data: dict, now: datetime) -> None:
    _require_status(complaint, "resolve", ("acknowledged",))
    action = _clean(data.get("agreed_action")) or _clean(data.get("resolution"))
    if not action:
        raise ValidationError(_("Write down the agreed action or the way forward."),
                              fields={"agreed_action": [_("Required.")]})
    outcome = data.get("outcome") or "adopted"
    if outcome not in SUGGESTION_OUTCOMES:
        raise ValidationError(_("Unknown outcome."), fields={"outcome": [_("Unknown outcome.")]})
    on_the_spot = bool(data.get("on_the_spot"))
    notes = {key: _clean(data.get(key)) for key in SPOT_NOTES}
    if on_the_spot:  # S3 §60(二)1: the talk with the person is written down
        missing = [key for key in SPOT_NOTES if not notes[key]]
        policy.require(SUGGESTION_REPLY, not missing, _(
            "Settled on the spot: write down the person's opinion, the reason, the proposal and how "
            "to contact them; missing: %(fields)s.",
            fields="、".join(label(SPOT_NOTE_LABELS, key) for key in missing)))
    implemented_at = _deadline(data.get("implemented_at"))
    if implemented_at is None and on_the_spot:
        implemented_at = now  # adopted, and the staff told to implement it, there and then
    complaint.resolution, complaint.outcome, complaint.on_the_spot = action, outcome, on_the_spot
    complaint.spot_notes = {k: v for k, v in notes.items() if v} or None
    complaint.implemented_at = implemented_at
    visit = policy.params(FOLLOW_UP)
    if visit:
        # On the spot: the visit is 3 WD after implementation; otherwise within 3 WD of it
        complaint.follow_up_due_at = _calendar().due_after(implemented_at or now, visit["working_days"])


def reply(complaint: Complaint, data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """The result goes to the person: appeals only after the lead's approval (S3 §62(二), (七))."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_open(complaint)
    text = _clean(data.get("result_text"))
    if complaint.is_appeal:
        _refuse_before_approval(complaint, _("the result goes out"))
        _require_status(complaint, "reply", ("investigated", "approved", "resolved"))
        if complaint.status == "investigated":
            complaint.outcome = complaint.outcome or complaint.proposed_outcome
        policy.require(UPHELD, complaint.outcome not in UPHELD_OUTCOMES or complaint.status == "resolved",
                       _("Record the sanction and the corrective action before the result goes out."))
    else:
        _require_status(complaint, "reply", ("resolved",))
    if not text:
        raise ValidationError(_("Write the result told to the person."),
                              fields={"result_text": [_("Required.")]})
    if complaint.is_appeal:
        hq = policy.params(HQ)
        if hq is not None:
            phone = (hq.get("hq_phone") or "").strip()
            policy.require(HQ, bool(phone), _(
                "The headquarters complaint phone is not set, and every result must carry it: an "
                "administrator sets hq_phone of core.complaint.escalate_hq in the policy."))
            text += "\n" + _("If you are not satisfied with this result, you may complain to "
                             "headquarters: %(phone)s", phone=phone)
    complaint.result_text, complaint.result_sent_at, complaint.status = text, now, "replied"
    late = complaint.due_at is not None and now > complaint.due_at
    _record_step(complaint, "reply", actor, now, {"late": late})
    return complaint


def follow_up(complaint: Complaint, data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """Suggestions: a return visit tells what was done and thanks the person (S3 §60(二), (三))."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_kind(complaint, "suggestion", "follow_up")
    _require_status(complaint, "follow_up", ("replied",))
    notes = _clean(data.get("notes"))
    if not notes:
        raise ValidationError(_("Write down what the person was told was done."),
                              fields={"notes": [_("Required.")]})
    visit = policy.params(FOLLOW_UP)
    thanked = data.get("thanked", True)
    policy.require(FOLLOW_UP, thanked is not False,
                   _("The return visit thanks the person for the suggestion."))
    satisfaction = data.get("satisfaction")
    if satisfaction is not None:
        if not (visit and visit.get("satisfaction_question")):
            raise ValidationError(_("This organisation's return visit asks no satisfaction question."),
                                  fields={"satisfaction": [_("Not asked.")]})
        if satisfaction not in SATISFACTION:
            raise ValidationError(_("Unknown answer."), fields={"satisfaction": [_("Unknown answer.")]})
    complaint.follow_up_notes, complaint.satisfaction = notes, satisfaction
    complaint.follow_up_done_at, complaint.status = now, "followed_up"
    late = complaint.follow_up_due_at is not None and now > complaint.follow_up_due_at
    _record_step(complaint, "follow_up", actor, now, {"late": late, "thanked": thanked is not False})
    return complaint


def escalate(complaint: Complaint, data: dict, actor, *, now: datetime | None = None) -> Complaint:
    """Appeals: the person took it to headquarters (S3 §62(七)); then headquarters' outcome."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_kind(complaint, "appeal", "escalate")
    _require_status(complaint, "escalate", ("replied", "escalated"))
    escalation, outcome = _clean(data.get("escalation")), _clean(data.get("outcome"))
    if complaint.status == "escalated":
        if complaint.hq_outcome:
            raise Conflict(_("Headquarters' outcome is already recorded."))
        if not outcome:
            raise ValidationError(_("Write down headquarters' outcome."),
                                  fields={"outcome": [_("Required.")]})
    elif not escalation:
        raise ValidationError(_("Write down what was taken to headquarters."),
                              fields={"escalation": [_("Required.")]})
    if escalation and complaint.status == "replied":
        complaint.hq_escalation, complaint.hq_escalated_at = escalation, now
    if outcome:
        complaint.hq_outcome = outcome
    complaint.status = "escalated"
    _record_step(complaint, "escalate", actor, now, {"outcome_recorded": bool(complaint.hq_outcome)})
    return complaint


def close(complaint: Complaint, actor, *, now: datetime | None = None) -> Complaint:
    """Close and archive the case as a report (S3 §62(三), §60(三)); read-only afterwards."""
    now = now or utcnow()
    _require_party(complaint, actor)
    _require_open(complaint)
    if complaint.is_appeal:
        _require_status(complaint, "close", ("replied", "escalated"))
        if complaint.status == "escalated" and not complaint.hq_outcome:
            raise Conflict(_("Record headquarters' outcome before closing."))
    else:
        if complaint.status == "replied":
            policy.require(FOLLOW_UP, False, _("A suggestion is closed after the return visit."))
        _require_status(complaint, "close", ("replied", "followed_up"))
    complaint.status, complaint.archived_at = "closed", now
    _record_step(complaint, "close", actor, now)
    return complaint


# --- reading -----------------------------------------------------------------------------------


def _overdue_clause(now: datetime):
    return sa.and_(Complaint.due_at.is_not(None), Complaint.due_at < now,
                   Complaint.result_sent_at.is_(None), Complaint.status != "closed")


def _ref(user: User | None) -> dict | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def _flags(complaint: Complaint, now: datetime) -> dict:
    return {"id": complaint.id, "number": complaint.number, "kind": complaint.kind,
            "status": complaint.status, "due_at": complaint.due_at,
            "overdue": complaint.overdue_at(now), "late": complaint.late,
            "flagged_repeat": complaint.flagged_repeat, "repeat_of_id": complaint.repeat_of_id,
            "created_at": complaint.created_at, "archived_at": complaint.archived_at}


def list_complaints(actor, *, kind: str | None = None, status: str | None = None,
                    overdue: bool | None = None, repeat: bool | None = None, limit: int = 50,
                    cursor: str | None = None, now: datetime | None = None):
    """One page of cases, newest first: full rows for their parties, redacted rows for others."""
    require_permission(actor, "complaints.view")
    now = now or utcnow()
    query = sa.select(Complaint)
    if kind:
        query = query.where(Complaint.kind == kind)
    if status:
        query = query.where(Complaint.status == status)
    if overdue is not None:
        clause = _overdue_clause(now)
        query = query.where(clause if overdue else sa.not_(clause))
    if repeat is not None:
        query = query.where(Complaint.flagged_repeat.is_(repeat))
    items, next_cursor = page(query, Complaint, limit=limit, cursor=cursor)
    handlers = _users(c.handler_id for c in items)
    rows, shown = [], []
    for complaint in items:
        row = _flags(complaint, now)
        if can_see_details(complaint, actor):
            hidden = hides_complainant(complaint, actor)
            row.update(redacted=False, complainant_hidden=hidden, channel=complaint.channel,
                       name=None if hidden else complaint.name, about=complaint.about,
                       category=complaint.category, summary=complaint.content[:60],
                       handler=_ref(handlers.get(complaint.handler_id)))
            shown.append(complaint.id)
        else:
            row["redacted"] = True
        rows.append(row)
    if shown:
        audit.record("complaints.listed", actor=actor, object_type="complaints",
                     details={"ids": shown})
    return rows, next_cursor


def detail(complaint: Complaint, actor, *, now: datetime | None = None, audited: bool = True) -> dict:
    """Everything about a case, for its handler, lead and administrators; every read audited."""
    require_permission(actor, "complaints.view")
    if not can_see_details(complaint, actor):
        raise Forbidden(_("The details of %(number)s are confidential: only its handler, the lead and "
                          "administrators may read them.", number=complaint.number))
    now = now or utcnow()
    if audited:
        audit.record("complaint.viewed", complaint, actor=actor, details={"number": complaint.number})
    users = _users([complaint.handler_id, complaint.lead_id, complaint.approved_by_id,
                    complaint.created_by_id])
    hidden = hides_complainant(complaint, actor)
    steps = timeline(complaint)
    return {
        **_flags(complaint, now),
        "redacted": False, "complainant_hidden": hidden,
        "name": None if hidden else complaint.name, "phone": None if hidden else complaint.phone,
        "channel": complaint.channel, "content": complaint.content, "demand": complaint.demand,
        "about": complaint.about, "category": complaint.category,
        "handler": _ref(users.get(complaint.handler_id)), "lead": _ref(users.get(complaint.lead_id)),
        "created_by": _ref(users.get(complaint.created_by_id)),
        "acknowledged_at": complaint.acknowledged_at,
        "findings": complaint.findings, "dereliction": complaint.dereliction,
        "findings_at": complaint.findings_at, "proposed_outcome": complaint.proposed_outcome,
        "approved_by": _ref(users.get(complaint.approved_by_id)), "approved_at": complaint.approved_at,
        "approval_note": complaint.approval_note, "outcome": complaint.outcome,
        "resolution": complaint.resolution, "on_the_spot": complaint.on_the_spot,
        "spot_notes": complaint.spot_notes or {}, "implemented_at": complaint.implemented_at,
        "sanction": complaint.sanction, "corrective_action": complaint.corrective_action,
        "corrective_due_at": complaint.corrective_due_at, "resolved_at": complaint.resolved_at,
        "result_text": complaint.result_text, "result_sent_at": complaint.result_sent_at,
        "hq_escalation": complaint.hq_escalation, "hq_escalated_at": complaint.hq_escalated_at,
        "hq_outcome": complaint.hq_outcome, "follow_up_due_at": complaint.follow_up_due_at,
        "follow_up_done_at": complaint.follow_up_done_at, "follow_up_notes": complaint.follow_up_notes,
        "satisfaction": complaint.satisfaction,
        "allowed_steps": allowed_steps(complaint, actor),
        "timeline": [{"step": s.step, "actor": {"id": s.actor_id, "name": s.actor_name},
                      "at": s.at, "details": s.details or {}} for s in steps],
    }


def acknowledgment(complaint: Complaint, actor) -> dict:
    """What the person is told at registration: number, handler and deadline (S3 §57(一)).

    Readable by the case's parties and by whoever registered it (to hand it over).
    """
    require_permission(actor, "complaints.view")
    if not (can_see_details(complaint, actor) or actor.id == complaint.created_by_id):
        raise Forbidden(_("Only the handler, the lead, administrators and whoever registered the "
                          "case may print its acknowledgment."))
    handler = _user(complaint.handler_id)
    return {"id": complaint.id, "number": complaint.number, "kind": complaint.kind,
            "name": None if hides_complainant(complaint, actor) else complaint.name,
            "channel": complaint.channel,
            "created_at": complaint.created_at, "handler": _ref(handler), "due_at": complaint.due_at}


def counts(actor, *, now: datetime | None = None) -> dict:
    """Open, overdue and repeat counts for the list header (one SQL query)."""
    now = now or utcnow()
    open_ = Complaint.status != "closed"
    row = db.session.execute(sa.select(
        sa.func.count().filter(open_),
        sa.func.count().filter(_overdue_clause(now)),
        sa.func.count().filter(sa.and_(open_, Complaint.flagged_repeat.is_(True))),
    ).select_from(Complaint)).one()
    return {"open": row[0], "overdue": row[1], "repeat": row[2]}


# --- sweeps ------------------------------------------------------------------------------------


def _tell_once(where, order, stamp: str, recipients, kind: str, title, key: str, now: datetime) -> int:
    """Notify about each due case once: ``stamp`` (a timestamp column) marks it as told."""
    due = db.session.execute(sa.select(Complaint).where(
        *where, getattr(Complaint, stamp).is_(None)).order_by(order).limit(500)).scalars().all()
    for complaint in due:
        notify(recipients(complaint), kind, title(complaint), obj=complaint, url=case_url(complaint),
               dedupe_key=f"complaint:{complaint.id}:{key}")
        setattr(complaint, stamp, now)
    db.session.flush()
    return len(due)


def flag_overdue_appeals(tenant, now: datetime) -> int:
    """Appeals past their deadline without findings are flagged to the lead, once."""
    params = policy.params(RESPOND)
    if not params or not params.get("flag_overdue"):
        return 0
    return _tell_once(
        [Complaint.kind == "appeal", Complaint.due_at < now, Complaint.findings_at.is_(None),
         Complaint.status != "closed"], Complaint.due_at, "overdue_flagged_at", lead_recipients,
        "complaint.appeal_overdue",
        lambda c: _("Appeal %(number)s is overdue: no findings by the deadline", number=c.number),
        "overdue", now)


def remind_overdue_suggestions(tenant, now: datetime) -> int:
    """Suggestions past their reply deadline: the handler is told, once."""
    if not policy.enabled(SUGGESTION_REPLY):
        return 0
    return _tell_once(
        [Complaint.kind == "suggestion", _overdue_clause(now)], Complaint.due_at, "overdue_flagged_at",
        _handler_recipients, "complaint.suggestion_overdue",
        lambda c: _("Suggestion %(number)s is past its reply deadline", number=c.number), "overdue", now)


def flag_corrective_deadlines(tenant, now: datetime) -> int:
    """Corrective actions past their deadline go to the lead, who monitors them (S3 §62(三))."""
    if not policy.enabled(UPHELD):
        return 0
    return _tell_once(
        [Complaint.corrective_due_at < now], Complaint.corrective_due_at, "corrective_flagged_at",
        lead_recipients, "complaint.corrective_due",
        lambda c: _("Check the correction of %(number)s: its deadline has passed", number=c.number),
        "corrective", now)


def remind_follow_ups(tenant, now: datetime) -> int:
    """Return visits whose day has come: the handler is reminded, once."""
    if not policy.enabled(FOLLOW_UP):
        return 0
    # due on the day of follow_up_due_at (stored as the end of that day): remind from its start
    return _tell_once(
        [Complaint.follow_up_due_at <= now + timedelta(days=1), Complaint.follow_up_done_at.is_(None),
         Complaint.status != "closed"], Complaint.follow_up_due_at, "follow_up_reminded_at",
        _handler_recipients, "complaint.follow_up_due",
        lambda c: _("Return visit for suggestion %(number)s is due", number=c.number), "follow_up", now)
