"""Loads plugins and calls their hooks for the plugins the current tenant has enabled.

Per tenant, each hook is called through ``PluginManager.subset_hook_caller`` with the plugins
the tenant has not enabled removed. The callers are cached by (tenant id, policy version): a
policy change bumps the version, so every worker picks the new set on its next request.
"""

from __future__ import annotations

import importlib.metadata
from collections import OrderedDict
from dataclasses import dataclass

import pluggy
from flask import Flask, current_app

from core.plugin_system import hookspecs

CORE_PLUGIN = "core"
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class PluginInfo:
    name: str
    title: str
    area: str | None
    description: str
    version: str
    builtin: bool


class TenantHooks:
    """The hooks of one tenant at one policy version: ``hooks.user_created(user=..., actor=...)``."""

    def __init__(self, pm: pluggy.PluginManager, removed: list):
        self._pm = pm
        self._removed = removed
        self._callers: dict[str, object] = {}

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        caller = self._callers.get(name)
        if caller is None:
            caller = self._pm.subset_hook_caller(name, self._removed)
            self._callers[name] = caller
        return caller


class PluginSystem:
    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("consultdesk")
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self._tenant_hooks: OrderedDict[tuple[int, str], TenantHooks] = OrderedDict()

    # --- loading ------------------------------------------------------------------------

    def load(self, app: Flask) -> None:
        from core import builtin_hooks

        self.pm.register(builtin_hooks, name=CORE_PLUGIN)
        group = app.config["PLUGIN_ENTRY_POINT_GROUP"]
        for ep in importlib.metadata.entry_points(group=group):
            if self.pm.get_plugin(ep.name) is not None or self.pm.is_blocked(ep.name):
                continue
            plugin = ep.load()
            builtin = (ep.dist is not None and ep.dist.name == "consultdesk")
            self.add(plugin, ep.name, version=ep.dist.version if ep.dist else "", builtin=builtin)
        for plugin in app.config["EXTRA_PLUGINS"]:
            self.add(plugin, plugin.NAME, version="", builtin=False)

    def add(self, plugin, name: str, *, version: str, builtin: bool) -> None:
        if self.pm.get_plugin(name) is not None:
            return
        self.pm.register(plugin, name=name)
        self.info[name] = PluginInfo(
            name=name,
            title=str(getattr(plugin, "TITLE", name)),
            area=getattr(plugin, "AREA", None),
            description=str(getattr(plugin, "DESCRIPTION", "")),
            version=version or str(getattr(plugin, "VERSION", "")),
            builtin=builtin,
        )

    @property
    def plugin_names(self) -> list[str]:
        return sorted(self.info)

    def collect(self, hook_name: str, **kwargs) -> list[tuple[str, object]]:
        """Call a collecting hook on every installed plugin; return (plugin name, item) pairs."""
        pairs: list[tuple[str, object]] = []
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            for item in impl.function(**kwargs) or []:
                pairs.append((impl.plugin_name, item))
        return pairs

    # --- per tenant -----------------------------------------------------------------------

    def hooks_for(self, tenant_id: int, policy_key: str, enabled: frozenset[str]) -> TenantHooks:
        key = (tenant_id, policy_key)
        hooks = self._tenant_hooks.get(key)
        if hooks is None:
            removed = [self.pm.get_plugin(n) for n in self.info if n not in enabled]
            hooks = TenantHooks(self.pm, removed)
            self._tenant_hooks[key] = hooks
            if len(self._tenant_hooks) > _CACHE_SIZE:
                self._tenant_hooks.popitem(last=False)
        else:
            self._tenant_hooks.move_to_end(key)
        return hooks


def plugin_system() -> PluginSystem:
    return current_app.extensions["consultdesk.plugins"]


def tenant_hooks() -> TenantHooks:
    """The hooks of the current tenant's enabled plugins (core is always enabled)."""
    from core.policy import current_policy

    policy = current_policy()
    return plugin_system().hooks_for(policy.tenant_id, policy.key, policy.plugins)
