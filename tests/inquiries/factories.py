"""Factories for inquiry tests: inquiries made through the service at a chosen moment."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.extensions import db
from core.identity import service as identity
from core.tenancy import tenant_context

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    """A moment on the Shanghai clock (the presets' zone), as an aware datetime."""
    return datetime(*args, tzinfo=SHANGHAI)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_inquiry(tenant, actor_email: str | None = None, *, now: datetime | None = None, **data):
    """An inquiry entered by the given user (the tenant's admin by default), committed."""
    from core.inquiries import service

    data.setdefault("channel", "phone")
    data.setdefault("requester", {"name": "张先生", "phone": "13800138000"})
    data.setdefault("subject", "3栋1202卫生间漏水")
    with tenant_context(tenant):
        actor = identity.find_user_by_email(actor_email or f"admin@{tenant.slug}.test")
        inquiry = service.create_inquiry(data, actor, now=now)
        db.session.commit()
    return inquiry


def disable(api, rule_id: str) -> None:
    response = api.patch("/policy", json={"rules": {rule_id: {"enabled": False}}})
    assert response.status_code == 200, response.get_json()


def set_params(api, rule_id: str, params: dict) -> None:
    response = api.patch("/policy", json={"rules": {rule_id: {"params": params}}})
    assert response.status_code == 200, response.get_json()
