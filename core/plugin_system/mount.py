"""Mounts plugins' blueprints and gates them: 404 for tenants that have not enabled the plugin."""

from __future__ import annotations

import flask
import flask_smorest
from flask import Flask, g
from flask_babel import gettext as _

from core.errors import NotFound
from core.extensions import apis, csrf, login_manager
from core.plugin_system.manager import PluginSystem
from core.policy import current_policy
from core.web import TENANT_API_PREFIX


def _gate(plugin_name: str, *, pages: bool):
    def only_for_enabling_tenants():
        if g.get("tenant") is None or plugin_name not in current_policy().plugins:
            raise NotFound(_("Not found."))
        if pages and g.get("actor") is None:
            # pages need a signed-in user of this tenant; API auth happened in core.web
            return login_manager.unauthorized()

    return only_for_enabling_tenants


def page_snippets(page: str) -> list[str]:
    """Templates the current tenant's enabled plugins include in core page ``page``."""
    if g.get("tenant") is None:
        return []
    from core.plugin_system.manager import tenant_hooks

    return [name for batch in tenant_hooks().register_page_snippets(page=page) for name in batch]


def mount_plugin_blueprints(app: Flask, system: PluginSystem) -> dict[str, list[str]]:
    """Register every installed plugin's blueprints; remember which plugin owns which area."""
    from core.openapi import SLUG_PARAMETER

    app.jinja_env.globals["page_snippets"] = page_snippets

    areas: dict[str, str] = {}
    for plugin_name, blueprint in system.collect("register_blueprints"):
        area = system.info[plugin_name].area
        if not area:
            raise RuntimeError(f"plugin {plugin_name} has blueprints but no AREA")
        areas[area] = plugin_name
        # The gate is installed on the app, keyed by blueprint, so that a blueprint object
        # registered on several apps (tests, embedding) gets exactly one gate per app.
        if isinstance(blueprint, flask_smorest.Blueprint):
            app.before_request_funcs.setdefault(blueprint.name, []).append(
                _gate(plugin_name, pages=False))
            csrf.exempt(blueprint)
            apis(app)["tenant"].register_blueprint(blueprint, url_prefix=f"{TENANT_API_PREFIX}/{area}",
                                          parameters=[SLUG_PARAMETER])
        elif isinstance(blueprint, flask.Blueprint):
            app.before_request_funcs.setdefault(blueprint.name, []).append(
                _gate(plugin_name, pages=True))
            app.register_blueprint(blueprint, url_prefix=f"/t/<slug>/{area}")
    app.extensions["consultdesk.plugin_areas"] = areas
    return areas
