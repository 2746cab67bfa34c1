"""The plugin system: hookspecs (the plugin author's contract) and the per-tenant manager."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pluggy

hookimpl = pluggy.HookimplMarker("consultdesk")
hookspec = pluggy.HookspecMarker("consultdesk")


@dataclass(frozen=True)
class Job:
    """Work that `consultdesk sweep` runs for each tenant that enabled the plugin."""

    name: str
    run: Callable  # run(tenant, now) -> int (how many things it acted on)


@dataclass(frozen=True)
class DashboardItem:
    """A figure on the home page: a title, a value, and where to click for details."""

    title: str
    value: str | int
    url: str | None = None
