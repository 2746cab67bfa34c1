"""consultdesk: a multi-tenant consultation desk that enforces each tenant's written policy."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

from flask import Flask

MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings from the environment, overridden by ``config``."""
    from core import config as settings
    from core.extensions import babel, csrf, db, limiter, login_manager, migrate

    app = Flask(__name__, instance_path=str(_instance_path()), instance_relative_config=True)
    from core.json_provider import OrjsonProvider

    app.json = OrjsonProvider(app)
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.settings_from_environment(Path(app.instance_path)))
    app.config.update(config or {})
    app.config["SESSION_COOKIE_SECURE"] = app.config.get(
        "SESSION_COOKIE_SECURE", app.config["CONSULTDESK_ENV"] == "production")
    settings.check_production(app.config)
    if "RATELIMIT_STORAGE_URI" not in app.config:
        # Redis shares the counts between workers; memory:// is per process (one-machine demo)
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"

    db.init_app(app)
    _configure_sqlite(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True,
                     compare_type=True)
    if _version_locations not in migrate.configure_callbacks:
        migrate.configure(_version_locations)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    from core.i18n import init_babel

    init_babel(app, babel)

    _load_plugins(app)
    _register_routes(app)
    from core.errors import register_error_handlers

    register_error_handlers(app)
    from core.cli import register_commands

    register_commands(app)
    return app


def _instance_path() -> Path:
    return Path(os.environ.get("CONSULTDESK_INSTANCE", Path.cwd() / "instance")).resolve()


def _configure_sqlite(app: Flask) -> None:
    """WAL with synchronous=FULL (an acknowledged write survives a crash), foreign keys on,
    writers queueing for the write lock (core/sqlite.py)."""
    from core import sqlite

    sqlite.configure(_may_write)


def _may_write() -> bool:
    """Whether this transaction may write: SQLite then takes the write lock at BEGIN.

    A deferred transaction that reads and then writes fails at once ("database is locked")
    when another process has written in between; with BEGIN IMMEDIATE it waits its turn
    (busy_timeout) instead. Page and API reads (GET, HEAD) stay deferred so that they run
    side by side, except audited reads (web.audited_read), and so does the authentication read
    of a writing API request (web.py).
    """
    from flask import g, has_request_context

    from core.web import request_writes

    if not has_request_context():
        return True
    return request_writes() and not g.get("reading_credentials")


def _load_plugins(app: Flask) -> None:
    from core.plugin_system.manager import PluginSystem
    from core.policy import RuleRegistry

    system = PluginSystem()
    system.load(app)
    app.extensions["consultdesk.plugins"] = system
    system.pm.hook.register_models()  # imports every plugin's models before mappers configure
    rules = RuleRegistry()
    for plugin_name, rule in system.collect("register_rules"):
        rules.add(plugin_name, rule)
    app.extensions["consultdesk.rules"] = rules
    app.extensions["consultdesk.policy_cache"] = OrderedDict()
    plugin_dirs = [str(d) for _, d in system.collect("register_migration_dirs")]
    app.extensions["consultdesk.migration_dirs"] = plugin_dirs


def _version_locations(config):
    """Alembic looks for revisions in migrations/versions and in every plugin's directory."""
    from flask import current_app

    dirs = [str(MIGRATIONS_DIR / "versions"), *current_app.extensions["consultdesk.migration_dirs"]]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(dirs))
    return config


def _register_routes(app: Flask) -> None:
    from flask_smorest import Api

    from core import health, openapi, web
    from core.capabilities import collect
    from core.extensions import csrf
    from core.home import pages as home_pages
    from core.platform import api as platform_api_views
    from core.platform import pages as platform_pages
    from core.plugin_system.mount import mount_plugin_blueprints

    web.install(app)
    tenant_api = Api(app, config_prefix="TENANT", spec_kwargs=openapi.spec_kwargs("tenant"))
    platform_api = Api(app, config_prefix="PLATFORM", spec_kwargs=openapi.spec_kwargs("platform"))
    for api in (tenant_api, platform_api):
        openapi.install_converters(api)
    app.extensions["consultdesk.apis"] = {"tenant": tenant_api, "platform": platform_api}
    for blp in collect("api", "blp"):
        csrf.exempt(blp)  # the API authenticates with bearer tokens only, never cookies
        tenant_api.register_blueprint(blp, url_prefix=web.TENANT_API_PREFIX,
                                      parameters=[openapi.SLUG_PARAMETER])
    for bp in collect("pages", "bp"):
        app.register_blueprint(bp, url_prefix="/t/<slug>")
    csrf.exempt(platform_api_views.blp)
    platform_api.register_blueprint(platform_api_views.blp, url_prefix=web.PLATFORM_API_PREFIX)
    app.register_blueprint(home_pages.landing)
    app.register_blueprint(platform_pages.bp, url_prefix="/platform")
    mount_plugin_blueprints(app, app.extensions["consultdesk.plugins"])
    app.register_blueprint(openapi.bp)
    app.register_blueprint(health.bp)
