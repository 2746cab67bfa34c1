"""Platform pages: the hosting admin signs in and sees, suspends and resumes tenants."""

from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from flask_wtf import FlaskForm

from core.errors import DomainError
from core.extensions import db
from core.identity import service as identity
from core.identity.pages import sign_in_form
from core.identity.throttle import signin_limits
from core.web import public_endpoint
from tenants import provisioning

bp = Blueprint("platform_pages", __name__, template_folder="../templates")


@bp.before_request
def only_platform_admins():
    if g.get("actor") is not None and not g.actor.is_platform_admin:
        abort(403)


@bp.route("/login", methods=["GET", "POST"])
@public_endpoint
@signin_limits
def login():
    return sign_in_form(identity.authenticate_platform_admin, "platform/login.html",
                        "platform_pages.tenants")


@bp.get("/")
@login_required
def tenants():
    return render_template("platform/tenants.html", tenants=provisioning.list_tenants(),
                           form=FlaskForm())


@bp.post("/tenants/<tenant_slug>/<action>")
@login_required
def change_status(tenant_slug, action):
    if action not in ("suspend", "resume") or not FlaskForm().validate_on_submit():
        abort(400)
    status = "suspended" if action == "suspend" else "active"
    try:
        provisioning.set_status(tenant_slug, status, actor=g.actor)
        db.session.commit()
        flash(_("%(slug)s is now %(status)s.", slug=tenant_slug, status=_(status)), "info")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("platform_pages.tenants"))


@bp.post("/logout")
@login_required
def logout():
    identity.end_session(g.actor.session_key)
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("platform_pages.login"))
