"""Platform API (hosting admins): tokens, tenants, plugins."""

from dataclasses import asdict

from flask import g
from flask_babel import gettext as _
from flask_smorest import Blueprint

from core.errors import Forbidden, Unauthorized
from core.extensions import db
from core.identity import schemas as identity_schemas
from core.identity import service as identity
from core.identity.throttle import signin_limits
from core.platform import schemas
from core.plugin_system.manager import plugin_system
from core.web import audited_read, public_endpoint
from tenants import provisioning

blp = Blueprint("platform_api", __name__, description="Provisioning tenants (hosting admins)")


@blp.before_request
def only_platform_admins():
    if g.get("actor") is not None and not g.actor.is_platform_admin:
        raise Forbidden(_("Platform admins only."))


@blp.route("/auth/token", methods=["POST"])
@public_endpoint
@signin_limits
@blp.arguments(identity_schemas.TokenRequest())
@blp.response(200, identity_schemas.TokenResponse)
def create_token(body):
    """Exchange a platform admin's e-mail and password for a bearer token."""
    admin = identity.authenticate_platform_admin(body["email"], body["password"])
    if admin is None:
        g.signin_failed = True
        db.session.commit()
        raise Unauthorized(_("Wrong e-mail or password."))
    token, expires_at = identity.issue_token(admin)
    db.session.commit()
    return {"token": token, "expires_at": expires_at}


@blp.route("/tenants", methods=["GET"])
@blp.arguments(schemas.TenantListArgs(), location="query")
@blp.response(200, schemas.TenantList)
def list_tenants(args):
    """All tenants, by slug."""
    rows = provisioning.list_tenants(after=args["cursor"], limit=args["limit"] + 1)
    items = rows[: args["limit"]]
    next_cursor = items[-1]["slug"] if len(rows) > args["limit"] else None
    return {"items": items, "next_cursor": next_cursor}


@blp.route("/tenants", methods=["POST"])
@blp.arguments(schemas.TenantCreate())
@blp.response(201, schemas.TenantOut)
def create_tenant(body):
    """Provision a tenant from a variant preset, with its first admin."""
    tenant = provisioning.create_tenant(
        body["slug"], name=body["name"], variant=body["variant"],
        admin_email=body["admin_email"], admin_password=body["admin_password"],
        admin_name=body.get("admin_name"), actor=g.actor)
    db.session.commit()
    return _tenant_row(tenant.slug)


def _tenant_row(slug: str) -> dict:
    return provisioning.list_tenants(slug=slug)[0]


@blp.route("/tenants/<tenant_slug>", methods=["GET"])
@blp.response(200, schemas.TenantOut)
def get_tenant(tenant_slug):
    """One tenant."""
    provisioning.get_tenant(tenant_slug)
    return _tenant_row(tenant_slug)


@blp.route("/tenants/<tenant_slug>/suspend", methods=["POST"])
@blp.response(200, schemas.TenantOut)
def suspend(tenant_slug):
    """Suspend a tenant: its users get 403 until it is resumed."""
    provisioning.set_status(tenant_slug, "suspended", actor=g.actor)
    db.session.commit()
    return _tenant_row(tenant_slug)


@blp.route("/tenants/<tenant_slug>/resume", methods=["POST"])
@blp.response(200, schemas.TenantOut)
def resume(tenant_slug):
    """Resume a suspended tenant."""
    provisioning.set_status(tenant_slug, "active", actor=g.actor)
    db.session.commit()
    return _tenant_row(tenant_slug)


@blp.route("/tenants/<tenant_slug>/export", methods=["GET"])
@blp.response(200)
@audited_read
def export(tenant_slug):
    """Everything the tenant owns, as one JSON document."""
    data = provisioning.export_tenant(tenant_slug, actor=g.actor)
    db.session.commit()
    return data


@blp.route("/tenants/import", methods=["POST"])
@blp.arguments(schemas.TenantImport())
@blp.response(201, schemas.TenantOut)
def import_tenant(body):
    """Restore an export, under its own slug or ``slug``."""
    tenant = provisioning.import_tenant(body["data"], slug=body.get("slug"), actor=g.actor)
    db.session.commit()
    return _tenant_row(tenant.slug)


@blp.route("/plugins", methods=["GET"])
@blp.response(200, schemas.PluginList)
def list_plugins():
    """Installed plugins."""
    system = plugin_system()
    return {"items": [asdict(system.info[n]) for n in system.plugin_names], "next_cursor": None}
