"""Repair desk pages at /t/<slug>/property/repair/...: the same service functions as the API."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.errors import DomainError
from core.extensions import db
from core.identity.models import User
from core.identity.permissions import has_permission
from core.tenancy import utcnow

from . import service
from .models import KINDS, STATUSES

bp = Blueprint("property_repair_pages", __name__, template_folder="templates")

STATUS_LABELS = {
    "reported": _l("Reported"), "notified": _l("Manager notified"), "in_progress": _l("Being repaired"),
    "fixed": _l("Fixed"), "confirmed": _l("Confirmed by reporter"), "closed": _l("Closed"),
}
KIND_LABELS = {"repair": _l("Repair"), "complaint": _l("Complaint")}
FLAG_LABELS = {
    "understaffed": _l("Below minimum staff"), "rounds_missing": _l("Rounds not logged"),
    "status_missing": _l("Daily status missing"), "week_announced": _l("Weekly report announced"),
}


@bp.app_template_global("repair_label")
def repair_label(table: str, key) -> str:
    labels = {"status": STATUS_LABELS, "kind": KIND_LABELS, "flag": FLAG_LABELS}[table]
    return str(labels.get(key, key))


def _can(permission: str) -> bool:
    return has_permission(g.actor, permission)


def _project_choices(empty: str | None = None):
    projects, _cursor = service.list_projects(g.actor, limit=200, active_only=True)
    choices = [(p.id, p.name) for p in sorted(projects, key=lambda p: p.name)]
    return ([("", empty)] if empty is not None else []) + choices


def _users(ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in db.session.execute(sa.select(User).where(User.id.in_(ids))).scalars()}


def _fail(error: DomainError) -> None:
    db.session.rollback()
    flash(error.message, "error")


# --- forms -----------------------------------------------------------------------------------------


class WorkOrderForm(FlaskForm):
    project_id = SelectField(_l("Project"), validators=[DataRequired()])
    kind = RadioField(_l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS], default="repair")
    reporter_phone = StringField(_l("Caller's phone"), validators=[Optional(), Length(max=40)])
    reporter_name = StringField(_l("Caller's name"), validators=[Optional(), Length(max=100)])
    location = StringField(_l("Location (building, room)"), validators=[DataRequired(), Length(max=200)])
    fault = TextAreaField(_l("Fault or complaint"), validators=[DataRequired(), Length(max=5000)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class ProjectForm(FlaskForm):
    name = StringField(_l("Project name"), validators=[DataRequired(), Length(max=200)])
    manager_id = SelectField(_l("Project manager"), validators=[Optional()])
    min_staff = IntegerField(_l("Minimum maintenance staff (empty: the policy's default)"),
                             validators=[Optional(), NumberRange(min=0, max=100)])


class StaffForm(FlaskForm):
    user_id = SelectField(_l("Maintenance worker"), validators=[DataRequired()])


class RoundsForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    meter_reading = DecimalField(_l("Meter reading"), places=2, validators=[Optional(), NumberRange(min=0)])
    patrol_done = BooleanField(_l("Patrol done"))
    water_temperature = DecimalField(_l("Water temperature (°C)"), places=1,
                                     validators=[Optional(), NumberRange(min=-20, max=120)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class StatusForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    water_use = DecimalField(_l("Water use"), places=2, validators=[Optional(), NumberRange(min=0)])
    repairs = TextAreaField(_l("Repairs"), validators=[Optional(), Length(max=5000)])
    stock = TextAreaField(_l("Stock"), validators=[Optional(), Length(max=5000)])
    complaints = TextAreaField(_l("Complaints"), validators=[Optional(), Length(max=5000)])
    machines = TextAreaField(_l("Machines"), validators=[Optional(), Length(max=5000)])


def _staff_choices():
    users = db.session.execute(sa.select(User).where(User.active.is_(True)).order_by(User.name)
                               .limit(500)).scalars().all()
    return [SelectChoice(u.id, f"{u.name} <{u.email}>") for u in users]


# --- work orders -----------------------------------------------------------------------------------


@bp.route("/repair/")
def work_orders():
    def flag(name):
        value = request.args.get(name)
        return True if value == "1" else None

    filters = {"project": request.args.get("project") or None,
               "status": request.args.get("status") if request.args.get("status") in STATUSES else None,
               "kind": request.args.get("kind") if request.args.get("kind") in KINDS else None,
               "repeat": flag("repeat"), "open": bool(flag("open")),
               "phone": (request.args.get("phone") or "").strip()[:40] or None}
    items, next_cursor = service.list_work_orders(
        g.actor, project_id=filters["project"], status=filters["status"], kind=filters["kind"],
        repeat=filters["repeat"], open_only=filters["open"], phone=filters["phone"], limit=50,
        cursor=request.args.get("cursor"))
    projects = dict(_project_choices())
    older_url = (url_for(".work_orders", **{**request.args.to_dict(), "cursor": next_cursor})
                 if next_cursor else None)
    return render_template("property_repair/work_orders.html", items=items, filters=filters,
                           projects=projects,
                           statuses=STATUSES, kinds=KINDS, figures=service.counts(filters["project"]),
                           older_url=older_url, can_log=_can(service.LOG))


@bp.route("/repair/new", methods=["GET", "POST"])
def new_work_order():
    form = WorkOrderForm()
    form.project_id.choices = [SelectChoice(v, label) for v, label in _project_choices(_("— choose —"))]
    if request.method == "GET" and request.args.get("project"):
        form.project_id.data = request.args["project"]
    if form.validate_on_submit():
        try:
            work_order = service.create_work_order(
                g.actor, project_id=form.project_id.data, kind=form.kind.data, location=form.location.data,
                fault=form.fault.data, reporter_name=form.reporter_name.data,
                reporter_phone=form.reporter_phone.data)
            db.session.commit()
            message = _("Work order logged; the project manager has been notified.") \
                if work_order.status == "notified" else _("Work order logged.")
            if work_order.repeat:
                message += " " + _("Repeat call: escalated to the general manager.")
            flash(message, "success")
            if request.form.get("another"):
                return redirect(url_for(".new_work_order", project=work_order.project_id))
            return redirect(url_for(".work_order", work_order_id=work_order.id))
        except DomainError as error:
            _fail(error)
    return render_template("property_repair/new.html", form=form)


ACTIONS = {
    "notify": (service.LOG, lambda actor, wid, note: service.notify_manager(actor, wid)),
    "start": (service.HANDLE, lambda actor, wid, note: service.start_work_order(actor, wid)),
    "fix": (service.HANDLE, lambda actor, wid, note: service.fix_work_order(actor, wid, note or "")),
    "tell": (service.LOG, lambda actor, wid, note: service.tell_result(actor, wid, note)),
    "confirm": (service.LOG, lambda actor, wid, note: service.confirm_work_order(actor, wid, note)),
    "close": (service.LOG, lambda actor, wid, note: service.close_work_order(actor, wid)),
}


def _available_actions(work_order) -> list[str]:
    status = work_order.status
    possible = {
        "notify": status == "reported",
        "start": status in ("reported", "notified"),
        "fix": status in ("reported", "notified", "in_progress"),
        "tell": status in ("fixed", "confirmed") and work_order.result_told_at is None,
        "confirm": status == "fixed",
        "close": status in ("fixed", "confirmed"),
    }
    return [name for name, ok in possible.items() if ok and _can(ACTIONS[name][0])]


@bp.route("/repair/work-orders/<work_order_id>")
def work_order(work_order_id):
    work_order = service.view_work_order(g.actor, work_order_id)
    project = service.get_project(work_order.project_id)
    people = _users([work_order.created_by_id, work_order.fixed_by_id, project.manager_id])
    return render_template("property_repair/detail.html", wo=work_order, project=project, people=people,
                           actions=_available_actions(work_order), form=NoteForm())


@bp.route("/repair/work-orders/<work_order_id>/<action>", methods=["POST"])
def work_order_action(work_order_id, action):
    if action not in ACTIONS:
        abort(404)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            ACTIONS[action][1](g.actor, work_order_id, form.note.data)
            db.session.commit()
            flash(_("Saved."), "success")
        except DomainError as error:
            _fail(error)
    else:
        flash(_("The form expired; try again."), "error")
    return redirect(url_for(".work_order", work_order_id=work_order_id))


# --- projects --------------------------------------------------------------------------------------


@bp.route("/repair/projects", methods=["GET", "POST"])
def projects():
    form = ProjectForm()
    form.manager_id.choices = [SelectChoice("", "—"), *_staff_choices()]
    if request.method == "POST" and form.validate_on_submit():
        try:
            project = service.create_project(g.actor, name=form.name.data,
                                             manager_id=form.manager_id.data or None,
                                             min_staff=form.min_staff.data)
            db.session.commit()
            return redirect(url_for(".project", project_id=project.id))
        except DomainError as error:
            _fail(error)
    items, _cursor = service.list_projects(g.actor, limit=200)
    rows = [{"project": p, "staffing": service.staffing(p)} for p in items]
    return render_template("property_repair/projects.html", rows=rows, form=form,
                           managers=_users([p.manager_id for p in items]), can_manage=_can(service.MANAGE))


@bp.route("/repair/projects/<project_id>", methods=["GET", "POST"])
def project(project_id):
    project = service.view_project(g.actor, project_id)
    form = StaffForm()
    form.user_id.choices = _staff_choices()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                service.set_staff(g.actor, project.id, form.user_id.data,
                                  active=request.form.get("remove") != "1")
                db.session.commit()
                flash(_("Saved."), "success")
            except DomainError as error:
                _fail(error)
        return redirect(url_for(".project", project_id=project_id))
    flags, _c = service.list_flags(g.actor, project_id=project.id, limit=20)
    rounds, _c = service.list_rounds(g.actor, project.id, limit=7)
    statuses, _c = service.list_daily_statuses(g.actor, project.id, limit=7)
    return render_template("property_repair/project.html", project=project,
                           staffing=service.staffing(project),
                           staff=service.roster(project.id), flags=flags, rounds=rounds, statuses=statuses,
                           manager=_users([project.manager_id]).get(project.manager_id), form=form,
                           figures=service.counts(project.id), can_manage=_can(service.MANAGE),
                           can_rounds=_can(service.ROUNDS), can_status=_can(service.STATUS))


def _today():
    return service._calendar().local_date(utcnow())


@bp.route("/repair/projects/<project_id>/rounds", methods=["GET", "POST"])
def rounds(project_id):
    project = service.view_project(g.actor, project_id)
    form = RoundsForm()
    if request.method == "GET":
        form.day.data = _today()
    if form.validate_on_submit():
        try:
            service.log_rounds(g.actor, project.id, day=form.day.data, meter_reading=form.meter_reading.data,
                               patrol_done=form.patrol_done.data,
                               water_temperature=form.water_temperature.data,
                               notes=form.notes.data)
            db.session.commit()
            flash(_("Rounds logged."), "success")
            return redirect(url_for(".project", project_id=project.id))
        except DomainError as error:
            _fail(error)
    items, _c = service.list_rounds(g.actor, project.id, limit=14)
    return render_template("property_repair/rounds.html", project=project, form=form, items=items)


@bp.route("/repair/projects/<project_id>/daily-status", methods=["GET", "POST"])
def daily_status(project_id):
    project = service.view_project(g.actor, project_id)
    form = StatusForm()
    if request.method == "GET":
        form.day.data = _today()
    if form.validate_on_submit():
        try:
            service.record_daily_status(g.actor, project.id, day=form.day.data, water_use=form.water_use.data,
                                        repairs=form.repairs.data, stock=form.stock.data,
                                        complaints=form.complaints.data, machines=form.machines.data)
            db.session.commit()
            flash(_("Daily status recorded."), "success")
            return redirect(url_for(".project", project_id=project.id))
        except DomainError as error:
            _fail(error)
    items, _c = service.list_daily_statuses(g.actor, project.id, limit=14)
    return render_template("property_repair/daily_status.html", project=project, form=form, items=items)


@bp.route("/repair/reports/weekly")
def weekly():
    project_id = request.args.get("project") or None
    week = request.args.get("week") or None
    try:
        report = service.weekly_report(g.actor, week=week, project_id=project_id)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        flash(error.message, "error")
        report = service.weekly_report(g.actor, project_id=project_id)
    year, number = service.parse_week(report["week"])
    monday = service.date.fromisocalendar(year, number, 1)
    previous = (monday - timedelta(days=7)).isocalendar()
    following = (monday + timedelta(days=7)).isocalendar()
    return render_template(
        "property_repair/weekly.html", report=report, project_id=project_id, projects=_project_choices(),
        previous_week=f"{previous[0]}-W{previous[1]:02d}", next_week=f"{following[0]}-W{following[1]:02d}",
        sunday=monday + timedelta(days=6), monday=monday)
