"""Core's own contributions, made through the same hooks a plugin uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission, Role
from core.plugin_system import hookimpl

CORE_PERMISSIONS = [
    Permission("users.view", _l("See staff accounts")),
    Permission("users.manage", _l("Create and change staff accounts")),
    Permission("users.grant_admin", _l("Make a staff member an administrator")),
    Permission("policy.view", _l("See the policy")),
    Permission("policy.manage", _l("Change the policy")),
    Permission("audit.view", _l("Read the audit trail")),
]

_EVERYONE = {"policy.view"}

CORE_ROLES = [
    Role("admin", _l("Administrator"), frozenset(p.name for p in CORE_PERMISSIONS)),
    Role("desk", _l("Desk clerk"), frozenset(_EVERYONE)),
    Role("supervisor", _l("Supervisor"), frozenset(_EVERYONE | {"users.view"})),
    Role("manager", _l("Manager"), frozenset(_EVERYONE | {"users.view"})),
    Role("archivist", _l("Archivist"), frozenset(_EVERYONE | {"audit.view"})),
]


@hookimpl
def register_models():
    from core.audit import AuditEvent, PlatformAuditEvent
    from core.identity.models import (
        ApiToken,
        AuthSession,
        PlatformAdmin,
        PlatformCredential,
        User,
        UserRole,
    )
    from core.policy.models import PolicyVersion
    from core.tenancy import Tenant

    return [Tenant, User, UserRole, AuthSession, ApiToken, PlatformAdmin, PlatformCredential,
            PolicyVersion, AuditEvent, PlatformAuditEvent]


@hookimpl
def register_rules():
    from core.policy.core_rules import CORE_RULES

    return CORE_RULES


@hookimpl
def register_permissions():
    return CORE_PERMISSIONS


@hookimpl
def register_roles():
    return CORE_ROLES
