"""Rules with clauses, and the per-tenant policy that switches and parameterises them.

A service enforces a rule with ``require(rule_id, ok, message)`` and reads its parameters
with ``params(rule_id)`` (None when the tenant has disabled the rule). A refusal is a 422
``rule_violation`` naming the rule and the clause of the tenant's own policy.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app, g

from core.errors import RuleViolation
from core.extensions import db
from core.tenancy import current_tenant

CORE = "core"


class NoParams(ma.Schema):
    pass


@dataclass(frozen=True)
class Rule:
    """One enforceable rule of a written policy."""

    id: str
    title: str  # a lazy gettext string: shown in the tenant's language
    clause: str  # where the source policy says it, e.g. "S0-1 §4.3.2"
    params_schema: type[ma.Schema] = NoParams
    defaults: dict = field(default_factory=dict)
    enabled_by_default: bool = True
    plugin: str = CORE

    def validate_params(self, params: dict) -> dict:
        """Return the full parameter set, or raise marshmallow.ValidationError."""
        merged = {**self.defaults, **params}
        self.params_schema().load(merged)
        return merged


class RuleRegistry:
    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}

    def add(self, plugin: str, rule: Rule) -> None:
        if rule.id in self.rules:
            raise RuntimeError(f"rule {rule.id} is registered twice")
        # The plugin that returned the rule owns it, whatever the rule says
        object.__setattr__(rule, "plugin", plugin)
        self.rules[rule.id] = rule

    def get(self, rule_id: str) -> Rule | None:
        return self.rules.get(rule_id)

    def for_plugins(self, plugins: frozenset[str]) -> list[Rule]:
        return [r for r in self.rules.values() if r.plugin in plugins]


def registry() -> RuleRegistry:
    return current_app.extensions["consultdesk.rules"]


@dataclass(frozen=True)
class TenantPolicy:
    """A tenant's policy at one version: plugins, rules with parameters, and local lists."""

    tenant_id: int
    version: int
    document: dict
    key: str = ""  # the policy_versions row id: what caches are keyed by

    @property
    def plugins(self) -> frozenset[str]:
        return frozenset([CORE, *self.document.get("plugins", [])])

    def rule_entry(self, rule_id: str) -> dict:
        return self.document.get("rules", {}).get(rule_id, {})

    def visible(self, rule: Rule) -> bool:
        return rule.plugin in self.plugins

    def enabled(self, rule_id: str) -> bool:
        rule = registry().get(rule_id)
        if rule is None or not self.visible(rule):
            return False
        return bool(self.rule_entry(rule_id).get("enabled", rule.enabled_by_default))

    def params(self, rule_id: str) -> dict | None:
        if not self.enabled(rule_id):
            return None
        rule = registry().get(rule_id)
        return {**rule.defaults, **self.rule_entry(rule_id).get("params", {})}

    def clause(self, rule_id: str) -> str:
        rule = registry().get(rule_id)
        return self.rule_entry(rule_id).get("clause") or (rule.clause if rule else "")

    def require(self, rule_id: str, condition: bool, message: str) -> None:
        """Refuse with a rule_violation when the rule is enabled and the condition fails."""
        if condition or not self.enabled(rule_id):
            return
        clause = self.clause(rule_id)
        rule = registry().get(rule_id)
        raise RuleViolation(rule_id, f"{message} [{rule_id} · {rule.title} · {clause}]", clause)

    @property
    def departments(self) -> list[dict]:
        return list(self.document.get("departments", []))

    @property
    def categories(self) -> list[dict]:
        return list(self.document.get("categories", []))

    @property
    def role_titles(self) -> dict[str, str]:
        return dict(self.document.get("role_titles", {}))


_CACHE_SIZE = 4096


def _policy_cache() -> OrderedDict:
    return current_app.extensions["consultdesk.policy_cache"]


def load_policy(tenant) -> TenantPolicy:
    """The tenant's current policy, cached by (tenant id, version) across requests."""
    from core.policy.models import PolicyVersion

    key = (tenant.id, tenant.policy_version_id)
    cache = _policy_cache()
    policy = cache.get(key)
    if policy is None:
        document = {}
        if tenant.policy_version_id:
            row = db.session.execute(
                sa.select(PolicyVersion)
                .where(PolicyVersion.tenant_id == tenant.id)
                .where(PolicyVersion.id == tenant.policy_version_id)
                .execution_options(all_tenants=True)
            ).scalar_one()
            document = row.document
        policy = TenantPolicy(tenant.id, tenant.policy_version, document,
                              tenant.policy_version_id or "")
        cache[key] = policy
        if len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return policy


def current_policy() -> TenantPolicy:
    tenant = current_tenant()
    if tenant is None:
        raise RuntimeError("no current tenant, so no policy")
    cached = g.get("_policy")
    if cached is None or cached.tenant_id != tenant.id or cached.key != (tenant.policy_version_id or ""):
        cached = load_policy(tenant)
        g._policy = cached
    return cached


def params(rule_id: str) -> dict | None:
    return current_policy().params(rule_id)


def require(rule_id: str, condition: bool, message: str) -> None:
    current_policy().require(rule_id, condition, message)


def enabled(rule_id: str) -> bool:
    return current_policy().enabled(rule_id)
