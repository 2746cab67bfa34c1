"""Pages: the follow-ups to make today, and the survey form."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import AnyOf, NumberRange, Optional

from core.errors import DomainError
from core.extensions import db
from core.followups import service

bp = Blueprint("followups", __name__, template_folder="templates")


class SurveyForm(FlaskForm):
    object_type = HiddenField()
    object_id = HiddenField()
    score = IntegerField(validators=[Optional(), NumberRange(min=1, max=5)])  # radios in the page
    declined = BooleanField()
    experience = TextAreaField()
    gains = TextAreaField()
    suggestions = TextAreaField()


class OutcomeForm(FlaskForm):
    outcome = StringField(validators=[AnyOf(service.OUTCOMES)])  # a <select> in the page
    notes = TextAreaField()


@bp.get("/follow-ups")
@login_required
def due():
    items, next_cursor = service.list_follow_ups(g.actor, due_only=request.args.get("all") is None,
                                                 limit=50, cursor=request.args.get("cursor"))
    return render_template("followups/due.html", items=items, next_cursor=next_cursor,
                           form=OutcomeForm())


@bp.post("/follow-ups/<follow_up_id>/outcome")
@login_required
def outcome(follow_up_id):
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            service.record_outcome(follow_up_id, form.outcome.data, form.notes.data, g.actor)
            db.session.commit()
            flash(_("Follow-up recorded."), "info")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
    return redirect(url_for("followups.due"))


@bp.route("/surveys/new", methods=["GET", "POST"])
@login_required
def survey():
    form = SurveyForm(object_type=request.args.get("object_type"),
                      object_id=request.args.get("object_id"))
    if form.validate_on_submit():
        answers = {"declined": form.declined.data, "experience": form.experience.data,
                   "gains": form.gains.data, "suggestions": form.suggestions.data,
                   "score": form.score.data}
        try:
            service.record_survey(form.object_type.data, form.object_id.data, answers, g.actor)
            db.session.commit()
            flash(_("Survey recorded."), "info")
            return redirect(request.args.get("next") or url_for("home.index"))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
    return render_template("followups/survey.html", form=form)
