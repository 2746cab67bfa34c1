"""Fixtures for the property front desk: tenant alpha with the plugin enabled, and its staff."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.notifications.models import Notification
from core.tenancy import tenant_context
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api

ROLES = {
    "desk": ["desk"],
    "lead": ["desk", "desk_lead"],
    "sup": ["supervisor"],
    "pm": ["property_manager"],
    "dm": ["dept_manager"],
    "boss": ["leadership"],
    "eng": ["engineering_staff"],
}


@pytest.fixture
def prop(client, tenant_a, admin_a):
    response = admin_a.patch("/policy", json={"plugins": ["notes", "property_frontdesk"]})
    assert response.status_code == 200, response.get_json()
    users, apis = {}, {}
    for key, roles in ROLES.items():
        users[key] = make_user(tenant_a, f"{key}@alpha.test", roles, name=key)
        apis[key] = sign_in_api(client, "alpha", f"{key}@alpha.test", USER_PASSWORD)
    return SimpleNamespace(tenant=tenant_a, admin=admin_a, users=users, **apis)


def notes_of(tenant, user, kind: str | None = None) -> list[Notification]:
    with tenant_context(tenant):
        query = sa.select(Notification).where(Notification.recipient_id == user.id)
        if kind:
            query = query.where(Notification.kind == kind)
        return db.session.execute(query.order_by(Notification.id)).scalars().all()


def violation(response, rule_id):
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "rule_violation" and error["rule"] == rule_id, error
    assert error["clause"].startswith("S0-1")
    return error


def disable(api, rule_id: str) -> None:
    response = api.patch("/policy", json={"rules": {rule_id: {"enabled": False}}})
    assert response.status_code == 200, response.get_json()


def new_inquiry(api, **data):
    data.setdefault("channel", "phone")
    data.setdefault("requester", {"name": "张先生", "phone": "13800138000"})
    data.setdefault("subject", "3栋1202卫生间漏水")
    response = api.post("/inquiries", json=data)
    return response
