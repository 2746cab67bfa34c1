"""Pages of suggestions and appeals: the list, the paper form on screen, the case and its steps.

They call the same service functions as the API; a refusal is flashed with its rule and clause.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core import policy
from core.complaints import labels, service
from core.complaints.models import STATUSES
from core.errors import DomainError, Forbidden
from core.extensions import db
from core.identity.models import User, UserRole
from core.identity.permissions import has_permission, require_permission, role_book
from core.policy import current_policy
from core.web import audited_read

bp = Blueprint("complaints", __name__, template_folder="templates", static_folder="static",
               static_url_path="/complaints/static")


@bp.app_context_processor
def complaints_nav():
    def can_view_complaints():
        actor = g.get("actor")
        if g.get("tenant") is None or actor is None or getattr(actor, "is_platform_admin", False):
            return False
        return has_permission(actor, "complaints.view")

    return {"can_view_complaints": can_view_complaints}


@bp.app_template_global("complaint_label")
def complaint_label(table: str, key) -> str:
    return labels.label(getattr(labels, f"{table.upper()}_LABELS"), key)


# --- forms -------------------------------------------------------------------------------------


def _channels() -> list[str]:
    params = policy.params(service.KIND) or service._rule_defaults(service.KIND)
    return list(params["channels"])


def _handler_choices() -> list[SelectChoice]:
    """Active staff whose roles handle complaints (a desk's staff list is short)."""
    roles = [name for name, role in role_book().roles.items() if "complaints.handle" in role.permissions]
    users = db.session.execute(
        sa.select(User).join(UserRole, sa.and_(UserRole.tenant_id == User.tenant_id,
                                               UserRole.user_id == User.id))
        .where(UserRole.role.in_(roles), User.active.is_(True)).distinct().order_by(User.name).limit(500)
    ).scalars().all()
    return [SelectChoice(u.id, u.name) for u in users]


APPEAL_OUTCOME_CHOICES = [SelectChoice(k, labels.OUTCOME_LABELS[k])
                          for k in ("upheld", "partly", "not_upheld")]
NONE = SelectChoice("", "—")


class RegisterForm(FlaskForm):
    kind = RadioField(_l("Kind"), choices=[SelectChoice("suggestion", labels.KIND_LABELS["suggestion"]),
                                           SelectChoice("appeal", labels.KIND_LABELS["appeal"])],
                      default="suggestion", validators=[DataRequired()])
    channel = SelectField(_l("Channel"), validators=[Optional()])
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    content = TextAreaField(_l("Content of the suggestion or appeal"),
                            validators=[DataRequired(), Length(max=10000)])
    demand = TextAreaField(_l("What the person asks for"), validators=[Optional(), Length(max=10000)])
    about = StringField(_l("About whom or what (staff member, department)"),
                        validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), validators=[Optional()])
    handler_id = SelectField(_l("Handler"), validators=[Optional()])


class FindingsForm(FlaskForm):
    findings = TextAreaField(_l("Investigation and handling opinion"),
                             validators=[DataRequired(), Length(max=20000)])
    outcome = SelectField(_l("Proposed outcome"), validators=[Optional()],
                          choices=[NONE, *APPEAL_OUTCOME_CHOICES])
    dereliction = BooleanField(_l("A department failed in its duty (失职)"))


class ApproveForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), validators=[Optional()],
                          choices=[SelectChoice("", _l("As proposed")), *APPEAL_OUTCOME_CHOICES])
    note = TextAreaField(_l("Lead's note"), validators=[Optional(), Length(max=5000)])


class AppealResolveForm(FlaskForm):
    sanction = TextAreaField(_l("Sanction on the person complained about"),
                             validators=[Optional(), Length(max=5000)])
    corrective_action = TextAreaField(_l("Corrective action"), validators=[Optional(), Length(max=5000)])
    corrective_due_at = DateField(_l("Correction due by"), validators=[Optional()])
    resolution = TextAreaField(_l("Other handling"), validators=[Optional(), Length(max=10000)])


class SuggestionResolveForm(FlaskForm):
    on_the_spot = BooleanField(_l("Settled on the spot, face to face"))
    opinion = TextAreaField(_l("The person's opinion"), validators=[Optional(), Length(max=5000)])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    proposal = TextAreaField(_l("Proposed handling"), validators=[Optional(), Length(max=5000)])
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=200)])
    agreed_action = TextAreaField(_l("Agreed action or way forward"),
                                  validators=[DataRequired(), Length(max=10000)])
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice("adopted", labels.OUTCOME_LABELS["adopted"]),
                                                  SelectChoice("noted", labels.OUTCOME_LABELS["noted"])])
    implemented_at = DateField(_l("Implemented on"), validators=[Optional()])


class ReplyForm(FlaskForm):
    result_text = TextAreaField(_l("Result told to the person"),
                                validators=[DataRequired(), Length(max=20000)])


class FollowUpForm(FlaskForm):
    notes = TextAreaField(_l("What was done, as told to the person"),
                          validators=[DataRequired(), Length(max=10000)])
    thanked = BooleanField(_l("Thanked the person for the suggestion"), default=True)
    satisfaction = SelectField(_l("Satisfaction"), validators=[Optional()], choices=[
        NONE, *[SelectChoice(k, v) for k, v in labels.SATISFACTION_LABELS.items()]])


class EscalateForm(FlaskForm):
    escalation = TextAreaField(_l("What the person took to headquarters"),
                               validators=[Optional(), Length(max=10000)])
    outcome = TextAreaField(_l("Headquarters' outcome"), validators=[Optional(), Length(max=10000)])


class EmptyForm(FlaskForm):
    pass


def _step_forms(complaint) -> dict:
    return {
        "acknowledge": EmptyForm,
        "findings": FindingsForm,
        "approve": ApproveForm,
        "resolve": AppealResolveForm if complaint.is_appeal else SuggestionResolveForm,
        "reply": ReplyForm,
        "follow_up": FollowUpForm,
        "escalate": EscalateForm,
        "close": EmptyForm,
    }


STEP_FUNCTIONS = {
    "acknowledge": lambda c, data, actor: service.acknowledge(c, actor),
    "findings": service.record_findings,
    "approve": service.approve,
    "resolve": service.resolve,
    "reply": service.reply,
    "follow_up": service.follow_up,
    "escalate": service.escalate,
    "close": lambda c, data, actor: service.close(c, actor),
}


def _form_data(form) -> dict:
    """Form fields as the service expects them: empty strings and empty choices are None."""
    data = {}
    for field in form:
        if field.name in ("csrf_token", "submit"):
            continue
        value = field.data
        data[field.name] = None if value == "" else value
    return data


def _flash_errors(form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")


# --- views -------------------------------------------------------------------------------------


def _truthy(name: str):
    value = request.args.get(name)
    return {"1": True, "true": True, "0": False, "false": False}.get(value or "")


@bp.get("/complaints")
@login_required
@audited_read
def index():
    require_permission(g.actor, "complaints.view")
    kind = request.args.get("kind") if request.args.get("kind") in ("suggestion", "appeal") else None
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    filters = {"kind": kind, "status": status, "overdue": _truthy("overdue"), "repeat": _truthy("repeat")}
    try:
        rows, next_cursor = service.list_complaints(g.actor, **filters, limit=50,
                                                    cursor=request.args.get("cursor"))
    except DomainError as error:  # a bad cursor
        flash(error.message, "error")
        rows, next_cursor = [], None
    figures = service.counts(g.actor)
    db.session.commit()  # the audit of the rows read in full
    older_url = None
    if next_cursor:
        args = {k: v for k, v in request.args.items() if k not in ("cursor", "lang")}
        older_url = url_for("complaints.index", **args, cursor=next_cursor)
    return render_template("complaints/index.html", rows=rows, older_url=older_url,
                           filters=filters, figures=figures, statuses=STATUSES,
                           can_register=has_permission(g.actor, "complaints.register"))


@bp.route("/complaints/new", methods=["GET", "POST"])
@login_required
def register():
    require_permission(g.actor, "complaints.register")
    form = RegisterForm()
    form.channel.choices = [NONE, *(SelectChoice(c, labels.label(labels.CHANNEL_LABELS, c))
                                    for c in _channels())]
    form.category.choices = [NONE, *(SelectChoice(c["code"], c["name"]) for c in current_policy().categories)]
    form.handler_id.choices = _handler_choices()
    if request.method == "GET":
        form.handler_id.data = g.actor.id
    if form.validate_on_submit():
        try:
            complaint = service.register(_form_data(form), g.actor)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Registered as %(number)s.", number=complaint.number), "ok")
            return redirect(url_for("complaints.acknowledgment", complaint_id=complaint.id))
    else:
        _flash_errors(form)
    required = policy.enabled(service.REGISTER)
    return render_template("complaints/new.html", form=form, required=required)


def _load(complaint_id: str):
    return service.find(complaint_id)


def _forbidden(error: Forbidden):
    return render_template("complaints/forbidden.html", message=error.message), 403


@bp.get("/complaints/<complaint_id>")
@login_required
@audited_read
def detail(complaint_id):
    complaint = _load(complaint_id)
    try:
        case = service.detail(complaint, g.actor)
    except Forbidden as error:
        return _forbidden(error)
    db.session.commit()  # the audit of the read
    forms = {step: _step_forms(complaint)[step]() for step in case["allowed_steps"]}
    visit = policy.params(service.FOLLOW_UP)
    return render_template("complaints/detail.html", case=case, forms=forms,
                           satisfaction_question=bool(visit and visit.get("satisfaction_question")),
                           hq=policy.params(service.HQ))


@bp.get("/complaints/<complaint_id>/print")
@login_required
@audited_read
def printable(complaint_id):
    complaint = _load(complaint_id)
    try:
        case = service.detail(complaint, g.actor)
    except Forbidden as error:
        return _forbidden(error)
    db.session.commit()
    return render_template("complaints/print.html", case=case, unit_name=_unit_name())


@bp.get("/complaints/<complaint_id>/acknowledgment")
@login_required
def acknowledgment(complaint_id):
    complaint = _load(complaint_id)
    try:
        slip = service.acknowledgment(complaint, g.actor)
    except Forbidden as error:
        return _forbidden(error)
    return render_template("complaints/acknowledgment.html", slip=slip, unit_name=_unit_name(),
                           can_open=service.can_see_details(complaint, g.actor))


def _unit_name() -> str | None:
    """core.forms.org_name: the unit-name line printed on every form (the tenant's name if unset)."""
    params = policy.params("core.forms.org_name")
    if params is None:
        return None
    return (params.get("unit_name") or "").strip() or g.tenant.name


@bp.post("/complaints/<complaint_id>/<step>")
@login_required
def step(complaint_id, step):
    step = step.replace("-", "_")
    if step not in STEP_FUNCTIONS:
        abort(404)
    complaint = _load(complaint_id)
    form = _step_forms(complaint)[step]()
    if form.validate_on_submit():
        try:
            STEP_FUNCTIONS[step](complaint, _form_data(form), g.actor)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Done: %(step)s.", step=labels.label(labels.STEP_LABELS, step)), "ok")
    else:
        _flash_errors(form)
    return redirect(url_for("complaints.detail", complaint_id=complaint_id))
