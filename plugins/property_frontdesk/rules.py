"""The plugin's rules (DOMAIN.md "Plugin: property front desk"), clauses of S0-1, and its
permissions and roles (S0-1 §3, §4.2)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import validate

from core.identity.permissions import Permission, Role
from core.policy import Rule

DAILY_REVIEW = "property.daily_review"
WEEKLY_REVIEW = "property.weekly_review"
SPECIALIST = "property.specialist_coordination"
OUT_OF_SCOPE = "property.out_of_scope_approval"
INFO_ARCHIVE = "property.info_archive"
EXTERNAL_EVENT = "property.external_event_approval"
DAILY_WORK_RECORD = "property.daily_work_record"


def _codes(**kw):
    return ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=60)), **kw)


class DailyReviewParams(ma.Schema):
    grace_working_days = ma.fields.Integer(required=True, validate=validate.Range(min=0, max=10))
    lookback_days = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=92))
    important_to_role = ma.fields.String(required=True, validate=validate.Length(min=1, max=60))


class WeeklyReviewParams(ma.Schema):
    grace_days = ma.fields.Integer(required=True, validate=validate.Range(min=0, max=14))
    lookback_weeks = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    important_to_role = ma.fields.String(required=True, validate=validate.Length(min=1, max=60))


class SpecialistParams(ma.Schema):
    # inquiry category code -> department code that answers it jointly with the desk
    departments = ma.fields.Dict(keys=ma.fields.String(validate=validate.Length(min=1, max=60)),
                                 values=ma.fields.String(validate=validate.Length(min=1, max=60)),
                                 required=True)
    decider_role = ma.fields.String(required=True, validate=validate.Length(min=1, max=60))


class OutOfScopeParams(ma.Schema):
    categories = _codes(required=True, validate=validate.Length(max=100))
    approver_role = ma.fields.String(required=True, validate=validate.Length(min=1, max=60))


class ExternalEventParams(ma.Schema):
    approver_role = ma.fields.String(required=True, validate=validate.Length(min=1, max=60))


class NoParams(ma.Schema):
    pass


RULES = [
    Rule(DAILY_REVIEW, _l("The supervisor checks each day's ledger"), "S0-1 §4.2.4", DailyReviewParams,
         {"grace_working_days": 1, "lookback_days": 14, "important_to_role": "dept_manager"}),
    Rule(WEEKLY_REVIEW, _l("The property manager checks the ledger at least once a week"),
         "S0-1 §4.2.5", WeeklyReviewParams,
         {"grace_days": 0, "lookback_weeks": 4, "important_to_role": "leadership"}),
    Rule(SPECIALIST, _l("Security, engineering and leasing questions are answered with the department"),
         "S0-1 §4.2.2", SpecialistParams,
         {"departments": {"security": "security", "engineering": "engineering", "leasing": "leasing"},
          "decider_role": "property_manager"}),
    Rule(OUT_OF_SCOPE, _l("Questions beyond the estate are answered only after approval"),
         "S0-1 §4.2.3", OutOfScopeParams,
         {"categories": ["property_certificate", "telecom"], "approver_role": "dept_manager"}),
    Rule(INFO_ARCHIVE, _l("The desk answers from its information archive"), "S0-1 §4.1.2", NoParams, {}),
    Rule(EXTERNAL_EVENT, _l("Outside consultation events need leadership approval"), "S0-1 §4.2.6",
         ExternalEventParams, {"approver_role": "leadership"}),
    Rule(DAILY_WORK_RECORD, _l("The desk team's daily work record"), "S0-1 §5.2", NoParams, {}),
]

PERMISSIONS = [
    Permission("property.reviews_view", _l("See the daily and weekly ledger reviews")),
    Permission("property.review_daily", _l("Review the day's ledger")),
    Permission("property.review_weekly", _l("Review the week's ledger")),
    Permission("property.coordinate", _l("Give a department's input on an inquiry")),
    Permission("property.decide", _l("Settle a disagreement with a department")),
    Permission("property.approval_request", _l("Ask for approval to answer an out-of-scope question")),
    Permission("property.approve", _l("Approve answers to out-of-scope questions")),
    Permission("property.info_view", _l("Search the information archive")),
    Permission("property.info_manage", _l("Keep the information archive")),
    Permission("property.events_manage", _l("Register outside consultation events")),
    Permission("property.events_approve", _l("Approve outside consultation events")),
    Permission("property.events_support", _l("Arrange support for outside consultation events")),
    Permission("property.work_record", _l("See the desk team's daily work record")),
]

_DESK_CORE = {"inquiries.view", "inquiries.create", "inquiries.handle", "inquiries.escalate", "ledger.view"}
_READ_CORE = {"inquiries.view", "ledger.view", "policy.view"}
_STAFF = {"property.info_view", "property.coordinate", "property.approval_request", "property.work_record"}
_MANAGING = _READ_CORE | {"property.reviews_view", "property.info_view", "property.work_record"}

ROLES = [
    Role("desk", _l("Desk clerk"), frozenset(_STAFF)),
    Role("desk_lead", _l("Desk lead"), frozenset(
        _DESK_CORE | _STAFF | {"policy.view", "property.reviews_view", "property.info_manage",
                               "property.events_manage"})),
    Role("supervisor", _l("Supervisor"), frozenset(
        _STAFF | {"property.reviews_view", "property.review_daily", "property.info_manage",
                  "property.events_manage"})),
    Role("property_manager", _l("Property manager"), frozenset(
        _DESK_CORE | _MANAGING | {"property.review_weekly", "property.decide", "property.events_manage",
                                  "property.events_support", "property.coordinate"})),
    Role("dept_manager", _l("Property department manager"), frozenset(_MANAGING | {"property.approve"})),
    Role("director", _l("Director"), frozenset(_MANAGING)),
    Role("leadership", _l("Company leadership"), frozenset(_MANAGING | {"property.events_approve"})),
    Role("engineering_staff", _l("Engineering staff"),
         frozenset({"inquiries.view", "policy.view", "property.coordinate", "property.info_view"})),
    Role("security_staff", _l("Security staff"),
         frozenset({"inquiries.view", "policy.view", "property.coordinate", "property.info_view"})),
    Role("leasing_staff", _l("Leasing staff"),
         frozenset({"inquiries.view", "policy.view", "property.coordinate", "property.info_view"})),
]
