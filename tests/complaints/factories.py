"""Factories for complaint tests: staff of tenant alpha, cases through the service or the API."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from core.extensions import db
from core.identity import service as identity
from core.tenancy import tenant_context
from tests.fixtures import USER_PASSWORD, Api, make_user, sign_in_api

SHANGHAI = ZoneInfo("Asia/Shanghai")

APPEAL = {"kind": "appeal", "name": "张先生", "phone": "139 0000 1111", "channel": "phone",
          "content": "前台工作人员态度恶劣，没听完就挂了电话。", "demand": "要求道歉并改进",
          "about": "客服部"}
SUGGESTION = {"kind": "suggestion", "name": "李女士", "phone": "13800002222", "channel": "front_desk_box",
              "content": "等候区座椅太少，建议增加。", "demand": "增加座椅", "about": "服务大厅"}


def local(*args) -> datetime:
    """A moment on the Shanghai clock (the presets' zone)."""
    return datetime(*args, tzinfo=SHANGHAI)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class Staff:
    """Alpha's staff for complaints: the lead (manager), the handler, another clerk, ..."""

    admin: Api
    lead: Api
    handler: Api
    clerk: Api
    supervisor: Api
    archivist: Api
    ids: dict

    def user(self, who: str):
        return identity.find_user(self.ids[who])


PEOPLE = [  # the manager comes first: the first holder of the lead role is a case's lead
    ("lead", "manager@alpha.test", ["manager"], "陈明"),
    ("handler", "handler@alpha.test", ["desk"], "李静"),
    ("clerk", "clerk@alpha.test", ["desk"], "王芳"),
    ("supervisor", "supervisor@alpha.test", ["supervisor"], "赵强"),
    ("archivist", "archivist@alpha.test", ["archivist"], "周敏"),
]


def make_staff(client, tenant, admin: Api) -> Staff:
    ids, apis = {}, {}
    for key, email, roles, name in PEOPLE:
        ids[key] = make_user(tenant, email, roles, name=name).id
        apis[key] = sign_in_api(client, tenant.slug, email, USER_PASSWORD)
    with tenant_context(tenant):
        ids["admin"] = identity.find_user_by_email(f"admin@{tenant.slug}.test").id
    return Staff(admin=admin, ids=ids, **apis)


def disable(api, rule_id: str) -> None:
    response = api.patch("/policy", json={"rules": {rule_id: {"enabled": False}}})
    assert response.status_code == 200, response.get_json()


def set_params(api, rule_id: str, params: dict) -> None:
    response = api.patch("/policy", json={"rules": {rule_id: {"params": params}}})
    assert response.status_code == 200, response.get_json()


def register(api, base: dict | None = None, **fields) -> dict:
    response = api.post("/complaints", json={**(base or APPEAL), **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def step(api, complaint_id: str, name: str, expect: int = 200, **body) -> dict:
    response = api.post(f"/complaints/{complaint_id}/{name}", json=body)
    assert response.status_code == expect, (name, response.get_json())
    return response.get_json()


def service_case(tenant, actor_id: str, data: dict, *, now: datetime):
    """A case registered through the service at a fixed moment (committed)."""
    from core.complaints import service

    db.session.refresh(tenant)  # its policy may have changed through the API meanwhile
    with tenant_context(tenant):
        actor = identity.find_user(actor_id)
        complaint = service.register(data, actor, now=now)
        db.session.commit()
        return complaint


@contextmanager
def acting(tenant, user_id: str | None):
    """Run service calls as a user of the tenant (None: the system); committed at the end."""
    db.session.refresh(tenant)  # its policy may have changed through the API meanwhile
    with tenant_context(tenant):
        yield identity.find_user(user_id) if user_id else None
        db.session.commit()


def notifications(tenant, kind: str | None = None) -> list:
    from core.notifications.models import Notification

    with tenant_context(tenant):
        query = sa.select(Notification).order_by(Notification.id)
        if kind:
            query = query.where(Notification.kind == kind)
        return list(db.session.execute(query).scalars())


def audit_events(tenant, action: str, object_id: str | None = None) -> list:
    from core.audit import AuditEvent

    with tenant_context(tenant):
        query = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        if object_id:
            query = query.where(AuditEvent.object_id == object_id)
        return list(db.session.execute(query).scalars())
