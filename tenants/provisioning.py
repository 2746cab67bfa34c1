"""Create, list, suspend, resume, export and import tenants (the hosting admin's work).

Every function raises a core.errors.DomainError with one sentence for bad input; the CLI
prints it on one line and the platform API returns it in the JSON envelope.
"""

from __future__ import annotations

import base64
import tomllib
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from core import audit
from core.errors import Conflict, NotFound, ValidationError
from core.extensions import db
from core.identity import service as identity
from core.identity.models import User
from core.plugin_system.manager import plugin_system, tenant_hooks
from core.policy.service import apply_changes, write_version
from core.tenancy import SLUG_RE, Tenant, TenantScoped, find_tenant, tenant_context, utcnow

EXPORT_FORMAT = "consultdesk-tenant-export"
EXPORT_VERSION = 1
TENANT_FIELDS = ("slug", "name", "variant", "status", "locale", "timezone", "country",
                 "policy_version", "policy_version_id", "created_at")


# --- presets ---------------------------------------------------------------------------------


def presets_dir() -> Path:
    return Path(current_app.config["PRESETS_DIR"])


def variant_names() -> list[str]:
    return sorted(p.stem for p in presets_dir().glob("*.toml"))


def load_preset(variant: str) -> dict:
    path = presets_dir() / f"{variant}.toml"
    if not SLUG_RE.match(variant.replace("_", "-")) or not path.exists():
        raise ValidationError(
            f"Unknown variant {variant!r}; known: {', '.join(variant_names())}.",
            fields={"variant": ["Unknown variant."]},
        )
    with path.open("rb") as fh:
        return tomllib.load(fh)


def missing_plugins(preset: dict) -> list[str]:
    installed = set(plugin_system().plugin_names)
    return [p for p in preset.get("plugins", []) if p not in installed]


def working_variants() -> list[str]:
    """Variants whose plugins are all installed, so that they can be provisioned today."""
    return [v for v in variant_names() if not missing_plugins(load_preset(v))]


def policy_document(preset: dict) -> dict:
    """The first policy version of a tenant made from ``preset``, validated like any change."""
    changes = {
        "plugins": preset.get("plugins", []),
        "rules": preset.get("rules", {}),
        "departments": preset.get("departments", []),
        "categories": preset.get("categories", []),
        "role_titles": preset.get("role_titles", {}),
    }
    return apply_changes({}, changes)


# --- create, list, suspend, resume -----------------------------------------------------------


def check_slug(slug: str) -> None:
    if not SLUG_RE.match(slug or ""):
        raise ValidationError(
            f"Invalid slug {slug!r}: use 1-40 lowercase letters, digits and inner hyphens.",
            fields={"slug": ["Invalid slug."]},
        )
    if find_tenant(slug) is not None:
        raise Conflict(f"A tenant with slug {slug!r} already exists.", fields={"slug": ["Taken."]})


def create_tenant(slug: str, *, name: str, variant: str, admin_email: str, admin_password: str,
                  admin_name: str | None = None, actor=None) -> Tenant:
    check_slug(slug)
    if not (name or "").strip():
        raise ValidationError("The tenant needs a name.", fields={"name": ["Required."]})
    preset = load_preset(variant)
    missing = missing_plugins(preset)
    if missing:
        raise ValidationError(
            f"Variant {variant!r} needs plugin(s) {', '.join(missing)}, which are not installed.",
            fields={"variant": ["Needs plugins that are not installed."]},
        )
    tenant = Tenant(slug=slug, name=name.strip(), variant=variant, status="active",
                    locale=preset.get("locale", "zh_CN"),
                    timezone=preset.get("timezone", "Asia/Shanghai"),
                    country=preset.get("country", "CN"))
    db.session.add(tenant)
    db.session.flush()
    with tenant_context(tenant):
        by = actor.email if actor is not None else "provisioning"
        write_version(tenant, policy_document(preset), by=by, note=f"preset {variant}")
        identity.create_user(admin_email, admin_name or admin_email, admin_password, ["admin"],
                             actor=None)
        audit.record("tenant.created", tenant, actor=actor, object_type="tenants",
                     object_id=str(tenant.id), details={"slug": slug, "variant": variant})
        tenant_hooks().tenant_provisioned(tenant=tenant, preset=preset)
    audit.record("tenant.created", actor=actor, object_type="tenants", object_id=str(tenant.id),
                 tenant_slug=slug, details={"variant": variant})
    return tenant


def get_tenant(slug: str) -> Tenant:
    tenant = find_tenant(slug)
    if tenant is None:
        raise NotFound(f"No tenant with slug {slug!r}.")
    return tenant


def list_tenants(*, after: str | None = None, limit: int | None = None,
                 slug: str | None = None) -> list[dict]:
    """Tenants by slug (a page of them when ``limit`` is given), with their user counts."""
    query = sa.select(Tenant).order_by(Tenant.slug)
    if slug is not None:
        query = query.where(Tenant.slug == slug)
    if after is not None:
        query = query.where(Tenant.slug > after)
    if limit is not None:
        query = query.limit(limit)
    tenants = db.session.execute(query).scalars().all()
    counts = dict(db.session.execute(
        sa.select(User.tenant_id, sa.func.count())
        .where(User.tenant_id.in_([t.id for t in tenants]))
        .group_by(User.tenant_id)
        .execution_options(all_tenants=True)
    ).all())
    return [
        {"slug": t.slug, "name": t.name, "variant": t.variant, "status": t.status,
         "locale": t.locale, "timezone": t.timezone, "country": t.country,
         "created_at": t.created_at, "users": counts.get(t.id, 0)}
        for t in tenants
    ]


def set_status(slug: str, status: str, actor=None) -> Tenant:
    tenant = get_tenant(slug)
    if tenant.status == status:
        raise Conflict(f"Tenant {slug!r} is already {status}.")
    tenant.status = status
    audit.record(f"tenant.{'suspended' if status == 'suspended' else 'resumed'}", actor=actor,
                 object_type="tenants", object_id=str(tenant.id), tenant_slug=slug)
    db.session.flush()
    return tenant


# --- export and import -----------------------------------------------------------------------


def exported_tables() -> list[sa.Table]:
    """Tenant-owned tables in foreign-key order (parents first), minus credentials."""
    scoped = {m.local_table for m in db.Model.registry.mappers
              if issubclass(m.class_, TenantScoped) and getattr(m.class_, "__export__", True)}
    return [t for t in db.metadata.sorted_tables if t in scoped]


def _to_json(value):
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _from_json(column: sa.Column, value):
    if value is None:
        return None
    kind = getattr(column.type, "impl_instance", column.type)  # a TypeDecorator's own type
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode(value)
    return value


def export_tenant(slug: str, actor=None) -> dict:
    """Everything the tenant owns, as one JSON-ready dict (passwords stay hashes)."""
    tenant = get_tenant(slug)
    tables = {}
    for table in exported_tables():
        rows = db.session.execute(
            sa.select(table).where(table.c.tenant_id == tenant.id).order_by(*table.primary_key)
            .execution_options(all_tenants=True)  # one tenant, named explicitly
        ).mappings()
        tables[table.name] = [
            {c.name: _to_json(row[c.name]) for c in table.columns if c.name != "tenant_id"}
            for row in rows
        ]
    audit.record("tenant.exported", actor=actor, object_type="tenants", object_id=str(tenant.id),
                 tenant_slug=slug)
    from core.capabilities import capability_modules

    extras = {m.__name__: m.export_extras(tenant) for m in capability_modules("export")}
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(),
        "tenant": {f: _to_json(getattr(tenant, f)) for f in TENANT_FIELDS},
        "tables": tables,
        "extras": extras,
    }


def _check_export(data) -> None:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValidationError("This file is not a consultdesk tenant export.")
    if data.get("version") != EXPORT_VERSION:
        raise ValidationError(f"Unsupported export version {data.get('version')!r}.")
    if not isinstance(data.get("tenant"), dict) or not isinstance(data.get("tables"), dict):
        raise ValidationError("The export is incomplete: tenant or tables missing.")
    tenant = data["tenant"]
    for field in ("name", "variant"):
        if not isinstance(tenant.get(field), str) or not tenant[field].strip():
            raise ValidationError(f"The export is malformed: the tenant has no {field}.")
    if any(not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows)
           for rows in data["tables"].values()):
        raise ValidationError("The export is malformed: every table must be a list of rows.")
    known = {t.name for t in exported_tables()}
    unknown = set(data["tables"]) - known
    if unknown:
        raise ValidationError(f"The export has tables this installation lacks: {sorted(unknown)}.")


def import_tenant(data: dict, *, slug: str | None = None, actor=None) -> Tenant:
    """Restore an export under its own slug or a new one; ids are preserved.

    Ids stay as they were because every key includes tenant_id: the same ids can live in two
    tenants, so a copy under a new slug needs no remapping.
    """
    _check_export(data)
    source = data["tenant"]
    slug = slug or source.get("slug")
    check_slug(slug)
    from core.capabilities import capability_modules

    try:
        with db.session.begin_nested():
            tenant = _insert_tenant(data, slug)
            for module in capability_modules("export"):
                module.import_extras(tenant, (data.get("extras") or {}).get(module.__name__))
    except (sa.exc.DBAPIError, ValueError, TypeError) as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise ValidationError(f"The export is malformed: {reason}.") from None
    with tenant_context(tenant):
        audit.record("tenant.imported", actor=actor, object_type="tenants",
                     object_id=str(tenant.id), details={"from_slug": source.get("slug")})
    audit.record("tenant.imported", actor=actor, object_type="tenants", object_id=str(tenant.id),
                 tenant_slug=slug, details={"from_slug": source.get("slug")})
    db.session.flush()
    return tenant


def _insert_tenant(data: dict, slug: str) -> Tenant:
    source = data["tenant"]
    tenant = Tenant(slug=slug, **{f: _from_json(Tenant.__table__.c[f], source.get(f))
                                  for f in TENANT_FIELDS if f != "slug" and f in source})
    db.session.add(tenant)
    db.session.flush()
    for table in exported_tables():
        rows = data["tables"].get(table.name) or []
        if not rows:
            continue
        columns = {c.name: c for c in table.columns}
        try:
            values = [{**{k: _from_json(columns[k], v) for k, v in row.items()},
                       "tenant_id": tenant.id} for row in rows]
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ValidationError(f"Table {table.name} in the export is malformed: {exc}.") from None
        db.session.execute(table.insert(), values)
    return tenant
