"""Repair desk API, mounted at /t/<slug>/api/v1/property/repair/... for tenants with property_frontdesk."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from core.extensions import db
from core.pagination import ListArgs

from . import service
from .models import KINDS, STATUSES

blp = Blueprint("property_repair_api", __name__, description="Hot-water repair desk (property front desk)")

Str = ma.fields.String


class ProjectIn(ma.Schema):
    name = Str(required=True, validate=ma.validate.Length(min=1, max=200))
    manager_id = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=26))
    min_staff = ma.fields.Integer(load_default=None, allow_none=True,
                                  validate=ma.validate.Range(min=0, max=100))


class ProjectPatch(ma.Schema):
    name = Str(validate=ma.validate.Length(min=1, max=200))
    manager_id = Str(allow_none=True, validate=ma.validate.Length(max=26))
    min_staff = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=100))
    active = ma.fields.Boolean()


class StaffingOut(ma.Schema):
    staff = ma.fields.Integer()
    minimum = ma.fields.Integer(allow_none=True)
    understaffed = ma.fields.Boolean()


class ProjectOut(ma.Schema):
    id = Str()
    name = Str()
    manager_id = Str(allow_none=True)
    min_staff = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()
    created_at = ma.fields.DateTime()


class ProjectDetail(ProjectOut):
    staffing = ma.fields.Nested(StaffingOut)
    staff = ma.fields.List(ma.fields.Dict())


class ProjectList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ProjectOut))
    next_cursor = Str(allow_none=True)


class StaffIn(ma.Schema):
    user_id = Str(required=True, validate=ma.validate.Length(min=1, max=26))
    active = ma.fields.Boolean(load_default=True)


class WorkOrderIn(ma.Schema):
    project_id = Str(required=True, validate=ma.validate.Length(min=1, max=26))
    kind = Str(load_default="repair", validate=ma.validate.OneOf(KINDS))
    location = Str(required=True, validate=ma.validate.Length(min=1, max=200))
    fault = Str(required=True, validate=ma.validate.Length(min=1, max=5000))
    reporter_name = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=100))
    reporter_phone = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=40))
    inquiry_id = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=26))


class WorkOrderOut(ma.Schema):
    id = Str()
    project_id = Str()
    kind = Str()
    status = Str()
    reporter_name = Str(allow_none=True)
    reporter_phone = Str(allow_none=True)
    location = Str()
    fault = Str()
    inquiry_id = Str(allow_none=True)
    created_by_id = Str(allow_none=True)
    created_at = ma.fields.DateTime()
    notified_at = ma.fields.DateTime(allow_none=True)
    last_chased_at = ma.fields.DateTime(allow_none=True)
    chase_count = ma.fields.Integer()
    started_at = ma.fields.DateTime(allow_none=True)
    fix_note = Str(allow_none=True)
    fixed_by_id = Str(allow_none=True)
    fixed_at = ma.fields.DateTime(allow_none=True)
    result_note = Str(allow_none=True)
    result_told_at = ma.fields.DateTime(allow_none=True)
    confirmation_note = Str(allow_none=True)
    confirmed_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    repeat = ma.fields.Boolean()
    repeat_of_id = Str(allow_none=True)
    escalated_at = ma.fields.DateTime(allow_none=True)


class WorkOrderList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(WorkOrderOut))
    next_cursor = Str(allow_none=True)


class WorkOrderArgs(ListArgs):
    project = Str(load_default=None, validate=ma.validate.Length(max=26))
    status = Str(load_default=None, validate=ma.validate.OneOf(STATUSES))
    kind = Str(load_default=None, validate=ma.validate.OneOf(KINDS))
    repeat = ma.fields.Boolean(load_default=None)
    open = ma.fields.Boolean(load_default=False)
    phone = Str(load_default=None, validate=ma.validate.Length(max=40))


class FixIn(ma.Schema):
    fix_note = Str(required=True, validate=ma.validate.Length(min=1, max=5000))


class TellIn(ma.Schema):
    result_note = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))


class ConfirmIn(ma.Schema):
    note = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))


class EmptyIn(ma.Schema):
    pass


class RoundsIn(ma.Schema):
    day = ma.fields.Date(required=True)
    meter_reading = ma.fields.Decimal(load_default=None, allow_none=True, places=2,
                                      validate=ma.validate.Range(min=0))
    patrol_done = ma.fields.Boolean(load_default=False)
    water_temperature = ma.fields.Decimal(load_default=None, allow_none=True, places=1,
                                          validate=ma.validate.Range(min=-20, max=120))
    notes = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))


class RoundsOut(ma.Schema):
    id = Str()
    project_id = Str()
    day = ma.fields.Date()
    meter_reading = ma.fields.Float(allow_none=True)
    patrol_done = ma.fields.Boolean()
    water_temperature = ma.fields.Float(allow_none=True)
    notes = Str(allow_none=True)
    logged_by_id = Str(allow_none=True)
    created_at = ma.fields.DateTime()


class RoundsList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RoundsOut))
    next_cursor = Str(allow_none=True)


class StatusIn(ma.Schema):
    day = ma.fields.Date(required=True)
    water_use = ma.fields.Decimal(load_default=None, allow_none=True, places=2,
                                  validate=ma.validate.Range(min=0))
    repairs = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))
    stock = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))
    complaints = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))
    machines = Str(load_default=None, allow_none=True, validate=ma.validate.Length(max=5000))


class StatusOut(ma.Schema):
    id = Str()
    project_id = Str()
    day = ma.fields.Date()
    water_use = ma.fields.Float(allow_none=True)
    repairs = Str(allow_none=True)
    stock = Str(allow_none=True)
    complaints = Str(allow_none=True)
    machines = Str(allow_none=True)
    recorded_by_id = Str(allow_none=True)
    created_at = ma.fields.DateTime()


class StatusList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(StatusOut))
    next_cursor = Str(allow_none=True)


class FlagOut(ma.Schema):
    id = Str()
    kind = Str()
    project_id = Str()
    key = Str()
    details = Str(allow_none=True)
    created_at = ma.fields.DateTime()


class FlagList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FlagOut))
    next_cursor = Str(allow_none=True)


class FlagArgs(ListArgs):
    project = Str(load_default=None, validate=ma.validate.Length(max=26))


class WeeklyArgs(ma.Schema):
    project = Str(load_default=None, validate=ma.validate.Length(max=26))
    week = Str(load_default=None, validate=ma.validate.Length(max=10))


class WeekFigures(ma.Schema):
    project_id = Str()
    project = Str()
    complaints = ma.fields.Integer()
    repairs = ma.fields.Integer()
    fixed = ma.fields.Integer()
    told = ma.fields.Integer()
    closed = ma.fields.Integer()
    repeats = ma.fields.Integer()
    open_at_end = ma.fields.Integer()


class WeeklyOut(ma.Schema):
    week = Str()
    start = ma.fields.DateTime()
    end = ma.fields.DateTime()
    projects = ma.fields.List(ma.fields.Nested(WeekFigures))
    totals = ma.fields.Dict()
    work_orders = ma.fields.List(ma.fields.Nested(WorkOrderOut))
    rounds_logged = ma.fields.Integer()
    statuses_recorded = ma.fields.Integer()


# --- projects --------------------------------------------------------------------------------------


@blp.route("/repair/projects")
class Projects(MethodView):
    @blp.arguments(ListArgs(), location="query")
    @blp.response(200, ProjectList)
    def get(self, args):
        """Projects (estates or sites), newest first."""
        items, next_cursor = service.list_projects(g.actor, limit=args["limit"], cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(ProjectIn())
    @blp.response(201, ProjectOut)
    def post(self, body):
        """Create a project with its manager (项目工程部经理) and an optional minimum roster."""
        project = service.create_project(g.actor, **body)
        db.session.commit()
        return project


def _project_detail(project):
    fields = ("id", "name", "manager_id", "min_staff", "active", "created_at")
    return {**{k: getattr(project, k) for k in fields}, "staffing": service.staffing(project),
            "staff": [{"id": u.id, "name": u.name} for u in service.roster(project.id)]}


@blp.route("/repair/projects/<project_id>")
class ProjectItem(MethodView):
    @blp.response(200, ProjectDetail)
    def get(self, project_id):
        """A project, its roster and its staffing against property.min_staffing."""
        return _project_detail(service.view_project(g.actor, project_id))

    @blp.arguments(ProjectPatch())
    @blp.response(200, ProjectDetail)
    def patch(self, body, project_id):
        """Change name, manager, minimum roster or active."""
        project = service.update_project(g.actor, project_id, body)
        db.session.commit()
        return _project_detail(project)


@blp.route("/repair/projects/<project_id>/staff")
class ProjectStaffView(MethodView):
    @blp.arguments(StaffIn())
    @blp.response(200, ProjectDetail)
    def post(self, body, project_id):
        """Put a maintenance worker on the roster (active=false takes them off)."""
        service.set_staff(g.actor, project_id, body["user_id"], body["active"])
        db.session.commit()
        return _project_detail(service.get_project(project_id))


@blp.route("/repair/projects/<project_id>/rounds")
class Rounds(MethodView):
    @blp.arguments(ListArgs(), location="query")
    @blp.response(200, RoundsList)
    def get(self, args, project_id):
        """The project's daily rounds, newest first."""
        items, next_cursor = service.list_rounds(g.actor, project_id, limit=args["limit"],
                                                 cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(RoundsIn())
    @blp.response(201, RoundsOut)
    def post(self, body, project_id):
        """Log a day's rounds: meter reading, patrol, water temperature (property.rounds_log)."""
        row = service.log_rounds(g.actor, project_id, **body)
        db.session.commit()
        return row


@blp.route("/repair/projects/<project_id>/daily-status")
class DailyStatuses(MethodView):
    @blp.arguments(ListArgs(), location="query")
    @blp.response(200, StatusList)
    def get(self, args, project_id):
        """The manager's daily statuses, newest first."""
        items, next_cursor = service.list_daily_statuses(g.actor, project_id, limit=args["limit"],
                                                         cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(StatusIn())
    @blp.response(201, StatusOut)
    def post(self, body, project_id):
        """Record the day's status (property.project_daily_status)."""
        row = service.record_daily_status(g.actor, project_id, **body)
        db.session.commit()
        return row


@blp.route("/repair/flags")
class Flags(MethodView):
    @blp.arguments(FlagArgs(), location="query")
    @blp.response(200, FlagList)
    def get(self, args):
        """What the sweeps flagged: understaffed days, missing rounds or status, announced weeks."""
        items, next_cursor = service.list_flags(g.actor, project_id=args["project"], limit=args["limit"],
                                                cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}


# --- work orders -----------------------------------------------------------------------------------


@blp.route("/repair/work-orders")
class WorkOrders(MethodView):
    @blp.arguments(WorkOrderArgs(), location="query")
    @blp.response(200, WorkOrderList)
    def get(self, args):
        """Work orders, newest first; filter by project, status, kind, repeat, open, phone."""
        items, next_cursor = service.list_work_orders(
            g.actor, project_id=args["project"], status=args["status"], kind=args["kind"],
            repeat=args["repeat"], open_only=args["open"], phone=args["phone"],
            limit=args["limit"], cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(WorkOrderIn())
    @blp.response(201, WorkOrderOut)
    def post(self, body):
        """Log a repair or complaint call; the project's manager is notified first."""
        work_order = service.create_work_order(g.actor, **body)
        db.session.commit()
        return work_order


@blp.route("/repair/work-orders/<work_order_id>")
class WorkOrderItem(MethodView):
    @blp.response(200, WorkOrderOut)
    def get(self, work_order_id):
        """One work order."""
        return service.view_work_order(g.actor, work_order_id)


def _action(name: str, schema, call, doc: str):
    @blp.route(f"/repair/work-orders/<work_order_id>/{name}", endpoint=f"work_order_{name}")
    class Action(MethodView):
        @blp.arguments(schema)
        @blp.response(200, WorkOrderOut)
        def post(self, body, work_order_id):
            work_order = call(g.actor, work_order_id, **body)
            db.session.commit()
            return work_order

    Action.post.__doc__ = doc
    return Action


_action("notify", EmptyIn, service.notify_manager, "Notify the project's manager (reported → notified).")
_action("start", EmptyIn, service.start_work_order, "Start the repair (notified → in_progress).")
_action("fix", FixIn, service.fix_work_order, "Record the fix: what was done, by whom (→ fixed).")
_action("tell", TellIn, service.tell_result, "Record that the reporter was told the result.")
_action("confirm", ConfirmIn, service.confirm_work_order, "Record the reporter's confirmation (→ confirmed).")
_action("close", EmptyIn, service.close_work_order, "Close (needs the result told: property.repair_desk).")


@blp.route("/repair/reports/weekly")
class Weekly(MethodView):
    @blp.arguments(WeeklyArgs(), location="query")
    @blp.response(200, WeeklyOut)
    def get(self, args):
        """The week's complaints, repairs and handling per project (week=YYYY-Www; default last week)."""
        return service.weekly_report(g.actor, week=args["week"], project_id=args["project"])
