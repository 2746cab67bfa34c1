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


@dataclass(frozen=True)
class LedgerColumn:
    """An extra column of the ledger file: titles of the paper form and a value per row."""

    key: str
    zh_cn: str
    zh_tw: str
    en: str
    width: int
    values: Callable  # values(rows, day) -> list, one value per row

    def title(self, language: str) -> str:
        return {"zh_CN": self.zh_cn, "zh_TW": self.zh_tw}.get(language, self.en)
