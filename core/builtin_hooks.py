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
    from core import audit, tenancy
    from core.capabilities import capability_modules
    from core.extensions import db

    modules = [tenancy, audit, *capability_modules("models")]
    return [value for module in modules for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, db.Model) and value is not db.Model
            and value.__module__ == module.__name__]


@hookimpl
def register_rules():
    from core.policy.core_rules import CORE_RULES

    return CORE_RULES


@hookimpl
def register_permissions():
    from core.capabilities import collect

    return CORE_PERMISSIONS + [p for batch in collect("access", "PERMISSIONS") for p in batch]


@hookimpl
def register_roles():
    from core.capabilities import collect

    grants: dict[str, set[str]] = {}
    for role_grants in collect("access", "ROLE_GRANTS"):
        for role, permissions in role_grants.items():
            grants.setdefault(role, set()).update(permissions)
    return [Role(r.name, r.title, r.permissions | frozenset(grants.get(r.name, ())))
            for r in CORE_ROLES]


@hookimpl
def register_jobs():
    from core.capabilities import collect

    return [job for batch in collect("jobs", "JOBS") for job in batch]
