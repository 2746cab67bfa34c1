"""Shared set-up for records tests: a tenant with the record rules on, staff of every role."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.audit import AuditEvent
from core.extensions import db
from core.tenancy import tenant_context
from tests.fixtures import USER_PASSWORD, Api, make_user, sign_in_api

ROLES = {
    "owner": ["desk"],
    "other_desk": ["desk"],
    "supervisor": ["supervisor"],
    "manager": ["manager"],
    "archivist": ["archivist"],
}

# Small files of each kind, by their real signatures
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
WAV = b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt " + bytes(28)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64)


@dataclass
class Staff:
    tenant: object
    admin: Api
    users: dict  # name -> User
    apis: dict  # name -> Api (plus "admin")

    def api(self, name: str) -> Api:
        return self.apis[name]


def set_rules(admin: Api, rules: dict) -> None:
    response = admin.patch("/policy", json={"rules": rules})
    assert response.status_code == 200, response.get_json()


def enable_record_rules(admin: Api, **confidentiality) -> None:
    params = {"readers": ["archivist"], "grant_roles": [], "never_readers": ["teacher"], **confidentiality}
    set_rules(admin, {
        "core.record.confidentiality": {"enabled": True, "params": params},
        "core.record.recording_consent": {"enabled": True},
        "core.record.break_glass": {"enabled": True},
    })


def make_staff(client, tenant, admin: Api, extra: dict | None = None) -> Staff:
    users, apis = {}, {"admin": admin}
    for name, roles in {**ROLES, **(extra or {})}.items():
        email = f"{name}@{tenant.slug}.test"
        users[name] = make_user(tenant, email, roles, name=name)
        apis[name] = sign_in_api(client, tenant.slug, email, USER_PASSWORD)
    return Staff(tenant, admin, users, apis)


def new_record(api: Api, **fields) -> dict:
    body = {"title": "个案记录", "kind": "case_notes", "confidentiality": "normal", **fields}
    response = api.post("/records", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def multipart(content: bytes, filename: str, fields: dict | None = None) -> tuple[bytes, str]:
    """A multipart body built in memory (werkzeug's test encoder spools large bodies to a
    temporary file that it never closes, which pytest reports as a ResourceWarning)."""
    boundary = "----records-test-boundary-7f3a"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in (fields or {}).items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(api: Api, record_id: str, content: bytes, filename: str):
    body, content_type = multipart(content, filename)
    return api.post(f"/records/{record_id}/attachments", data=body, content_type=content_type)


def audit_events(tenant, action: str, *, object_id: str | None = None, actor_id: str | None = None):
    with tenant_context(tenant):
        query = sa.select(AuditEvent).where(AuditEvent.action == action)
        if object_id:
            query = query.where(AuditEvent.object_id == object_id)
        if actor_id:
            query = query.where(AuditEvent.actor_id == actor_id)
        return db.session.execute(query.order_by(AuditEvent.id)).scalars().all()
