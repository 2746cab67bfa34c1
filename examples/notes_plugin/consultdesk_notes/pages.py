"""Notes page, at /t/<slug>/notes/: the same service as the API."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from consultdesk_notes import service
from core.errors import DomainError
from core.extensions import db

bp = Blueprint("notes_pages", __name__, template_folder="templates")


class NoteForm(FlaskForm):
    body = TextAreaField("Note", validators=[DataRequired()])


@bp.route("/", methods=["GET", "POST"])
def index():
    form = NoteForm()
    if form.validate_on_submit():
        try:
            service.add_note(form.body.data, g.actor)
            db.session.commit()
            return redirect(url_for("notes_pages.index"))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
    notes, _ = service.list_notes(limit=50, cursor=None)
    return render_template("notes/index.html", form=form, notes=notes)
