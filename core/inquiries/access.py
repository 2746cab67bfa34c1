"""Who may do what with inquiries and the ledger (the admin holds everything automatically)."""

from flask_babel import lazy_gettext as _l

from core.identity.permissions import Permission

PERMISSIONS = [
    Permission("inquiries.view", _l("See inquiries")),
    Permission("inquiries.create", _l("Enter inquiries in the ledger")),
    Permission("inquiries.handle", _l("Reply to, forward, refer and close inquiries")),
    Permission("inquiries.escalate", _l("Pass important inquiries up")),
    Permission("ledger.view", _l("See and download the day's ledger")),
]

_DESK = {"inquiries.view", "inquiries.create", "inquiries.handle", "inquiries.escalate", "ledger.view"}

ROLE_GRANTS = {
    "desk": _DESK,
    "supervisor": _DESK,
    "manager": _DESK,
    "archivist": {"inquiries.view", "ledger.view"},
}
