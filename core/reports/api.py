"""Tenant API: the monthly analysis."""

import marshmallow as ma
from flask import g
from flask_smorest import Blueprint
from marshmallow import fields, validate

from core.reports import service

blp = Blueprint("reports_api", __name__, description="Monthly analysis")


class MonthArgs(ma.Schema):
    month = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"))


class Count(ma.Schema):
    key = fields.String()
    count = fields.Integer()


class OutcomeCount(ma.Schema):
    kind = fields.String()
    outcome = fields.String()
    count = fields.Integer()


class InquiryFigures(ma.Schema):
    total = fields.Integer()
    by_channel = fields.List(fields.Nested(Count))
    by_category = fields.List(fields.Nested(Count))
    by_department = fields.List(fields.Nested(Count))
    answered_at_once = fields.Integer()
    answered_at_once_rate = fields.Float(allow_none=True)
    answered = fields.Integer()
    median_seconds_to_answer = fields.Float(allow_none=True)
    overdue = fields.Integer()
    overdue_rate = fields.Float(allow_none=True)
    still_waiting = fields.Integer()


class ComplaintFigures(ma.Schema):
    total = fields.Integer()
    by_kind = fields.List(fields.Nested(Count))
    by_outcome = fields.List(fields.Nested(OutcomeCount))
    repeats = fields.Integer()


class Satisfaction(ma.Schema):
    surveys = fields.Integer()
    declined = fields.Integer()
    average_score = fields.Float(allow_none=True)


class MonthlyReport(ma.Schema):
    month = fields.String()
    tenant = fields.String()
    recipients = fields.List(fields.String())
    inquiries = fields.Nested(InquiryFigures)
    complaints = fields.Nested(ComplaintFigures)
    satisfaction = fields.Nested(Satisfaction)
    generated_at = fields.DateTime()


@blp.route("/reports/monthly", methods=["GET"])
@blp.arguments(MonthArgs(), location="query")
@blp.response(200, MonthlyReport)
def monthly(args):
    """The monthly analysis: volumes by channel, category and department, answered-at-once and
    overdue rates, median time to answer, complaints by outcome, satisfaction."""
    return service.monthly(g.actor, args["month"])
