"""The property desk's pages, at /t/<slug>/property/: the supervisor's daily review, the
manager's weekly review, coordination and approval of an inquiry, the information archive,
outside events and the daily work record. They call the same service functions as the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.errors import DomainError
from core.extensions import db
from core.identity.permissions import has_permission
from core.inquiries import service as inquiries
from plugins.property_frontdesk import service
from plugins.property_frontdesk.api import work_record_file

bp = Blueprint("property_pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/property")


class DailyReviewForm(FlaskForm):
    remarks = TextAreaField(_l("Remarks on the day's ledger"), validators=[Optional(), Length(max=10000)])
    arrangements = TextAreaField(_l("Follow-up arrangements"), validators=[Optional(), Length(max=10000)])
    important_items = TextAreaField(_l("Important items for the department manager"),
                                    validators=[Optional(), Length(max=10000)])


class WeeklyReviewForm(FlaskForm):
    effect = TextAreaField(_l("Effect of the desk's work"), validators=[Optional(), Length(max=10000)])
    guidance = TextAreaField(_l("Guidance"), validators=[Optional(), Length(max=10000)])
    important_items = TextAreaField(_l("Important items for company leadership"),
                                    validators=[Optional(), Length(max=10000)])


class CoordinationForm(FlaskForm):
    department = StringField(_l("Department"), validators=[Optional(), Length(max=60)])
    input = TextAreaField(_l("The department's input"), validators=[Optional(), Length(max=10000)])
    agreed = BooleanField(_l("The department agrees with the answer"), default=True)


class DecisionForm(FlaskForm):
    decision = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=10000)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=10000)])


class InfoForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=60)])
    content = TextAreaField(_l("Content"), validators=[Optional(), Length(max=10000)])
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=300)])


class EventForm(FlaskForm):
    organiser = StringField(_l("Organiser"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    support_needed = TextAreaField(_l("Support needed"), validators=[Optional(), Length(max=10000)])


def _day_arg() -> date:
    raw = request.args.get("date", "")
    if not raw:
        return service.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)


def _done(message: str, target: str):
    db.session.commit()
    flash(message, "success")
    return redirect(target)


def _failed(error: DomainError):
    db.session.rollback()
    flash(error.message, "error")


@bp.app_context_processor
def property_nav():
    return {"property_can": lambda name: has_permission(g.get("actor"), name)}


# --- reviews ----------------------------------------------------------------------------------


@bp.route("/reviews/daily", methods=["GET", "POST"])
def daily_review():
    """The supervisor's check of a day's ledger: the rows, then remarks and arrangements."""
    day = _day_arg()
    form = DailyReviewForm()
    if form.validate_on_submit():
        try:
            service.record_daily_review(day, form.data, g.actor)
            return _done(_("The review of %(day)s is recorded.", day=day.isoformat()),
                         url_for("property_pages.daily_review", date=day.isoformat()))
        except DomainError as error:
            _failed(error)
    rows = service.day_ledger(day, g.actor)
    review = service.get_daily_review(day)
    if review is not None and request.method == "GET":
        form.remarks.data, form.arrangements.data = review.remarks, review.arrangements
        form.important_items.data = review.important_items
    names = service._user_names([review.reviewer_id] if review else [])
    return render_template("property/daily_review.html", form=form, rows=rows, day=day, review=review,
                           reviewer=names.get(review.reviewer_id) if review else None,
                           today=service.today(), previous_day=day - timedelta(days=1),
                           next_day=day + timedelta(days=1),
                           can_review=has_permission(g.actor, "property.review_daily"))


@bp.route("/reviews/weekly", methods=["GET", "POST"])
def weekly_review():
    day = _day_arg()
    start = service.week_start(day)
    form = WeeklyReviewForm()
    if form.validate_on_submit():
        try:
            service.record_weekly_review(start, form.data, g.actor)
            return _done(_("The weekly review is recorded."),
                         url_for("property_pages.weekly_review", date=start.isoformat()))
        except DomainError as error:
            _failed(error)
    reviews = service.get_weekly_reviews(start)
    names = service._user_names(r.reviewer_id for r in reviews)
    days = []
    for offset in range(7):
        current = start + timedelta(days=offset)
        rows = inquiries.ledger_rows(current, g.actor)
        days.append({"day": current, "rows": rows, "review": service.get_daily_review(current)})
    return render_template("property/weekly_review.html", form=form, start=start, days=days,
                           reviews=reviews, names=names, previous_week=start - timedelta(days=7),
                           next_week=start + timedelta(days=7),
                           can_review=has_permission(g.actor, "property.review_weekly"),
                           flags=service.list_flags(limit=20))


# --- one inquiry: coordination and approval ---------------------------------------------------


@bp.route("/inquiries/<inquiry_id>", methods=["GET", "POST"])
def inquiry(inquiry_id):
    record = inquiries.get_inquiry(inquiry_id, g.actor)
    coordination, decision = CoordinationForm(prefix="c"), DecisionForm(prefix="d")
    approval = NoteForm(prefix="a")
    step = request.form.get("step")
    target = url_for("property_pages.inquiry", inquiry_id=inquiry_id)
    if request.method == "POST":
        try:
            if step == "coordination" and coordination.validate_on_submit():
                service.add_coordination(inquiry_id, {"department": coordination.department.data,
                                                      "input": coordination.input.data,
                                                      "agreed": coordination.agreed.data}, g.actor)
                return _done(_("The department's input is recorded."), target)
            if step == "decision" and decision.validate_on_submit():
                service.decide_coordination(inquiry_id, {"decision": decision.decision.data}, g.actor)
                return _done(_("The decision is recorded."), target)
            if step == "approval" and approval.validate_on_submit():
                service.request_approval(inquiry_id, approval.note.data, g.actor)
                return _done(_("Approval has been asked for."), target)
            flash(_("Check the form."), "error")
        except DomainError as error:
            _failed(error)
    return render_template(
        "property/inquiry.html", inquiry=record, coordination=coordination, decision=decision,
        approval=approval, coordinations=service.coordinations(inquiry_id),
        approvals=service.approvals_of(inquiry_id), department=service.specialist_department(record),
        out_of_scope=service.out_of_scope(record), departments=inquiries.department_names())


@bp.route("/approvals", methods=["GET", "POST"])
def approvals():
    form = NoteForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.decide_approval(request.form.get("approval_id", ""), request.form.get("approve") == "1",
                                    form.note.data, g.actor)
            return _done(_("The decision is recorded."), url_for("property_pages.approvals"))
        except DomainError as error:
            _failed(error)
    items, _cursor = service.list_approvals(g.actor, status=None, limit=100, cursor=None)
    return render_template("property/approvals.html", items=items, form=form,
                           can_approve=has_permission(g.actor, "property.approve"))


# --- information archive ----------------------------------------------------------------------


@bp.route("/info", methods=["GET", "POST"])
def info():
    form = InfoForm()
    if form.validate_on_submit():
        try:
            service.add_info(form.data, g.actor)
            return _done(_("The entry is in the archive."), url_for("property_pages.info"))
        except DomainError as error:
            _failed(error)
    q = request.args.get("q", "").strip()[:200]
    items, _cursor = service.search_info(g.actor, q=q, category=None, limit=100, cursor=None)
    return render_template("property/info.html", items=items, form=form, q=q,
                           can_manage=has_permission(g.actor, "property.info_manage"),
                           categories=inquiries.category_names())


@bp.get("/info/search")
def info_search():
    """JSON for the ledger's new-inquiry form (the signed-in session; the API needs a token)."""
    q = request.args.get("q", "").strip()[:200]
    if not q:
        return jsonify({"items": []})
    items, _cursor = service.search_info(g.actor, q=q, category=None, limit=8, cursor=None)
    return jsonify({"items": [{"id": e.id, "title": e.title, "content": e.content, "phone": e.phone or "",
                               "category": e.category or ""} for e in items]})


@bp.route("/info/<entry_id>", methods=["GET", "POST"])
def info_entry(entry_id):
    entry = service.get_info(entry_id, g.actor)
    form = InfoForm(obj=entry)
    if request.method == "POST" and request.form.get("delete") == "1":
        try:
            service.delete_info(entry_id, g.actor)
            return _done(_("The entry is deleted."), url_for("property_pages.info"))
        except DomainError as error:
            _failed(error)
    elif form.validate_on_submit():
        try:
            service.update_info(entry_id, form.data, g.actor)
            return _done(_("The entry is saved."), url_for("property_pages.info"))
        except DomainError as error:
            _failed(error)
    return render_template("property/info_entry.html", entry=entry, form=form,
                           can_manage=has_permission(g.actor, "property.info_manage"))


# --- outside events ---------------------------------------------------------------------------


@bp.route("/events", methods=["GET", "POST"])
def events():
    form = EventForm()
    if form.validate_on_submit():
        try:
            service.propose_event(form.data, g.actor)
            return _done(_("The event is registered and waits for approval."),
                         url_for("property_pages.events"))
        except DomainError as error:
            _failed(error)
    items, _cursor = service.list_events(g.actor, status=None, limit=100, cursor=None)
    return render_template("property/events.html", items=items, form=form, note=NoteForm(prefix="n"))


@bp.post("/events/<event_id>/<step>")
def event_step(event_id, step):
    form = NoteForm(prefix="n")
    if not form.validate_on_submit():
        abort(400)
    try:
        if step == "approve":
            service.decide_event(event_id, True, form.note.data, g.actor)
        elif step == "refuse":
            service.decide_event(event_id, False, form.note.data, g.actor)
        elif step == "schedule":
            service.schedule_event(event_id, g.actor)
        elif step == "support":
            service.arrange_support(event_id, form.note.data, g.actor)
        else:
            abort(404)
        return _done(_("Saved."), url_for("property_pages.events"))
    except DomainError as error:
        _failed(error)
    return redirect(url_for("property_pages.events"))


# --- daily work record ------------------------------------------------------------------------


@bp.get("/work-record")
def work_record():
    day = _day_arg()
    record = service.work_record(day, g.actor)
    return render_template("property/work_record.html", record=record, day=day,
                           previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
                           printed_at=datetime.now(service.calendar().zone))


@bp.get("/work-record.xlsx")
def work_record_xlsx():
    return work_record_file(service.work_record(_day_arg(), g.actor))
