"""`consultdesk demo`: a demo tenant per working variant, with staff, for trying the product."""

from __future__ import annotations

import random

import sqlalchemy as sa

from core.extensions import db
from core.identity import service as identity
from core.identity.models import PlatformAdmin
from core.tenancy import find_tenant, tenant_context, utcnow
from tenants import provisioning


def populate(tenant, staff: dict) -> None:
    """Every capability's demo data: a week of realistic activity, some of it overdue.

    ``staff`` maps a role to one user holding it (and "admin" to the admin). The random
    generator is seeded by the tenant's slug, so the demo looks the same on every machine.
    """
    from core.capabilities import collect
    from core.plugin_system.manager import tenant_hooks

    rng = random.Random(tenant.slug)
    now = utcnow()
    for fill in collect("demo", "populate"):
        fill(tenant, staff, now, rng)
    tenant_hooks().populate_demo(tenant=tenant, staff=staff, now=now, rng=rng)


def demo_slug(variant: str) -> str:
    return f"demo-{variant.replace('_', '-')}"


def build_demo(*, password: str, platform_admin: str):
    """Create what is missing (running it twice changes nothing); yield lines to print."""
    exists = db.session.execute(
        sa.select(PlatformAdmin.id).where(PlatformAdmin.email == platform_admin)
    ).first()
    if not exists:
        identity.create_platform_admin(platform_admin, password)
    yield f"platform admin: /platform/  {platform_admin} / {password}"
    for variant in provisioning.working_variants():
        preset = provisioning.load_preset(variant)
        demo = preset.get("demo", {})
        slug = demo_slug(variant)
        tenant = find_tenant(slug)
        if tenant is None:
            tenant = provisioning.create_tenant(
                slug, name=demo.get("name", preset.get("title", variant)), variant=variant,
                admin_email="admin@demo.test", admin_password=password, admin_name="管理员")
            with tenant_context(tenant):
                staff = {"admin": identity.find_user_by_email("admin@demo.test")}
                for user in demo.get("users", []):
                    created = identity.create_user(user["email"], user["name"], password,
                                                   user["roles"], actor=None)
                    for role in user["roles"]:
                        staff.setdefault(role, created)
                populate(tenant, staff)
        yield f"{variant:<20} /t/{slug}/login  admin@demo.test" + "".join(
            f", {u['email']}" for u in demo.get("users", [])) + f"  (password {password})"
