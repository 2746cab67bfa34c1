"""The repair desk's one service: the API and the pages call these functions, and only these.

Rules enforced here (S4 热水 服务标准化流程):
  property.repair_desk          create_work_order, notify_manager, close_work_order, chase_overdue,
                                _check_repeat (反复投诉 → 总经理)
  property.min_staffing         staffing(), flag_understaffed
  property.rounds_log           log_rounds, flag_missing_rounds
  property.project_daily_status record_daily_status, flag_missing_daily_status
  property.weekly_report        weekly_report, announce_finished_weeks
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from difflib import SequenceMatcher

import sqlalchemy as sa
from flask_babel import gettext as _

from core import audit, policy
from core.calendar import calendar_for
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.extensions import db
from core.identity.models import User
from core.identity.permissions import has_permission, require_permission
from core.notifications.service import notify, users_with_role
from core.pagination import page
from core.tenancy import current_tenant, utcnow

from .models import (
    KINDS,
    OPEN_STATUSES,
    DailyStatus,
    Project,
    ProjectStaff,
    RepairFlag,
    RoundsLog,
    WorkOrder,
)

REPAIR_DESK = "property.repair_desk"
WEEKLY_REPORT = "property.weekly_report"
DAILY_STATUS = "property.project_daily_status"
ROUNDS_LOG = "property.rounds_log"
MIN_STAFFING = "property.min_staffing"

# permissions
VIEW = "property.repair.view"
LOG = "property.repair.log"  # 服务部: take calls, notify, tell the result, close
HANDLE = "property.repair.handle"  # project manager and maintenance: start and fix
MANAGE = "property.repair.manage"  # projects and rosters
ROUNDS = "property.repair.rounds"
STATUS = "property.repair.status"
REPORTS = "property.repair.reports"

GENERAL_MANAGER = "general_manager"
ENGINEERING_DEPARTMENT = "engineering_department"  # the company's 工程部 (S4 热水 二2, 四2)
SERVICE_DESK = "service_desk"

FIXED_STATUSES = ("fixed", "confirmed", "closed")
SIMILARITY = 0.6
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def _base() -> str:
    return f"/t/{current_tenant().slug}/property"


def work_order_url(work_order: WorkOrder) -> str:
    return f"{_base()}/repair/work-orders/{work_order.id}"


def project_url(project: Project) -> str:
    return f"{_base()}/repair/projects/{project.id}"


def _calendar():
    return calendar_for(current_tenant())


def _user(user_id: str | None) -> User | None:
    if not user_id:
        return None
    return db.session.execute(sa.select(User).where(User.id == user_id)).scalar_one_or_none()


def _active_user(user_id: str, field: str) -> User:
    user = _user(user_id)
    if user is None or not user.active:
        raise ValidationError(_("No such active user."), fields={field: [_("No such active user.")]})
    return user


# --- projects and rosters (property.min_staffing) -------------------------------------------------


def get_project(project_id: str) -> Project:
    project = db.session.execute(sa.select(Project).where(Project.id == project_id)).scalar_one_or_none()
    if project is None:
        raise NotFound(_("No such project."))
    return project


def view_project(actor, project_id: str) -> Project:
    require_permission(actor, VIEW)
    return get_project(project_id)


def list_projects(actor, *, limit: int = 200, cursor: str | None = None, active_only: bool = False):
    require_permission(actor, VIEW)
    query = sa.select(Project)
    if active_only:
        query = query.where(Project.active.is_(True))
    return page(query, Project, limit=limit, cursor=cursor)


def create_project(actor, *, name: str, manager_id: str | None = None,
                   min_staff: int | None = None) -> Project:
    require_permission(actor, MANAGE)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the project a name."), fields={"name": [_("Required.")]})
    exists = db.session.execute(sa.select(Project.id).where(Project.name == name)).first()
    if exists:
        raise Conflict(_("A project of that name exists."))
    if manager_id:
        _active_user(manager_id, "manager_id")
    project = Project(name=name, manager_id=manager_id or None, min_staff=min_staff)
    db.session.add(project)
    db.session.flush()
    audit.record("property.project.created", project, actor=actor,
                 details={"name": name, "manager_id": manager_id, "min_staff": min_staff})
    return project


def update_project(actor, project_id: str, changes: dict) -> Project:
    require_permission(actor, MANAGE)
    project = get_project(project_id)
    if changes.get("manager_id"):
        _active_user(changes["manager_id"], "manager_id")
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError(_("Give the project a name."), fields={"name": [_("Required.")]})
    for key in ("name", "manager_id", "min_staff", "active"):
        if key in changes:
            setattr(project, key, changes[key] or None if key == "manager_id" else changes[key])
    db.session.flush()
    audit.record("property.project.changed", project, actor=actor, details=changes)
    return project


def set_staff(actor, project_id: str, user_id: str, active: bool = True) -> ProjectStaff:
    """Put a maintenance worker on the roster, or take them off (active=False)."""
    require_permission(actor, MANAGE)
    project = get_project(project_id)
    if active:
        _active_user(user_id, "user_id")
    link = db.session.execute(sa.select(ProjectStaff).where(
        ProjectStaff.project_id == project.id, ProjectStaff.user_id == user_id)).scalar_one_or_none()
    if link is None:
        if not active:
            raise NotFound(_("Not on this project's roster."))
        link = ProjectStaff(project_id=project.id, user_id=user_id)
        db.session.add(link)
    link.active = active
    db.session.flush()
    audit.record("property.project.staff", project, actor=actor,
                 details={"user_id": user_id, "active": active})
    return link


def roster(project_id: str) -> list[User]:
    return list(db.session.execute(
        sa.select(User).join(ProjectStaff, sa.and_(ProjectStaff.tenant_id == User.tenant_id,
                                                   ProjectStaff.user_id == User.id))
        .where(ProjectStaff.project_id == project_id, ProjectStaff.active.is_(True))
        .order_by(User.name).limit(500)).scalars())


def _staff_counts():
    return (sa.select(ProjectStaff.project_id, sa.func.count().label("n"))
            .join(User, sa.and_(User.tenant_id == ProjectStaff.tenant_id, User.id == ProjectStaff.user_id))
            .where(ProjectStaff.active.is_(True), User.active.is_(True))
            .group_by(ProjectStaff.project_id).subquery())


def staffing(project: Project) -> dict:
    """The roster against property.min_staffing: {"staff", "minimum", "understaffed"}."""
    counts = _staff_counts()
    n = db.session.execute(sa.select(counts.c.n).where(counts.c.project_id == project.id)).scalar() or 0
    params = policy.params(MIN_STAFFING)
    if params is None:
        return {"staff": n, "minimum": None, "understaffed": False}
    minimum = project.min_staff if project.min_staff is not None else params["min_staff"]
    return {"staff": n, "minimum": minimum, "understaffed": n < minimum}


def _flag(kind: str, project: Project, key: str, details: str = "") -> bool:
    """Raise a flag once; False when it was raised before (also by a concurrent sweep)."""
    exists = db.session.execute(sa.select(RepairFlag.id).where(
        RepairFlag.kind == kind, RepairFlag.project_id == project.id, RepairFlag.key == key)).first()
    if exists:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(RepairFlag(kind=kind, project_id=project.id, key=key, details=details[:300]))
            db.session.flush()
    except sa.exc.IntegrityError:
        return False
    return True


def list_flags(actor, *, project_id: str | None = None, limit: int = 50, cursor: str | None = None):
    require_permission(actor, VIEW)
    query = sa.select(RepairFlag)
    if project_id:
        query = query.where(RepairFlag.project_id == get_project(project_id).id)
    return page(query, RepairFlag, limit=limit, cursor=cursor)


def flag_understaffed(tenant, now: datetime) -> int:
    """Sweep: each project below its minimum roster is flagged once a day; the GM is told."""
    params = policy.params(MIN_STAFFING)
    if params is None:
        return 0
    counts = _staff_counts()
    rows = db.session.execute(
        sa.select(Project, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.project_id == Project.id)
        .where(Project.active.is_(True)).order_by(Project.id)).all()
    today = calendar_for(tenant).local_date(now).isoformat()
    flagged = 0
    for project, n in rows:
        minimum = project.min_staff if project.min_staff is not None else params["min_staff"]
        if n >= minimum:
            continue
        if _flag("understaffed", project, today, f"{n}/{minimum}"):
            flagged += 1
            notify(users_with_role(GENERAL_MANAGER), "property.understaffed",
                   _("Project %(name)s has %(n)s maintenance staff, below the minimum of %(min)s",
                     name=project.name, n=n, min=minimum),
                   obj=project, url=project_url(project),
                   dedupe_key=f"property.understaffed:{project.id}:{today}")
    return flagged


# --- work orders (property.repair_desk) -------------------------------------------------------------


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[\s\W_]+", "", text)[:200]


def get_work_order(work_order_id: str) -> WorkOrder:
    work_order = db.session.execute(
        sa.select(WorkOrder).where(WorkOrder.id == work_order_id)).scalar_one_or_none()
    if work_order is None:
        raise NotFound(_("No such work order."))
    return work_order


def view_work_order(actor, work_order_id: str) -> WorkOrder:
    require_permission(actor, VIEW)
    return get_work_order(work_order_id)


def list_work_orders(actor, *, project_id: str | None = None, status: str | None = None,
                     kind: str | None = None, repeat: bool | None = None, open_only: bool = False,
                     phone: str | None = None, limit: int = 50, cursor: str | None = None):
    require_permission(actor, VIEW)
    query = sa.select(WorkOrder)
    if project_id:
        query = query.where(WorkOrder.project_id == project_id)
    if status:
        query = query.where(WorkOrder.status == status)
    if open_only:
        query = query.where(WorkOrder.status.in_(OPEN_STATUSES))
    if kind:
        query = query.where(WorkOrder.kind == kind)
    if repeat is not None:
        query = query.where(WorkOrder.repeat.is_(repeat))
    if phone:
        query = query.where(WorkOrder.reporter_phone == phone.strip())
    return page(query, WorkOrder, limit=limit, cursor=cursor)


def create_work_order(actor, *, project_id: str, kind: str, location: str, fault: str,
                      reporter_name: str | None = None, reporter_phone: str | None = None,
                      inquiry_id: str | None = None, now: datetime | None = None) -> WorkOrder:
    """Log a call on the dedicated line; the project's manager is notified first (第一时间)."""
    require_permission(actor, LOG)
    now = now or utcnow()
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind."), fields={"kind": [_("Unknown kind.")]})
    if not (location or "").strip() or not (fault or "").strip():
        raise ValidationError(_("Give the location and the fault."),
                              fields={k: [_("Required.")]
                                      for k, v in (("location", location), ("fault", fault))
                                      if not (v or "").strip()})
    project = get_project(project_id)
    if not project.active:
        raise Conflict(_("The project is no longer active."))
    policy.require(REPAIR_DESK, project.manager_id is not None,
                   _("Project %(name)s has no manager: the manager must be notified first.",
                     name=project.name))
    work_order = WorkOrder(project_id=project.id, kind=kind, location=location.strip(),
                           location_key=_norm(location), fault=fault.strip(),
                           reporter_name=(reporter_name or "").strip() or None,
                           reporter_phone=(reporter_phone or "").strip() or None,
                           inquiry_id=inquiry_id or None, created_by_id=actor.id, created_at=now)
    db.session.add(work_order)
    db.session.flush()
    audit.record("property.work_order.created", work_order, actor=actor,
                 details={"project_id": project.id, "kind": kind})
    desk = policy.params(REPAIR_DESK)
    if desk is not None:
        _notify_manager(work_order, project, actor, now)
        _check_repeat(work_order, project, desk, now)
    db.session.flush()
    return work_order


def _notify_manager(work_order: WorkOrder, project: Project, actor, now: datetime) -> None:
    manager = _user(project.manager_id)
    if manager is None:
        raise Conflict(_("The project has no manager to notify."))
    kind = _("Complaint") if work_order.kind == "complaint" else _("Repair")
    title = _("%(kind)s at %(project)s: %(location)s", kind=kind, project=project.name,
              location=work_order.location)
    notify([manager], "property.work_order", title,
           work_order.fault, obj=work_order, url=work_order_url(work_order),
           dedupe_key=f"property.work_order:{work_order.id}:notified")
    work_order.status, work_order.notified_at = "notified", now
    audit.record("property.work_order.notified", work_order, actor=actor, details={"manager_id": manager.id})


def _check_repeat(work_order: WorkOrder, project: Project, desk: dict, now: datetime) -> None:
    """反复投诉: the same fault again (same place, or same caller, on the same project) → 总经理."""
    window = desk.get("repeat_window_days") or 0
    if window <= 0:
        return
    same_place = WorkOrder.location_key == work_order.location_key
    who = (sa.or_(same_place, WorkOrder.reporter_phone == work_order.reporter_phone)
           if work_order.reporter_phone else same_place)
    candidates = db.session.execute(
        sa.select(WorkOrder).where(WorkOrder.project_id == project.id, WorkOrder.id != work_order.id,
                                   WorkOrder.created_at >= now - timedelta(days=window), who)
        .order_by(WorkOrder.created_at.desc()).limit(50)).scalars().all()
    fault = _norm(work_order.fault)
    for earlier in candidates:
        other = _norm(earlier.fault)
        same_fault = (fault in other or other in fault
                      or SequenceMatcher(None, fault, other).ratio() >= SIMILARITY)
        same_phone = bool(work_order.reporter_phone) and earlier.reporter_phone == work_order.reporter_phone
        if same_fault and (earlier.location_key == work_order.location_key or same_phone):
            work_order.repeat, work_order.repeat_of_id, work_order.escalated_at = True, earlier.id, now
            notify(users_with_role(GENERAL_MANAGER), "property.work_order.repeat",
                   _("Repeat call at %(project)s: %(location)s", project=project.name,
                     location=work_order.location),
                   work_order.fault, obj=work_order, url=work_order_url(work_order),
                   dedupe_key=f"property.work_order:{work_order.id}:repeat")
            audit.record("property.work_order.escalated", work_order,
                         details={"repeat_of_id": earlier.id, "to_role": GENERAL_MANAGER})
            return


def _transition(work_order: WorkOrder, allowed: tuple[str, ...], action: str) -> None:
    if work_order.status not in allowed:
        raise Conflict(_("A work order that is %(status)s cannot be %(action)s.",
                         status=work_order.status, action=action))


def notify_manager(actor, work_order_id: str, now: datetime | None = None) -> WorkOrder:
    """Notify the manager of a work order logged while it had none (or the rule was off)."""
    require_permission(actor, LOG)
    work_order = get_work_order(work_order_id)
    _transition(work_order, ("reported",), "notified")
    project = get_project(work_order.project_id)
    _notify_manager(work_order, project, actor, now or utcnow())
    db.session.flush()
    return work_order


def start_work_order(actor, work_order_id: str, now: datetime | None = None) -> WorkOrder:
    require_permission(actor, HANDLE)
    work_order = get_work_order(work_order_id)
    _transition(work_order, ("notified",) if policy.enabled(REPAIR_DESK) else ("reported", "notified"),
                "started")
    work_order.status, work_order.started_at = "in_progress", now or utcnow()
    audit.record("property.work_order.started", work_order, actor=actor)
    db.session.flush()
    return work_order


def fix_work_order(actor, work_order_id: str, fix_note: str, now: datetime | None = None) -> WorkOrder:
    """Record the fix: what was done and by whom."""
    require_permission(actor, HANDLE)
    work_order = get_work_order(work_order_id)
    _transition(work_order, ("notified", "in_progress") if policy.enabled(REPAIR_DESK)
                else ("reported", "notified", "in_progress"), "fixed")
    if not (fix_note or "").strip():
        raise ValidationError(_("Say what was done."), fields={"fix_note": [_("Required.")]})
    work_order.status, work_order.fix_note = "fixed", fix_note.strip()
    work_order.fixed_by_id, work_order.fixed_at = actor.id, now or utcnow()
    audit.record("property.work_order.fixed", work_order, actor=actor)
    db.session.flush()
    return work_order


def tell_result(actor, work_order_id: str, result_note: str | None = None,
                now: datetime | None = None) -> WorkOrder:
    """The desk tells the reporter the result (及时反馈给学生)."""
    require_permission(actor, LOG)
    work_order = get_work_order(work_order_id)
    _transition(work_order, ("fixed", "confirmed"), "reported back")
    if work_order.result_told_at is not None:
        raise Conflict(_("The reporter has been told already."))
    work_order.result_told_at = now or utcnow()
    work_order.result_note = (result_note or "").strip() or None
    audit.record("property.work_order.result_told", work_order, actor=actor)
    db.session.flush()
    return work_order


def confirm_work_order(actor, work_order_id: str, note: str | None = None,
                       now: datetime | None = None) -> WorkOrder:
    """Record the reporter's confirmation that the fault is gone."""
    require_permission(actor, LOG)
    work_order = get_work_order(work_order_id)
    _transition(work_order, ("fixed",), "confirmed")
    work_order.status, work_order.confirmed_at = "confirmed", now or utcnow()
    work_order.confirmation_note = (note or "").strip() or None
    audit.record("property.work_order.confirmed", work_order, actor=actor)
    db.session.flush()
    return work_order


def close_work_order(actor, work_order_id: str, now: datetime | None = None) -> WorkOrder:
    require_permission(actor, LOG)
    work_order = get_work_order(work_order_id)
    _transition(work_order, ("fixed", "confirmed"), "closed")
    desk = policy.params(REPAIR_DESK)
    policy.require(REPAIR_DESK, work_order.result_told_at is not None,
                   _("Tell the reporter the result before closing."))
    policy.require(REPAIR_DESK, not (desk and desk.get("reporter_confirmation"))
                   or work_order.status == "confirmed",
                   _("Record the reporter's confirmation before closing."))
    work_order.status, work_order.closed_at = "closed", now or utcnow()
    audit.record("property.work_order.closed", work_order, actor=actor)
    db.session.flush()
    return work_order


def chase_overdue(tenant, now: datetime) -> int:
    """Sweep: open work orders older than chase_after_hours; the manager is chased once a day."""
    desk = policy.params(REPAIR_DESK)
    if desk is None:
        return 0
    cutoff = now - timedelta(hours=desk["chase_after_hours"])
    today = calendar_for(tenant).local_date(now).isoformat()
    rows = db.session.execute(
        sa.select(WorkOrder, Project).join(Project, sa.and_(Project.tenant_id == WorkOrder.tenant_id,
                                                            Project.id == WorkOrder.project_id))
        .where(WorkOrder.status.in_(OPEN_STATUSES), WorkOrder.created_at < cutoff)
        .order_by(WorkOrder.created_at).limit(1000)).all()
    chased = 0
    for work_order, project in rows:
        manager = _user(project.manager_id)
        recipients = [manager] if manager is not None else users_with_role(SERVICE_DESK)
        created = notify(recipients, "property.work_order.chase",
                         _("Still open after %(hours)s hours: %(project)s, %(location)s",
                           hours=desk["chase_after_hours"], project=project.name,
                           location=work_order.location),
                         work_order.fault, obj=work_order, url=work_order_url(work_order),
                         dedupe_key=f"property.work_order:{work_order.id}:chase:{today}")
        if created:
            work_order.last_chased_at = now
            work_order.chase_count += 1
            chased += 1
    db.session.flush()
    return chased


def counts(project_id: str | None = None) -> dict:
    query = sa.select(
        sa.func.count().filter(WorkOrder.status.in_(OPEN_STATUSES)),
        sa.func.count().filter(sa.and_(WorkOrder.repeat.is_(True), WorkOrder.status != "closed")),
    ).select_from(WorkOrder)
    if project_id:
        query = query.where(WorkOrder.project_id == project_id)
    row = db.session.execute(query).one()
    return {"open": row[0], "repeat": row[1]}


# --- rounds and daily status (property.rounds_log, property.project_daily_status) -----------------------


def _may_work_on(actor, project: Project) -> None:
    """Only the project's own manager and roster record its day (or whoever manages projects)."""
    if has_permission(actor, MANAGE) or project.manager_id == actor.id:
        return
    on_roster = db.session.execute(sa.select(ProjectStaff.id).where(
        ProjectStaff.project_id == project.id, ProjectStaff.user_id == actor.id,
        ProjectStaff.active.is_(True))).first()
    if not on_roster:
        raise Forbidden(_("You are not on this project's staff."))


def _check_day(day: date, now: datetime) -> None:
    if day > _calendar().local_date(now):
        message = _("The day is in the future.")
        raise ValidationError(message, fields={"day": [message]})


def log_rounds(actor, project_id: str, *, day: date, meter_reading=None, patrol_done: bool = False,
               water_temperature=None, notes: str | None = None, now: datetime | None = None) -> RoundsLog:
    require_permission(actor, ROUNDS)
    project = get_project(project_id)
    _may_work_on(actor, project)
    _check_day(day, now or utcnow())
    row = db.session.execute(sa.select(RoundsLog).where(
        RoundsLog.project_id == project.id, RoundsLog.day == day)).scalar_one_or_none()
    if row is not None:
        raise Conflict(_("The rounds of that day are logged already."))
    row = RoundsLog(project_id=project.id, day=day, meter_reading=meter_reading,
                    patrol_done=bool(patrol_done),
                    water_temperature=water_temperature, notes=(notes or "").strip() or None,
                    logged_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("property.rounds.logged", row, actor=actor, details={"project_id": project.id, "day": day})
    return row


def list_rounds(actor, project_id: str, *, limit: int = 50, cursor: str | None = None):
    require_permission(actor, VIEW)
    project = get_project(project_id)
    return page(sa.select(RoundsLog).where(RoundsLog.project_id == project.id), RoundsLog,
                limit=limit, cursor=cursor)


def record_daily_status(actor, project_id: str, *, day: date, water_use=None, repairs: str | None = None,
                        stock: str | None = None, complaints: str | None = None, machines: str | None = None,
                        now: datetime | None = None) -> DailyStatus:
    require_permission(actor, STATUS)
    project = get_project(project_id)
    if not has_permission(actor, MANAGE) and project.manager_id != actor.id:
        raise Forbidden(_("Only the project's manager records its daily status."))
    _check_day(day, now or utcnow())
    exists = db.session.execute(sa.select(DailyStatus.id).where(
        DailyStatus.project_id == project.id, DailyStatus.day == day)).first()
    if exists:
        raise Conflict(_("The status of that day is recorded already."))
    clean = {k: (v or "").strip() or None for k, v in
             (("repairs", repairs), ("stock", stock), ("complaints", complaints), ("machines", machines))}
    row = DailyStatus(project_id=project.id, day=day, water_use=water_use, recorded_by_id=actor.id, **clean)
    db.session.add(row)
    db.session.flush()
    audit.record("property.daily_status.recorded", row, actor=actor,
                 details={"project_id": project.id, "day": day})
    return row


def list_daily_statuses(actor, project_id: str, *, limit: int = 50, cursor: str | None = None):
    require_permission(actor, VIEW)
    project = get_project(project_id)
    return page(sa.select(DailyStatus).where(DailyStatus.project_id == project.id), DailyStatus,
                limit=limit, cursor=cursor)


def _missing_days(tenant, now, model, params, flag_kind, recipients_of, kind_title) -> int:
    cal = calendar_for(tenant)
    today = cal.local_date(now)
    earliest = today - timedelta(days=params["lookback_days"])
    flagged = 0
    projects = db.session.execute(
        sa.select(Project).where(Project.active.is_(True)).order_by(Project.id).limit(1000)).scalars().all()
    for project in projects:
        start = max(cal.local_date(project.created_at) + timedelta(days=1), earliest)
        days = [start + timedelta(days=i) for i in range((today - start).days)]
        days = [d for d in days if cal.is_working_day(d)]
        if not days:
            continue
        logged = set(db.session.execute(sa.select(model.day).where(
            model.project_id == project.id, model.day >= days[0], model.day < today)).scalars())
        for day in days:
            if day in logged or not _flag(flag_kind, project, day.isoformat()):
                continue
            flagged += 1
            notify(recipients_of(project), f"property.{flag_kind}",
                   kind_title(project.name, day.isoformat()), obj=project, url=project_url(project),
                   dedupe_key=f"property.{flag_kind}:{project.id}:{day.isoformat()}")
    db.session.flush()
    return flagged


def flag_missing_rounds(tenant, now: datetime) -> int:
    """Sweep: a past working day without a rounds log is flagged once; the manager is told."""
    params = policy.params(ROUNDS_LOG)
    if params is None:
        return 0

    def recipients(project):
        manager = _user(project.manager_id)
        return [manager] if manager else users_with_role(GENERAL_MANAGER)

    return _missing_days(tenant, now, RoundsLog, params, "rounds_missing", recipients,
                         lambda name, day: _("No rounds logged at %(project)s on %(day)s",
                                             project=name, day=day))


def flag_missing_daily_status(tenant, now: datetime) -> int:
    """Sweep: a past working day without the manager's daily status is flagged once; the GM is told."""
    params = policy.params(DAILY_STATUS)
    if params is None:
        return 0
    return _missing_days(tenant, now, DailyStatus, params, "status_missing",
                         lambda project: users_with_role(GENERAL_MANAGER),
                         lambda name, day: _("No daily status recorded at %(project)s on %(day)s",
                                             project=name, day=day))


# --- weekly report (property.weekly_report) ----------------------------------------------------------


def parse_week(value: str | None, now: datetime | None = None) -> tuple[int, int]:
    """'2024-W05' → (2024, 5); empty → the last finished week."""
    if not value:
        today = _calendar().local_date(now or utcnow())
        year, week, _day = (today - timedelta(days=7)).isocalendar()
        return year, week
    match = WEEK_RE.match(value.strip())
    try:
        if not match:
            raise ValueError
        year, week = int(match.group(1)), int(match.group(2))
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError(_("Give the week as YYYY-Www, e.g. 2024-W05."),
                              fields={"week": [_("Give the week as YYYY-Www, e.g. 2024-W05.")]}) from None
    return year, week


def week_bounds(year: int, week: int) -> tuple[datetime, datetime]:
    zone = _calendar().zone
    monday = date.fromisocalendar(year, week, 1)
    start = datetime.combine(monday, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def _week_figures(start: datetime, end: datetime, project_id: str | None):
    """Per project: received complaints and repairs, fixed, told, closed, repeats, open at week's end."""
    received = sa.and_(WorkOrder.created_at >= start, WorkOrder.created_at < end)
    query = sa.select(
        WorkOrder.project_id,
        sa.func.count().filter(sa.and_(received, WorkOrder.kind == "complaint")).label("complaints"),
        sa.func.count().filter(sa.and_(received, WorkOrder.kind == "repair")).label("repairs"),
        sa.func.count().filter(sa.and_(WorkOrder.fixed_at >= start, WorkOrder.fixed_at < end)).label("fixed"),
        sa.func.count().filter(sa.and_(WorkOrder.result_told_at >= start,
                                       WorkOrder.result_told_at < end)).label("told"),
        sa.func.count().filter(sa.and_(WorkOrder.closed_at >= start,
                                       WorkOrder.closed_at < end)).label("closed"),
        sa.func.count().filter(sa.and_(received, WorkOrder.repeat.is_(True))).label("repeats"),
        sa.func.count().filter(sa.and_(WorkOrder.created_at < end, sa.or_(
            WorkOrder.fixed_at.is_(None), WorkOrder.fixed_at >= end))).label("open_at_end"),
    ).where(WorkOrder.created_at < end).group_by(WorkOrder.project_id)
    if project_id:
        query = query.where(WorkOrder.project_id == project_id)
    return {row.project_id: row._asdict() for row in db.session.execute(query)}


FIGURES = ("complaints", "repairs", "fixed", "told", "closed", "repeats", "open_at_end")


def weekly_report(actor, *, week: str | None = None, project_id: str | None = None,
                  now: datetime | None = None) -> dict:
    """The week's complaints, repairs and handling: per project, or for one project with its calls."""
    require_permission(actor, REPORTS)
    year, number = parse_week(week, now)
    start, end = week_bounds(year, number)
    project = get_project(project_id) if project_id else None
    figures = _week_figures(start, end, project.id if project else None)
    if project:
        projects = [project]
    else:
        projects = db.session.execute(sa.select(Project).where(sa.or_(
            Project.active.is_(True), Project.id.in_(list(figures) or [""]))).order_by(Project.name)
            .limit(500)).scalars().all()
    rows = []
    for p in projects:
        values = figures.get(p.id) or {}
        rows.append({"project_id": p.id, "project": p.name,
                     **{k: int(values.get(k) or 0) for k in FIGURES}})
    report = {"week": f"{year}-W{number:02d}", "start": start, "end": end, "projects": rows,
              "totals": {k: sum(r[k] for r in rows) for k in FIGURES}}
    if project:
        day_range = (start.astimezone(_calendar().zone).date(), (end - timedelta(seconds=1))
                     .astimezone(_calendar().zone).date())
        report["work_orders"] = db.session.execute(
            sa.select(WorkOrder).where(WorkOrder.project_id == project.id, WorkOrder.created_at >= start,
                                       WorkOrder.created_at < end).order_by(WorkOrder.created_at).limit(500)
        ).scalars().all()
        report["rounds_logged"] = db.session.execute(sa.select(sa.func.count()).select_from(RoundsLog).where(
            RoundsLog.project_id == project.id, RoundsLog.day.between(*day_range))).scalar_one()
        report["statuses_recorded"] = db.session.execute(
            sa.select(sa.func.count()).select_from(DailyStatus).where(
                DailyStatus.project_id == project.id, DailyStatus.day.between(*day_range))).scalar_one()
    return report


def announce_finished_weeks(tenant, now: datetime) -> int:
    """Sweep: each project's last finished week is announced once to the GM (and its manager)."""
    params = policy.params(WEEKLY_REPORT)
    if params is None:
        return 0
    today = calendar_for(tenant).local_date(now)
    year, number, _day = (today - timedelta(days=7)).isocalendar()
    week = f"{year}-W{number:02d}"
    start, end = week_bounds(year, number)
    announced = 0
    projects = db.session.execute(sa.select(Project).where(
        Project.active.is_(True), Project.created_at < end).order_by(Project.id).limit(1000)).scalars().all()
    figures = _week_figures(start, end, None)
    for project in projects:
        if not _flag("week_announced", project, week):
            continue
        announced += 1
        values = figures.get(project.id) or {}
        body = _("Complaints %(c)s, repairs %(r)s, fixed %(f)s, still open %(o)s",
                 c=values.get("complaints", 0), r=values.get("repairs", 0), f=values.get("fixed", 0),
                 o=values.get("open_at_end", 0))
        url = f"{_base()}/repair/reports/weekly?project={project.id}&week={week}"
        # the desk's report goes to the general manager, the project's to the company 工程部
        recipients = [*users_with_role(GENERAL_MANAGER), *users_with_role(ENGINEERING_DEPARTMENT)]
        manager = _user(project.manager_id)
        if params.get("notify_managers") and manager is not None:
            recipients = [*recipients, manager]
        notify(recipients, "property.weekly_report",
               _("Weekly report %(week)s: %(project)s", week=week, project=project.name), body,
               obj=project, url=url, dedupe_key=f"property.weekly_report:{project.id}:{week}")
    db.session.flush()
    return announced
