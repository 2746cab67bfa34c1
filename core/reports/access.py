"""Who reads reports."""

from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission

PERMISSIONS = [Permission("reports.view", _l("Read the monthly analysis"))]
ROLE_GRANTS = {"supervisor": {"reports.view"}, "manager": {"reports.view"}}
