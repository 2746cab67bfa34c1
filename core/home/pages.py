"""Home page: the tenant, the user's roles, enabled plugins and their dashboard items."""

from flask import Blueprint, g, redirect, render_template, url_for
from flask_login import login_required

from core.identity.permissions import role_book
from core.plugin_system.manager import tenant_hooks
from core.web import enabled_plugin_infos

bp = Blueprint("home", __name__, template_folder="../templates")


@bp.get("/")
@login_required
def index():
    book = role_book()
    roles = [book.roles[r] for r in g.actor.roles if r in book.roles]
    items = [item for batch in tenant_hooks().register_dashboard_items(user=g.actor)
             for item in batch]
    plugins = [p for p in enabled_plugin_infos() if p.name != "core"]
    return render_template("home.html", roles=roles, plugins=plugins, items=items)


@bp.get("")
def bare():
    return redirect(url_for("home.index"))


landing = Blueprint("landing", __name__, template_folder="../templates")


@landing.get("/")
def welcome():
    """The bare address: where to sign in (each organisation has its own address)."""
    return render_template("landing.html")
