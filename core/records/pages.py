"""Records pages at /t/<slug>/records: list, new record, detail with its actions, export view.

Every page calls the same service functions as the API; reads are audited the same way.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from core import policy
from core.errors import DomainError
from core.extensions import db
from core.identity.models import User
from core.identity.permissions import has_permission
from core.records import service
from core.records.models import DISCLOSABLE_FIELDS, KINDS, LENDING_ACTIONS
from core.records.views import allow_attachment_bodies, keep_refusal_audit
from core.tenancy import utcnow
from core.web import audited_read

bp = Blueprint("records", __name__, template_folder="templates", static_folder="static",
               static_url_path="/records/static")
bp.url_value_preprocessor(allow_attachment_bodies({"records.add_attachment"}))

KIND_TITLES = {
    "case_notes": _l("Case notes"),
    "session_record": _l("Session record"),
    "letter": _l("Letter"),
    "test_data": _l("Test data"),
    "work_file": _l("Work file"),
    "other": _l("Other"),
}
LEVEL_TITLES = {"normal": _l("Normal"), "confidential": _l("Confidential")}
STATUS_TITLES = {"open": _l("Open case"), "archived": _l("Archived")}
FIELD_TITLES = {
    "title": _l("Title"),
    "kind": _l("Kind"),
    "subject_name": _l("Person's name"),
    "subject_phone": _l("Phone"),
    "subject_email": _l("E-mail"),
    "subject_id_card": _l("ID card number"),
    "subject_address": _l("Address"),
    "body": _l("Content"),
}
LENDING_TITLES = {"lend": _l("Lend"), "copy": _l("Copy"), "export": _l("Export")}


@bp.app_context_processor
def records_helpers():
    def can_view_records() -> bool:
        actor = g.get("actor")
        return (actor is not None and g.get("tenant") is not None
                and not actor.is_platform_admin and has_permission(actor, "records.view"))

    return {"can_view_records": can_view_records}


class RecordForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, KIND_TITLES[k]) for k in KINDS])
    confidentiality = SelectField(_l("Confidentiality"),
                                  choices=[SelectChoice(k, v) for k, v in LEVEL_TITLES.items()])
    subject_name = StringField(_l("Person's name"), validators=[Length(max=200)])
    subject_phone = StringField(_l("Phone"), validators=[Length(max=40)])
    subject_email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    subject_id_card = StringField(_l("ID card number"), validators=[Length(max=30)])
    subject_address = StringField(_l("Address"), validators=[Length(max=300)])
    body = TextAreaField(_l("Content"), validators=[Length(max=200000)])
    inquiry_id = StringField(_l("Linked inquiry"), validators=[Length(max=26)])

    def values(self) -> dict:
        data = {name: getattr(self, name).data or "" for name in service.EDITABLE}
        data["inquiry_id"] = data["inquiry_id"].strip() or None
        return data


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])


class ConsentForm(FlaskForm):
    consent_by = StringField(_l("Who consented (requester or guardian)"), validators=[Length(max=200)])
    withdraw = BooleanField(_l("Withdraw the consent"))


class MultiCheckbox(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DiscloseForm(FlaskForm):
    type = SelectField(_l("Type"), choices=[SelectChoice("break_glass", _l("Break-glass (someone at risk)")),
                                            SelectChoice("lawful_request", _l("Lawful request"))])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])
    recipients = TextAreaField(_l("Recipients (one per line)"), validators=[Length(max=5000)])
    fields_to_disclose = MultiCheckbox(_l("Exact fields to disclose"),
                           choices=[SelectChoice(f, FIELD_TITLES[f]) for f in DISCLOSABLE_FIELDS])
    authority = StringField(_l("Requesting authority"), validators=[Length(max=200)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Length(max=5000)])


class GrantForm(FlaskForm):
    grantee_id = SelectField(_l("Reader"), choices=[])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])
    days = IntegerField(_l("For how many days"), default=7, validators=[NumberRange(min=1, max=365)])


class LendingForm(FlaskForm):
    borrower_id = SelectField(_l("Who"), choices=[])
    action = SelectField(_l("What"), choices=[SelectChoice(a, LENDING_TITLES[a]) for a in LENDING_ACTIONS])
    purpose = TextAreaField(_l("Purpose"), validators=[DataRequired(), Length(max=5000)])
    days = IntegerField(_l("Valid for days"), default=7, validators=[NumberRange(min=1, max=365)])


def _staff_choices() -> list[SelectChoice]:
    users = db.session.execute(
        sa.select(User).where(User.active.is_(True)).order_by(User.name).limit(500)).scalars()
    return [SelectChoice(u.id, f"{u.name} <{u.email}>") for u in users]


def _fail(error: DomainError) -> None:
    db.session.rollback()
    flash(error.message, "error")


def _form_errors(form: FlaskForm) -> None:
    for name, messages in form.errors.items():
        label = getattr(form, name).label.text if hasattr(form, name) else name
        flash(f"{label}: {'; '.join(str(m) for m in messages)}", "error")


def _titles() -> dict:
    return {"KIND_TITLES": KIND_TITLES, "LEVEL_TITLES": LEVEL_TITLES, "STATUS_TITLES": STATUS_TITLES,
            "FIELD_TITLES": FIELD_TITLES, "LENDING_TITLES": LENDING_TITLES}


@bp.get("/records")
@login_required
def index():
    filters = {key: request.args.get(key) or None for key in ("status", "kind", "confidentiality")}
    if filters["status"] not in (None, "open", "archived"):
        filters["status"] = None
    if filters["kind"] not in (None, *KINDS):
        filters["kind"] = None
    if filters["confidentiality"] not in (None, "normal", "confidential"):
        filters["confidentiality"] = None
    mine = request.args.get("mine") == "1"
    items, next_cursor = service.list_records(g.actor, **filters, mine=mine, limit=50,
                                              cursor=request.args.get("cursor"))
    owners = _names({r.owner_id for r in items})
    return render_template("records/list.html", items=items, next_cursor=next_cursor, filters=filters,
                           mine=mine, owners=owners,
                           can_create=has_permission(g.actor, "records.create"), **_titles())


def _names(user_ids) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.name).where(User.id.in_(list(user_ids))))
    return dict(rows.all())


@bp.route("/records/new", methods=["GET", "POST"])
@login_required
def new():
    form = RecordForm()
    if form.validate_on_submit():
        try:
            record = service.create_record(form.values(), g.actor)
            db.session.commit()
            flash(_("Record created."), "success")
            return redirect(url_for("records.detail", record_id=record.id))
        except DomainError as error:
            _fail(error)
    return render_template("records/new.html", form=form, **_titles())


@bp.get("/records/<record_id>")
@login_required
@keep_refusal_audit
@audited_read
def detail(record_id):
    record = service.read_record(record_id, g.actor)
    db.session.commit()  # the audited read
    actor = g.actor
    can_change = ((record.owner_id == actor.id or has_permission(actor, "records.archive"))
                  and (not record.archived or not policy.enabled(service.ARCHIVE)))
    edit_form = RecordForm(data={k: getattr(record, k) for k in service.EDITABLE})
    consent_form = ConsentForm(data={"consent_by": record.consent_by or ""})
    disclose_form = DiscloseForm()
    grant_form = GrantForm(prefix="grant")  # prefixes: one page, unique field ids
    lending_form = LendingForm(prefix="lending")
    staff = None
    if has_permission(actor, "records.grant") or has_permission(actor, "records.approve_lending"):
        staff = _staff_choices()
        grant_form.grantee_id.choices = staff
        lending_form.borrower_id.choices = staff
    grants = service.grants_of(record) if has_permission(actor, "records.grant") else []
    return render_template(
        "records/detail.html", record=record, attachments=service.attachments_of(record),
        disclosures=service.disclosures_of(record), grants=grants,
        names=_names({record.owner_id, record.created_by, record.archived_by, record.consent_recorded_by,
                      *(gr.grantee_id for gr in grants)} - {None}),
        can_change=can_change,
        can_close=(record.owner_id == actor.id or has_permission(actor, "records.archive"))
        and not record.archived,
        can_disclose=record.owner_id == actor.id or has_permission(actor, "records.disclose"),
        can_grant=has_permission(actor, "records.grant"),
        can_approve=has_permission(actor, "records.approve_lending"),
        consent_required=policy.enabled(service.RECORDING_CONSENT),
        edit_form=edit_form, upload_form=UploadForm(), consent_form=consent_form,
        disclose_form=disclose_form, grant_form=grant_form, lending_form=lending_form,
        close_form=FlaskForm(), **_titles())


def _back(record_id: str):
    return redirect(url_for("records.detail", record_id=record_id))


@bp.post("/records/<record_id>/edit")
@login_required
@keep_refusal_audit
def edit(record_id):
    form = RecordForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(record_id)
    try:
        service.update_record(record_id, form.values(), g.actor)
        db.session.commit()
        flash(_("Saved."), "success")
    except DomainError as error:
        if isinstance(error, service.ReadRefused):
            raise
        _fail(error)
    return _back(record_id)


def _action(record_id: str, call, done: str):
    """Run one service call for a form post; flash the outcome; back to the record."""
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(record_id)
    try:
        call()
        db.session.commit()
        flash(done, "success")
    except service.ReadRefused:
        raise
    except DomainError as error:
        _fail(error)
    return _back(record_id)


@bp.post("/records/<record_id>/close")
@login_required
@keep_refusal_audit
def close(record_id):
    return _action(record_id, lambda: service.close_record(record_id, g.actor),
                   _("The record is closed and archived."))


@bp.post("/records/<record_id>/consent")
@login_required
@keep_refusal_audit
def consent(record_id):
    form = ConsentForm()
    return _action(record_id, lambda: service.record_consent(
        record_id, given=not form.withdraw.data, consent_by=form.consent_by.data or "", actor=g.actor),
        _("Consent withdrawn.") if form.withdraw.data else _("Consent on file."))


@bp.post("/records/<record_id>/attachments")
@login_required
@keep_refusal_audit
def add_attachment(record_id):
    form = UploadForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(record_id)
    return _action(record_id, lambda: service.add_attachment(record_id, form.file.data, g.actor),
                   _("File attached."))


@bp.get("/records/<record_id>/attachments/<attachment_id>")
@login_required
@keep_refusal_audit
@audited_read
def download(record_id, attachment_id):
    attachment, path = service.open_attachment(record_id, attachment_id, g.actor)
    db.session.commit()
    return send_file(path, mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.filename, conditional=False, etag=False)


@bp.post("/records/<record_id>/disclosures")
@login_required
@keep_refusal_audit
def disclose(record_id):
    form = DiscloseForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(record_id)
    data = {"type": form.type.data, "reason": form.reason.data or "",
            "recipients": [line for line in (form.recipients.data or "").splitlines() if line.strip()],
            "fields": form.fields_to_disclose.data or [], "authority": form.authority.data,
            "legal_basis": form.legal_basis.data}
    try:
        disclosure, values = service.disclose(record_id, data, g.actor)
        db.session.commit()
    except service.ReadRefused:
        raise
    except DomainError as error:
        _fail(error)
        return _back(record_id)
    # The disclosure sheet: exactly what may be handed over, to whom and why
    return render_template("records/disclosure.html", disclosure=disclosure, values=values,
                           record_id=record_id, **_titles())


@bp.post("/records/<record_id>/grants")
@login_required
def grant(record_id):
    form = GrantForm(prefix="grant")
    form.grantee_id.choices = _staff_choices()
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(record_id)
    data = {"grantee_id": form.grantee_id.data, "reason": form.reason.data,
            "expires_at": utcnow() + timedelta(days=form.days.data)}
    return _action(record_id, lambda: service.grant_read(record_id, data, g.actor), _("Access granted."))


@bp.post("/records/<record_id>/lending-approvals")
@login_required
def approve_lending(record_id):
    form = LendingForm(prefix="lending")
    form.borrower_id.choices = _staff_choices()
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(record_id)
    data = {"borrower_id": form.borrower_id.data, "action": form.action.data,
            "purpose": form.purpose.data, "expires_at": utcnow() + timedelta(days=form.days.data)}
    return _action(record_id, lambda: service.approve_lending(record_id, data, g.actor),
                   _("Approval recorded."))


@bp.get("/records/<record_id>/export")
@login_required
@keep_refusal_audit
@audited_read
def export(record_id):
    anonymised = request.args.get("anonymised", "1") != "0"
    purpose = request.args.get("purpose") or None
    if purpose not in (None, "case_discussion", "teaching", "research", "lending", "other"):
        purpose = None
    try:
        result = service.export_record(record_id, g.actor, anonymised=anonymised, purpose=purpose)
        db.session.commit()
    except service.ReadRefused:
        raise
    except DomainError as error:
        _fail(error)
        return _back(record_id)
    return render_template("records/export.html", result=result, record_id=record_id, **_titles())
