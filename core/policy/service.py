"""Changing a tenant's policy: validated against the rule registry, stored as a new version."""

from __future__ import annotations

import copy
from datetime import date

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from core import audit
from core.errors import Conflict, ValidationError
from core.extensions import db
from core.identity.permissions import require_permission
from core.plugin_system.manager import plugin_system, tenant_hooks
from core.policy import CORE, TenantPolicy, current_policy, load_policy, registry
from core.policy.models import PolicyVersion
from core.tenancy import Tenant, current_tenant, new_id


def _flatten(prefix: str, messages) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            out.update(_flatten(f"{prefix}.{key}", value))
        return out
    return {prefix: list(messages) if isinstance(messages, list) else [str(messages)]}


def _check_plugins(plugins: list[str]) -> dict:
    installed = set(plugin_system().plugin_names) - {CORE}
    unknown = [p for p in plugins if p not in installed]
    return {"plugins": [_("Unknown plugin: %(plugin)s", plugin=p) for p in unknown]} if unknown else {}


def _merge_rules(document: dict, changes: dict, plugins: set[str]) -> dict:
    """Apply rule changes to the document; return field errors (nothing applied if any)."""
    errors: dict = {}
    rules = document.setdefault("rules", {})
    for rule_id, change in changes.items():
        field = f"rules.{rule_id}"
        rule = registry().get(rule_id)
        if rule is None:
            errors[field] = [_("Unknown rule.")]
            continue
        if rule.plugin != CORE and rule.plugin not in plugins:
            errors[field] = [_("Its plugin %(plugin)s is not enabled.", plugin=rule.plugin)]
            continue
        entry = dict(rules.get(rule_id, {}))
        if "enabled" in change:
            entry["enabled"] = change["enabled"]
        if "clause" in change:
            entry["clause"] = change["clause"]
        if "params" in change:
            try:
                params = rule.validate_params({**entry.get("params", {}), **change["params"]})
            except ma.ValidationError as exc:
                errors.update(_flatten(f"{field}.params", exc.messages))
                continue
            entry["params"] = {k: v for k, v in params.items() if k in change["params"]
                               or k in entry.get("params", {})}
        rules[rule_id] = entry
    return errors


def apply_changes(document: dict, changes: dict) -> dict:
    """The new policy document, or ValidationError naming every bad field."""
    new = copy.deepcopy(document)
    errors: dict = {}
    if "plugins" in changes:
        errors.update(_check_plugins(changes["plugins"]))
        new["plugins"] = sorted(set(changes["plugins"]))
    plugins = set(new.get("plugins", []))
    errors.update(_merge_rules(new, changes.get("rules", {}), plugins))
    for key in ("departments", "categories", "role_titles"):
        if key in changes:
            new[key] = changes[key]
    if "calendar" in changes:  # dates are stored as ISO strings in the JSON document
        new["calendar"] = {kind: sorted({d.isoformat() if hasattr(d, "isoformat") else d
                                         for d in days})
                           for kind, days in changes["calendar"].items()}
    if errors:
        raise ValidationError(_("The policy change is not valid."), fields=errors)
    return new


def write_version(tenant: Tenant, document: dict, *, by: str, note: str = "",
                  effective_from: date | None = None) -> TenantPolicy:
    """Store ``document`` as the tenant's next policy version and make it current."""
    old = tenant.policy_version
    new = old + 1
    row = PolicyVersion(id=new_id(), tenant_id=tenant.id, version=new, document=document,
                        note=note, effective_from=effective_from, created_by=by)
    db.session.add(row)
    bumped = db.session.execute(
        sa.update(Tenant).where(Tenant.id == tenant.id, Tenant.policy_version == old)
        .values(policy_version=new, policy_version_id=row.id)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise Conflict(_("The policy was changed meanwhile; reload it and try again."))
    db.session.flush()
    set_committed_value(tenant, "policy_version", new)
    set_committed_value(tenant, "policy_version_id", row.id)
    return load_policy(tenant)


def update_policy(changes: dict, actor) -> TenantPolicy:
    require_permission(actor, "policy.manage")
    tenant = current_tenant()
    current = current_policy()
    document = apply_changes(current.document, changes)
    if document == current.document:
        return current  # nothing changed: no new version
    policy = write_version(tenant, document, by=actor.email, note=changes.get("note", ""),
                           effective_from=changes.get("effective_from"))
    audit.record("policy.changed", object_type="policy_versions", object_id=str(policy.version),
                 actor=actor, details={k: v for k, v in changes.items() if k != "effective_from"})
    tenant_hooks().policy_changed(tenant=tenant, policy=policy, actor=actor)
    return policy


def describe(policy: TenantPolicy) -> dict:
    """The policy as GET /policy shows it."""
    from core.identity.permissions import role_book

    system = plugin_system()
    book = role_book()
    rules = []
    for rule in registry().for_plugins(policy.plugins):
        rules.append({
            "id": rule.id, "title": str(rule.title), "clause": policy.clause(rule.id),
            "plugin": rule.plugin, "enabled": policy.enabled(rule.id),
            "params": policy.params(rule.id) or {**rule.defaults,
                                                 **policy.rule_entry(rule.id).get("params", {})},
            "defaults": rule.defaults,
        })
    hooks = tenant_hooks()
    return {
        "version": policy.version,
        "calendar": policy.document.get("calendar", {"holidays": [], "working_days": []}),
        "plugins": [{"name": name, "title": system.info[name].title,
                     "enabled": name in policy.plugins}
                    for name in system.plugin_names if name != CORE],
        "rules": rules,
        "departments": policy.departments + [d for batch in hooks.register_departments()
                                             for d in batch],
        "categories": policy.categories + [c for batch in hooks.register_categories()
                                           for c in batch],
        "roles": [{"name": r.name, "title": str(r.title), "permissions": sorted(r.permissions)}
                  for r in book.roles.values()],
    }
