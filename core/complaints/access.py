"""Permissions of suggestions and appeals, and which core roles hold them."""

from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission

PERMISSIONS = [
    Permission("complaints.view", _l("See suggestions and appeals")),
    Permission("complaints.register", _l("Register suggestions and appeals")),
    Permission("complaints.handle", _l("Handle suggestions and appeals")),
    Permission("complaints.approve", _l("Approve the handling of appeals (the lead)")),
]

ROLE_GRANTS = {
    "desk": {"complaints.view", "complaints.register", "complaints.handle"},
    "supervisor": {"complaints.view", "complaints.register", "complaints.handle"},
    "manager": {"complaints.view", "complaints.register", "complaints.handle", "complaints.approve"},
    "archivist": {"complaints.view"},
}
