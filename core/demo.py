"""`consultdesk demo`: a demo tenant per working variant, with staff, for trying the product."""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from core.identity import service as identity
from core.identity.models import PlatformAdmin
from core.tenancy import find_tenant, tenant_context
from tenants import provisioning


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
                for user in demo.get("users", []):
                    identity.create_user(user["email"], user["name"], password, user["roles"],
                                         actor=None)
        yield f"{variant:<20} /t/{slug}/login  admin@demo.test" + "".join(
            f", {u['email']}" for u in demo.get("users", [])) + f"  (password {password})"
