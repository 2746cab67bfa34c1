"""The desk's pages: the day's ledger with the new-inquiry form, and an inquiry's detail with its
timeline and the steps its status allows. Both call the same service functions as the API."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from core.errors import DomainError
from core.extensions import db
from core.identity.permissions import has_permission
from core.inquiries import service
from core.inquiries.api import ledger_download
from core.inquiries.models import CHANNELS, STATUSES
from core.policy import current_policy

bp = Blueprint("inquiries", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/inquiries")

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


@bp.app_context_processor
def inquiries_nav():
    def can_view_ledger() -> bool:
        actor = g.get("actor")
        if actor is None or g.get("tenant") is None or getattr(actor, "is_platform_admin", False):
            return False
        return has_permission(actor, "inquiries.view")

    return {"can_view_ledger": can_view_ledger}


# --- forms ------------------------------------------------------------------------------------


class InquiryForm(FlaskForm):
    requester_name = StringField(_l("Requester's name"), validators=[Optional(), Length(max=200)])
    requester_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    subject = StringField(_l("What was asked"), validators=[Optional(), Length(max=300)])
    category = SelectField(_l("Category"), validators=[Optional()], validate_choice=False)
    important = BooleanField(_l("Important"))
    answer = TextAreaField(_l("Answer now"), validators=[Optional(), Length(max=10000)])
    agreed_reply_at = DateTimeLocalField(_l("Agreed reply time"), format=LOCAL_FORMAT,
                                         validators=[Optional()])
    channel = SelectField(_l("Channel"), default="phone", validate_choice=False)


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply"), validators=[Length(max=10000)])


class AgreeForm(FlaskForm):
    agreed_reply_at = DateTimeLocalField(_l("Agreed reply time"), format=LOCAL_FORMAT,
                                         validators=[Optional()])


class ForwardForm(FlaskForm):
    department = SelectField(_l("Department"), validate_choice=False)
    remark = StringField(_l("Remark (备注)"), validators=[Length(max=1000)])


class EscalateForm(FlaskForm):
    note = StringField(_l("Note"), validators=[Length(max=2000)])


class ReferForm(FlaskForm):
    to = StringField(_l("Referred to"), validators=[Length(max=300)])
    contact = StringField(_l("How to reach them"), validators=[Length(max=300)])


class CloseForm(FlaskForm):
    """Closing takes the satisfaction survey: a score, or that the person declined."""

    score = IntegerField(validators=[Optional(), NumberRange(min=1, max=5)])
    declined = BooleanField()
    suggestions = TextAreaField(validators=[Optional(), Length(max=4000)])

    def survey(self) -> dict | None:
        if not self.score.data and not self.declined.data:
            return None
        return {"score": self.score.data, "declined": bool(self.declined.data),
                "suggestions": self.suggestions.data or ""}


STEP_FORMS = {"reply": ReplyForm, "agree": AgreeForm, "forward": ForwardForm,
              "escalate": EscalateForm, "refer": ReferForm, "close": CloseForm}
# The service's step behind each form (which statuses allow it)
STEP_OF_FORM = {"reply": "reply", "agree": "agree_reply_time", "forward": "forward",
                "escalate": "escalate", "refer": "refer", "close": "close"}


def _step_form(name: str):
    form = STEP_FORMS[name](prefix=name)
    if name == "forward":
        form.department.choices = [("", "—")] + [(d["code"], d["name"]) for d in service.departments()]
    return form


def _inquiry_form() -> InquiryForm:
    form = InquiryForm(prefix="new")
    form.category.choices = [("", "—")] + [(c["code"], c["name"]) for c in service.categories()]
    form.channel.choices = [(c, service.channel_label(c)) for c in CHANNELS]
    return form


def _show_field_errors(form, error: DomainError) -> None:
    """Put the service's field messages next to the form's fields."""
    for field, messages in (error.fields or {}).items():
        name = {"requester.name": "requester_name", "requester.phone": "requester_phone"}.get(field, field)
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors or []) + list(messages)


# --- the ledger -------------------------------------------------------------------------------


def _day_arg() -> date:
    raw = request.args.get("date", "")
    if not raw:
        return service.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)


def _bool_arg(name: str) -> bool | None:
    value = request.args.get(name, "")
    return True if value in ("1", "true", "on") else None


@bp.route("/ledger", methods=["GET", "POST"])
@login_required
def ledger():
    """The desk's day: the new-inquiry form and the day's ledger."""
    day = _day_arg()
    status = request.args.get("status", "")
    status = status if status in STATUSES else None
    overdue, q = _bool_arg("overdue"), request.args.get("q", "").strip()[:200]
    form = _inquiry_form()
    can_create = has_permission(g.actor, "inquiries.create")
    if request.method == "POST" and form.validate_on_submit():
        data = {"channel": form.channel.data, "subject": form.subject.data,
                "requester": {"name": form.requester_name.data, "phone": form.requester_phone.data},
                "category": form.category.data, "important": form.important.data,
                "answer": form.answer.data, "agreed_reply_at": form.agreed_reply_at.data}
        try:
            inquiry = service.create_inquiry(data, g.actor)
            number, inquiry_id, local_day = inquiry.number, inquiry.id, inquiry.local_date
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            _show_field_errors(form, error)
        else:
            flash(_("Inquiry %(number)s is in the ledger.", number=number), "success")
            return redirect(url_for("inquiries.ledger", date=local_day.isoformat(),
                                    _anchor=f"inq-{inquiry_id}"))
    elif request.method == "POST":
        flash(_("The inquiry was not saved; check the marked fields."), "error")
    rows = service.ledger_rows(day, g.actor, status=status, overdue=overdue, q=q)
    rows.reverse()  # the newest first: the row just entered is at the top
    return render_template(
        "inquiries/ledger.html", form=form, rows=rows, day=day, today=service.today(),
        previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
        status=status, overdue=overdue, q=q, statuses=[(s, service.status_label(s)) for s in STATUSES],
        can_create=can_create, overdue_count=sum(1 for r in rows if r["overdue"]),
    )


@bp.get("/ledger.<fmt>")
@login_required
def ledger_file(fmt):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    day = _day_arg()
    return ledger_download(service.ledger_rows(day, g.actor), day, fmt)


# --- one inquiry ------------------------------------------------------------------------------


def _render_detail(inquiry, forms: dict | None = None, status_code: int = 200):
    forms = forms or {}
    steps = service.allowed_steps(inquiry)
    can_handle = has_permission(g.actor, "inquiries.handle")
    can_escalate = has_permission(g.actor, "inquiries.escalate")
    shown = {}
    for name, step in STEP_OF_FORM.items():
        if step not in steps:
            continue
        if name == "escalate" and not can_escalate:
            continue
        if name != "escalate" and not can_handle:
            continue
        shown[name] = forms.get(name) or _step_form(name)
    chain = service.escalation_chain()
    titles = current_policy().role_titles
    next_role = (titles.get(chain[inquiry.escalation_level], chain[inquiry.escalation_level])
                 if inquiry.escalation_level < len(chain) else None)
    level = inquiry.escalation_level
    escalated_to = titles.get(chain[level - 1], chain[level - 1]) if 0 < level <= len(chain) else None
    if "escalate" in shown and next_role is None:
        del shown["escalate"]
    return render_template(
        "inquiries/detail.html", inquiry=inquiry, events=service.timeline(inquiry, g.actor),
        forms=shown, receiver=service.receiver_name(inquiry), next_role=next_role, escalated_to=escalated_to,
        categories=service.category_names(), departments=service.department_names(),
        status_label=service.status_label, channel_label=service.channel_label, role_titles=titles,
    ), status_code


@bp.get("/inquiries/<inquiry_id>")
@login_required
def detail(inquiry_id):
    return _render_detail(service.get_inquiry(inquiry_id, g.actor))


@bp.post("/inquiries/<inquiry_id>/<step>")
@login_required
def act(inquiry_id, step):
    """One step from the detail page's forms; errors come back as a message on the page."""
    if step not in STEP_FORMS:
        abort(404)
    inquiry = service.get_inquiry(inquiry_id, g.actor)
    form = _step_form(step)
    if not form.validate_on_submit():
        flash(_("Nothing was changed; check the marked fields."), "error")
        return _render_detail(inquiry, {step: form}, 422)
    try:
        if step == "reply":
            service.add_reply(inquiry, form.body.data, request.form.get("final") == "1", g.actor)
        elif step == "agree":
            service.agree_reply_time(inquiry, form.agreed_reply_at.data, g.actor)
        elif step == "forward":
            service.forward(inquiry, form.department.data, form.remark.data, g.actor)
        elif step == "escalate":
            service.escalate(inquiry, form.note.data, g.actor)
        elif step == "refer":
            service.refer(inquiry, form.to.data, form.contact.data, g.actor)
        else:
            service.close(inquiry, g.actor, survey=form.survey())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        _show_field_errors(form, error)
        return _render_detail(service.get_inquiry(inquiry_id, g.actor), {step: form}, 422)
    flash(_("Saved."), "success")
    return redirect(url_for("inquiries.detail", inquiry_id=inquiry_id))
