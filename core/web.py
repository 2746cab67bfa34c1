"""The request lifecycle: the tenant from the URL, the actor from a session or a token.

``/t/<slug>/...`` loads the tenant once per request and makes it the current tenant (an
unknown slug is 404, a suspended tenant 403). Tenant API paths authenticate with a bearer
token of that tenant only; tenant pages with the Flask-Login session of that tenant only;
platform paths with platform-admin credentials only.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import Forbidden, NotFound, Unauthorized
from core.extensions import db, login_manager
from core.identity import service as identity
from core.tenancy import find_tenant, reset_current_tenant, set_current_tenant

TENANT_API_PREFIX = "/t/<slug>/api/v1"
PLATFORM_API_PREFIX = "/platform/api/v1"
WRITING_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def public_endpoint(view):
    """Mark a view that needs no signed-in actor (sign-in, the OpenAPI document)."""
    view.is_public = True
    return view


def audited_read(view):
    """Mark a view that writes although it only reads: an audited read of confidential data
    (a record, an attachment, a complaint's details, a list naming complainants).

    Its transaction takes SQLite's write lock at BEGIN, as a POST's does (core._may_write): a
    read transaction that starts writing fails at once when another process wrote since it
    began (SQLITE_BUSY_SNAPSHOT), and a reader must not be refused for that. audit.record
    refuses to write during an unmarked GET in tests, so no such view goes unmarked.
    """
    view.audited_read = True
    return view


def _view_flag(name: str, *, missing: bool = False) -> bool:
    """The flag ``name`` of the view (or MethodView method) serving this request."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return missing  # 404 / 405 follow
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = getattr(view_class, request.method.lower(), None)
        if method is None and request.method == "HEAD":
            method = getattr(view_class, "get", None)
        return bool(getattr(method, name, False))
    return bool(getattr(view, name, False))


def _is_public() -> bool:
    return _view_flag("is_public", missing=True)


def request_writes() -> bool:
    """Whether this request may write: a POST, PUT, PATCH or DELETE, or an audited read."""
    return request.method in WRITING_METHODS or _view_flag("audited_read")


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def _is_tenant_api_path(slug: str) -> bool:
    return request.path.startswith(f"/t/{slug}/api/")


def request_area() -> str:
    """'tenant_api', 'tenant_pages', 'platform_api', 'platform_pages' or 'other'."""
    if g.get("tenant") is not None:
        return "tenant_api" if _is_tenant_api_path(g.tenant.slug) else "tenant_pages"
    if request.path.startswith("/platform/api/"):
        return "platform_api"
    if request.path.startswith("/platform"):
        return "platform_pages"
    return "other"


def enabled_plugin_infos():
    from core.plugin_system.manager import plugin_system
    from core.policy import current_policy

    system = plugin_system()
    return [system.info[name] for name in sorted(current_policy().plugins) if name in system.info]


def _read_credentials(slug: str, raw: str):
    """identity.tenant_and_token_principal, in a transaction of its own on SQLite when the request
    writes: SQLite has one writer at a time, and a writing request holds the write lock from
    its first statement (core/sqlite.py). Reading the token under that lock made every create
    wait for the previous one's authentication and argument parsing too; now the lock is taken
    at the request's first statement after authentication. The tenant comes back
    detached, so ending this transaction does not expire it."""
    writing = request_writes() and db.session.get_bind().dialect.name == "sqlite"
    g.reading_credentials = writing  # core._may_write: begin this one deferred, without the lock
    try:
        found = identity.tenant_and_token_principal(slug, raw)
    finally:
        g.reading_credentials = False
    if writing:
        db.session.rollback()
    return found


def install(app: Flask) -> None:
    @app.url_value_preprocessor
    def load_tenant_from_url(endpoint, values):
        if not values or "slug" not in values:
            return
        slug = values.pop("slug")
        raw = _bearer()
        if raw and _is_tenant_api_path(slug):
            # an API call: the tenant and the token's owner in one query (see authenticate_actor)
            tenant, g._bearer_principal = _read_credentials(slug, raw)
        else:
            tenant = find_tenant(slug)
        if tenant is None:
            raise NotFound(_("No such tenant."))
        g.tenant = tenant
        g._tenant_token = set_current_tenant(tenant)
        if not tenant.active:
            raise Forbidden(_("This organisation's account is suspended."))

    @app.url_defaults
    def add_tenant_slug(endpoint, values):
        if "slug" in values or g.get("tenant") is None:
            return
        if app.url_map.is_endpoint_expecting(endpoint, "slug"):
            values["slug"] = g.tenant.slug

    @app.teardown_request
    def forget_tenant(exc):
        token = g.pop("_tenant_token", None)
        if token is not None:
            reset_current_tenant(token)

    @app.after_request
    def security_headers(response):
        """OWASP ASVS 5 level 2 response headers: no framing, no sniffing, no caching of data."""
        headers = response.headers
        headers.setdefault("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                           "form-action 'self'; base-uri 'none'; object-src 'none'")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if g.get("actor") is not None or request.path.startswith(("/t/", "/platform")):
            headers.setdefault("Cache-Control", "no-store")
        if app.config["CONSULTDESK_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.before_request
    def authenticate_actor():
        area = request_area()
        g.actor = None
        if area in ("tenant_api", "platform_api"):
            if area == "tenant_api":  # looked up with the tenant (load_tenant_from_url)
                g.actor = g.pop("_bearer_principal", None)
            elif raw := _bearer():
                g.actor = identity.platform_token_principal(raw)
            if g.actor is None and not _is_public():
                raise Unauthorized(_("A valid bearer token is required."))
        elif area in ("tenant_pages", "platform_pages"):
            if current_user.is_authenticated:
                g.actor = current_user._get_current_object()


@login_manager.user_loader
def load_session_principal(key: str):
    """Flask-Login: the account of a live server-side session valid in this part of the site."""
    area = request_area()
    if area == "tenant_pages" and key.startswith("t:"):
        return identity.session_principal(key)
    if area == "platform_pages" and key.startswith("p:"):
        return identity.session_principal(key)
    return None
