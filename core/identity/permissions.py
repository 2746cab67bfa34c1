"""Roles and permissions: defined in code by core and plugins, checked in one place.

Both the API and the pages call ``require_permission(actor, name)`` (through the services or
the ``permission_required`` decorator), so a role can do the same things in both.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import g
from flask_babel import gettext as _

from core.errors import Forbidden, Unauthorized


@dataclass(frozen=True)
class Permission:
    name: str
    title: str  # or a lazy gettext string, rendered in the reader's language


@dataclass(frozen=True)
class Role:
    name: str
    title: str  # or a lazy gettext string
    permissions: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class RoleBook:
    """The roles and permissions one tenant has, given the plugins it enabled."""

    roles: dict[str, Role]
    permissions: dict[str, Permission]

    def permissions_of(self, role_names) -> frozenset[str]:
        granted: set[str] = set()
        for name in role_names:
            role = self.roles.get(name)
            if role is not None:
                granted |= role.permissions
        return frozenset(granted)


_books: dict[tuple[int, str], RoleBook] = {}


def role_book() -> RoleBook:
    """Roles of the current tenant, merged from core and its enabled plugins."""
    from core.plugin_system.manager import tenant_hooks
    from core.policy import current_policy

    policy = current_policy()
    key = (policy.tenant_id, policy.key)
    book = _books.get(key)
    if book is None:
        hooks = tenant_hooks()
        permissions = {p.name: p for batch in hooks.register_permissions() for p in batch}
        roles: dict[str, Role] = {}
        for batch in reversed(hooks.register_roles()):  # core first, plugins add to it
            for role in batch:
                known = roles.get(role.name)
                merged = role.permissions | (known.permissions if known else frozenset())
                title = policy.role_titles.get(role.name) or (known.title if known else role.title)
                roles[role.name] = Role(role.name, title, merged)
        # The tenant administrator holds every permission of the enabled plugins too
        admin = roles.get("admin")
        if admin is not None:
            roles["admin"] = Role(admin.name, admin.title, admin.permissions | frozenset(permissions))
        book = RoleBook(roles, permissions)
        if len(_books) > 4096:
            _books.clear()
        _books[key] = book
    return book


def has_permission(actor, name: str) -> bool:
    if actor is None or getattr(actor, "is_platform_admin", False):
        return False
    return name in role_book().permissions_of(actor.roles)


def require_permission(actor, name: str) -> None:
    if actor is None:
        raise Unauthorized(_("Sign in first."))
    if not has_permission(actor, name):
        raise Forbidden(_("Your roles do not allow this (%(permission)s).", permission=name))


def permission_required(name: str):
    """View decorator: the current actor must hold the permission (403 otherwise)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            require_permission(g.get("actor"), name)
            return view(*args, **kwargs)

        return wrapped

    return decorator
