"""Core's capabilities, each a folder under core/, and how they plug into the app.

A capability package ``core/<name>/`` may hold any of these modules, found by name:

- ``models.py``  tenant-scoped models (imported so that migrations and export see them)
- ``api.py``     ``blp``: a flask_smorest.Blueprint mounted at /t/<slug>/api/v1/
- ``pages.py``   ``bp``: a flask.Blueprint mounted at /t/<slug>/
- ``access.py``  ``PERMISSIONS`` (list of Permission) and ``ROLE_GRANTS`` ({role: {permission}})
- ``jobs.py``    ``JOBS`` (list of core.plugin_system.Job) that `consultdesk sweep` runs
- ``demo.py``    ``populate(tenant, staff, now, rng)``: a week of realistic data for `consultdesk demo`
- ``export.py``  ``export_extras(tenant) -> dict`` and ``import_extras(tenant, extras)``: what a
                 tenant export carries besides table rows (e.g. attachment files)

Adding a capability is one line in CAPABILITIES; nothing else in core needs to change.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

CAPABILITIES = [
    "identity",
    "policy",
    "home",
    "notifications",
    "audit",
    "followups",
    "records",
    "inquiries",
    "complaints",
    "reports",
]


def capability_modules(kind: str) -> list[ModuleType]:
    """The ``core.<capability>.<kind>`` modules that exist, in CAPABILITIES order."""
    modules = []
    for name in CAPABILITIES:
        dotted = f"core.{name}.{kind}"
        if importlib.util.find_spec(dotted) is not None:
            modules.append(importlib.import_module(dotted))
    return modules


def collect(kind: str, attribute: str) -> list:
    """Every capability's ``<kind>.<attribute>`` value that is defined."""
    return [getattr(m, attribute) for m in capability_modules(kind) if hasattr(m, attribute)]
