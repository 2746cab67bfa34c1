"""Permissions of records, and which core roles hold them.

Permissions say what a role may do with records at all; who may *read* a confidential record
is decided by core.record.confidentiality in the service (a tenant admin holds every
permission but is not a reader of confidential files unless the tenant names the role).
"""

from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission

PERMISSIONS = [
    Permission("records.view", _l("See records")),
    Permission("records.create", _l("Create records")),
    Permission("records.archive", _l("Close and archive records")),
    Permission("records.disclose", _l("Disclose records (break-glass, lawful requests)")),
    Permission("records.grant", _l("Grant a reader access to a confidential record")),
    Permission("records.approve_lending", _l("Approve lending, copying or export of records")),
]

ROLE_GRANTS = {
    "desk": {"records.view", "records.create"},
    "supervisor": {"records.view", "records.create", "records.disclose"},
    "manager": {"records.view"},
    "archivist": {"records.view", "records.archive", "records.grant", "records.approve_lending"},
}
