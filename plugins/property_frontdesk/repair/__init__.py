"""The hot-water repair desk of a property company (seeds/004 服务标准化流程), part of property_frontdesk.

The property plugin (plugins/property_frontdesk/plugin.py) merges these lists into its hooks:
MODELS, RULES, ROLES, PERMISSIONS, JOBS, BLUEPRINTS and DASHBOARD(user).
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission, Role
from core.plugin_system import DashboardItem, Job
from core.policy import Rule

from . import service
from .models import DailyStatus, Project, ProjectStaff, RepairFlag, RoundsLog, WorkOrder

MODELS = [Project, ProjectStaff, WorkOrder, RoundsLog, DailyStatus, RepairFlag]


class RepairDeskParams(ma.Schema):
    chase_after_hours = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=24 * 30))
    reporter_confirmation = ma.fields.Boolean(required=True)
    repeat_window_days = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=365))


class WeeklyReportParams(ma.Schema):
    notify_managers = ma.fields.Boolean(required=True)


class MissingDayParams(ma.Schema):
    lookback_days = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=60))


class MinStaffingParams(ma.Schema):
    min_staff = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=100))


RULES = [
    Rule(service.REPAIR_DESK, _l("Repair and complaint calls: manager notified first, chased, reporter told"),
         "S4 热水 三1, 四1", RepairDeskParams,
         {"chase_after_hours": 24, "reporter_confirmation": False, "repeat_window_days": 30}),
    Rule(service.WEEKLY_REPORT, _l("Weekly report per project to the general manager and 工程部"),
         "S4 热水 三1, 四1–2", WeeklyReportParams, {"notify_managers": True}),
    Rule(service.DAILY_STATUS, _l("The project manager records a daily status"),
         "S4 热水 四2", MissingDayParams, {"lookback_days": 7}),
    Rule(service.ROUNDS_LOG, _l("Maintenance staff log daily meter reading, patrol and water temperature"),
         "S4 热水 三3", MissingDayParams, {"lookback_days": 7}),
    Rule(service.MIN_STAFFING, _l("Each project has a minimum of maintenance staff"),
         "S4 热水 二3", MinStaffingParams, {"min_staff": 2}),
]

PERMISSIONS = [
    Permission(service.VIEW, _l("See projects and work orders")),
    Permission(service.LOG, _l("Take repair and complaint calls, tell reporters, close work orders")),
    Permission(service.HANDLE, _l("Start and fix work orders")),
    Permission(service.MANAGE, _l("Manage projects and their maintenance staff")),
    Permission(service.ROUNDS, _l("Log daily rounds")),
    Permission(service.STATUS, _l("Record a project's daily status")),
    Permission(service.REPORTS, _l("Read weekly repair reports")),
]

ROLES = [
    Role("service_desk", _l("Service desk (服务部)"),
         frozenset({service.VIEW, service.LOG, service.REPORTS})),
    Role("project_manager", _l("Project manager (项目工程部经理)"),
         frozenset({service.VIEW, service.HANDLE, service.ROUNDS, service.STATUS, service.REPORTS})),
    Role("maintenance", _l("Maintenance staff (维护人员)"),
         frozenset({service.VIEW, service.HANDLE, service.ROUNDS})),
    Role("general_manager", _l("General manager (总经理)"),
         frozenset({service.VIEW, service.MANAGE, service.REPORTS})),
    Role("engineering_department", _l("Company engineering department (公司工程部)"),
         frozenset({service.VIEW, service.REPORTS})),
]

JOBS = [
    Job("property.repair.chase", service.chase_overdue),
    Job("property.repair.min_staffing", service.flag_understaffed),
    Job("property.repair.rounds_missing", service.flag_missing_rounds),
    Job("property.repair.status_missing", service.flag_missing_daily_status),
    Job("property.repair.weekly_report", service.announce_finished_weeks),
]


def _blueprints():
    from .api import blp
    from .pages import bp

    return [blp, bp]


BLUEPRINTS = _blueprints()


def DASHBOARD(user) -> list[DashboardItem]:  # noqa: N802 - the name is the interface with plugin.py
    from flask import url_for

    from core.identity.permissions import has_permission

    if not has_permission(user, service.VIEW):
        return []
    figures = service.counts()
    return [
        DashboardItem(_l("Open work orders"), figures["open"],
                      url_for("property_repair_pages.work_orders", open=1)),
        DashboardItem(_l("Repeat calls"), figures["repeat"],
                      url_for("property_repair_pages.work_orders", repeat=1)),
    ]
