"""Tenant pages: sign-in, sign-out and one's own password."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from core.errors import DomainError
from core.extensions import db, login_manager
from core.identity import service
from core.identity.forms import PasswordForm, SignInForm
from core.identity.throttle import signin_limits
from core.web import public_endpoint

bp = Blueprint("identity", __name__, template_folder="../templates")


def sign_in(principal) -> None:
    """Start a fresh server-side session (a new key: no session fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    principal.session_key = service.start_session(principal)
    login_user(principal)


def _safe_next(default: str) -> str:
    """Where to go after signing in: ?next= when it is a path of this part of the site."""
    target = request.args.get("next", "")
    prefix = f"/t/{g.tenant.slug}/" if g.get("tenant") is not None else "/platform/"
    if target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return default


def sign_in_form(authenticate, template: str, home: str, **context):
    """The sign-in page of tenants and of the platform: one form, one throttle, one audit."""
    form = SignInForm()
    if form.validate_on_submit():
        principal = authenticate(form.email.data, form.password.data)
        if principal is not None:
            sign_in(principal)
            db.session.commit()
            return redirect(_safe_next(url_for(home)))
        g.signin_failed = True
        db.session.commit()  # keep the audit of the failure
        flash(_("Wrong e-mail or password."), "error")
    return render_template(template, form=form, **context)


@bp.route("/login", methods=["GET", "POST"])
@public_endpoint
@signin_limits
def login():
    return sign_in_form(service.authenticate, "login.html", "home.index", tenant=g.tenant)


@bp.post("/logout")
@login_required
def logout():
    service.end_session(g.actor.session_key)
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("identity.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_own_password(g.actor, form.current_password.data, form.new_password.data)
        except DomainError as error:
            db.session.rollback()
            flash(_("The password was not changed: %(reason)s", reason=error.message), "error")
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Password changed. Please sign in again."), "info")
            return redirect(url_for("identity.login"))
    return render_template("password.html", form=form)


@login_manager.unauthorized_handler
def unauthorized():
    from core.errors import Unauthorized

    if g.get("tenant") is not None:
        return redirect(url_for("identity.login", next=request.path))
    if request.path.startswith("/platform") and "/api/" not in request.path:
        return redirect(url_for("platform_pages.login", next=request.path))
    raise Unauthorized(_("Sign in first."))
