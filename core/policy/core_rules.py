"""The core rules of DOMAIN.md, each with the clause it comes from and its parameters.

Their enforcement lives with the capability each guards (inquiries, complaints, records, ...);
this module only declares them, so that every tenant's policy can switch and parameterise them.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from core.policy import Rule

Positive = validate.Range(min=1)


def _strings(**kw):
    return fields.List(fields.String(validate=validate.Length(min=1, max=100)), **kw)


class ReplyDeadlineParams(ma.Schema):
    max_working_days = fields.Integer(required=True, validate=validate.Range(min=0, max=60))


class ForwardParams(ma.Schema):
    remark_required = fields.Boolean(required=True)


class EscalationParams(ma.Schema):
    chain = _strings(required=True, validate=validate.Length(min=1, max=10))


class ForbiddenPhrasesParams(ma.Schema):
    phrases = _strings(required=True, validate=validate.Length(max=200))


class ReferOutParams(ma.Schema):
    contact_required = fields.Boolean(required=True)


class ComplaintKindParams(ma.Schema):
    channels = _strings(required=True, validate=validate.Length(min=1))


class WorkingDaysParams(ma.Schema):
    working_days = fields.Integer(required=True, validate=validate.Range(min=1, max=60))


class RespondWithinParams(WorkingDaysParams):
    flag_overdue = fields.Boolean(required=True)
    lead_role = fields.String(required=True, validate=validate.Length(min=1, max=60))  # 项目负责人


class FollowUpVisitParams(WorkingDaysParams):
    satisfaction_question = fields.Boolean(required=True)


class ConfidentialComplaintParams(ma.Schema):
    hide_complainant = fields.Boolean(required=True)


class HeadquartersParams(ma.Schema):
    hq_phone = fields.String(required=True, validate=validate.Length(max=40))


class RepeatParams(ma.Schema):
    window_days = fields.Integer(required=True, validate=validate.Range(min=1, max=3650))
    report_to_role = fields.String(required=True, validate=validate.Length(min=1, max=60))


class ConfidentialityParams(ma.Schema):
    readers = _strings(required=True)
    grant_roles = _strings(required=True)
    never_readers = _strings(required=True)


class AnonymisedExportParams(ma.Schema):
    replace = fields.List(
        fields.String(validate=validate.OneOf(["name", "phone", "email", "id_card", "address"])),
        required=True,
    )


class BreakGlassParams(ma.Schema):
    notify_supervisor = fields.Boolean(required=True)


class NoLendingParams(ma.Schema):
    approver_role = fields.String(required=True, validate=validate.Length(min=1, max=60))


class RetentionParams(ma.Schema):
    retention_days = fields.Integer(required=True, allow_none=True, validate=Positive)


class SatisfactionParams(ma.Schema):
    ask_staff = fields.Boolean(required=True)


class FollowUpParams(ma.Schema):
    after_days = fields.Integer(required=True, validate=validate.Range(min=1, max=730))


class MonthlyReportParams(ma.Schema):
    recipients = _strings(required=True)


class ReviewDueParams(ma.Schema):
    every_months = fields.Integer(required=True, validate=validate.Range(min=1, max=60))


class OrgNameParams(ma.Schema):
    unit_name = fields.String(required=True, validate=validate.Length(max=200))


class FireDrillParams(ma.Schema):
    drills_per_year = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    site_check_every_days = fields.Integer(required=True, validate=validate.Range(min=1, max=365))
    closing_check = fields.Boolean(required=True)


CORE_RULES = [
    # Inquiries and the ledger
    Rule("core.inquiry.ledger", _l("Every inquiry is entered in the ledger"),
         "S0-1 §4.1.4, §4.2.1, §5.1"),
    Rule("core.inquiry.reply_deadline", _l("Answer at once or agree a reply time"),
         "S0-1 §4.1.3, §4.2.1, §4.3.3; S0-15 §7", ReplyDeadlineParams, {"max_working_days": 5}),
    Rule("core.inquiry.forward", _l("Forwarding names the department and a remark"),
         "S0-1 §3.2, §4.2.1", ForwardParams, {"remark_required": True}),
    Rule("core.inquiry.escalate_important", _l("Important inquiries go up at once"),
         "S0-1 §4.2.1, §4.2.4, §4.2.5", EscalationParams, {"chain": ["supervisor", "manager"]}),
    Rule("core.reply.forbidden_phrases", _l("Replies must not brush the requester off"),
         "S0-1 §4.3.2", ForbiddenPhrasesParams,
         {"phrases": ["不知道", "没办法", "沒辦法", "不归我管", "不歸我管"]}),
    Rule("core.inquiry.refer_out", _l("A referral says to whom and how to reach them"),
         "S0-4 §12, S0-9 §2, S0-13 §4", ReferOutParams, {"contact_required": True}),
    # Suggestions and appeals
    Rule("core.complaint.kind", _l("Suggestions and appeals on one form"), "S3 §58–62",
         ComplaintKindParams, {"channels": ["duty_staff", "phone", "email", "front_desk_box"]}),
    Rule("core.complaint.register", _l("Register at once and tell the handler and deadline"),
         "S3 §57, §60(一), §62(一)"),
    Rule("core.complaint.respond_within", _l("Appeals: lead approves a handling opinion in time"),
         "S3 §62(二)", RespondWithinParams,
         {"working_days": 3, "flag_overdue": True, "lead_role": "manager"}),
    Rule("core.complaint.suggestion_reply", _l("Suggestions: result or way forward in time"),
         "S3 §60(二)1–2", WorkingDaysParams, {"working_days": 3}),
    Rule("core.complaint.follow_up_visit", _l("Suggestions: a return visit"),
         "S3 §60(二)1–2, (三)", FollowUpVisitParams,
         {"working_days": 3, "satisfaction_question": False}),
    Rule("core.complaint.upheld_correction", _l("Upheld appeals: sanction and corrective action"),
         "S3 §62(三)"),
    Rule("core.complaint.confidential", _l("Appeal details only for handlers and the lead"),
         "S3 §55, §62(四)", ConfidentialComplaintParams, {"hide_complainant": True}),
    Rule("core.complaint.escalate_hq", _l("Results carry the headquarters complaint phone"),
         "S3 §62(七)", HeadquartersParams, {"hq_phone": ""}),
    Rule("core.complaint.repeat", _l("Repeat complaints on the same subject are flagged"),
         "S4 热水 四1", RepeatParams, {"window_days": 30, "report_to_role": "manager"}),
    # Records
    Rule("core.record.confidentiality", _l("Confidential records only for named readers"),
         "S0-3 §2–3, S0-20 §3, S3 §7, §50, §71; S4 教师制度 3", ConfidentialityParams,
         {"readers": ["archivist"], "grant_roles": [], "never_readers": ["teacher"]}),
    Rule("core.record.recording_consent", _l("Recordings only with consent on file"), "S0-3 §4"),
    Rule("core.record.anonymised_export", _l("Exports for discussion are anonymised"),
         "S0-3 §4, S0-18 §2, S0-20 §7, S4 上寨 六", AnonymisedExportParams,
         {"replace": ["name", "phone", "email", "id_card", "address"]}),
    Rule("core.record.break_glass", _l("Minimum disclosure when someone is at risk"),
         "S0-3 §5, S0-8 二5(1), S3 §14–15, §50", BreakGlassParams, {"notify_supervisor": True}),
    Rule("core.record.lawful_request", _l("Lawful requests record authority and basis"),
         "S0-3 §6, S0-8 二5(2)"),
    Rule("core.record.archive", _l("Closed cases are archived read-only"),
         "S0-7 §6, S0-14 §4, S0-15 §8, S3 §22(五)"),
    Rule("core.record.no_lending", _l("No lending or copying without approval"),
         "S0-7 §6, S0-16 §7, S0-20 §3, S4 室规 7", NoLendingParams, {"approver_role": "archivist"}),
    Rule("core.record.retention", _l("Records are kept for the retention period"),
         "—", RetentionParams, {"retention_days": None}),
    # Service quality
    Rule("core.satisfaction_survey", _l("A satisfaction survey when a service ends"),
         "S3 §68; S2 三9, 五1d", SatisfactionParams, {"ask_staff": False}),
    Rule("core.follow_up", _l("A follow-up contact after closure"),
         "S0-9 §6, S2 三8, S4 流程 三(三)", FollowUpParams, {"after_days": 90}),
    Rule("core.monthly_report", _l("A monthly analysis of the service"), "S0-4 §15, S3 §66",
         MonthlyReportParams, {"recipients": []}),
    # Policy, safety and forms
    Rule("core.policy.versioning", _l("Each policy change is a numbered version"),
         "S3 §72, §77; S0-10 ch5 §2; S2 header"),
    Rule("core.policy.acknowledge", _l("Staff acknowledge each new policy version"), "S3 §74"),
    Rule("core.policy.review_due", _l("The policy is reviewed regularly"), "S3 §72–73",
         ReviewDueParams, {"every_months": 6}),
    Rule("core.policy.published", _l("Service information is published for clients"),
         "S3 §38–39, §44, §53(二), §56"),
    Rule("core.forms.org_name", _l("Every form carries the unit name"), "S3 §22(六), §24(五)",
         OrgNameParams, {"unit_name": ""}),
    Rule("core.incident.log", _l("Accidents and injuries on the premises are logged"),
         "S3 §52(五)"),
    Rule("core.safety.fire_drill", _l("Fire drills and site safety checks are held"),
         "S3 §52(二)(三); S0-4 §20, S0-17 §8", FireDrillParams,
         {"drills_per_year": 1, "site_check_every_days": 30, "closing_check": False}),
]
