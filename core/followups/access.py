"""Who records surveys and follow-ups."""

from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission

PERMISSIONS = [
    Permission("followups.view", _l("See surveys and follow-ups")),
    Permission("followups.record", _l("Record surveys and follow-up outcomes")),
]

ROLE_GRANTS = {
    "desk": {"followups.view", "followups.record"},
    "supervisor": {"followups.view", "followups.record"},
    "manager": {"followups.view"},
}
