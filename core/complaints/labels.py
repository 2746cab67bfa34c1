"""What kinds, statuses, channels, outcomes and steps of complaints are called, in the reader's language."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"suggestion": _l("Suggestion"), "appeal": _l("Appeal")}

STATUS_LABELS = {
    "registered": _l("Registered"),
    "acknowledged": _l("Accepted by the handler"),
    "investigated": _l("Findings recorded"),
    "approved": _l("Approved by the lead"),
    "resolved": _l("Resolved"),
    "replied": _l("Result sent"),
    "followed_up": _l("Return visit done"),
    "escalated": _l("Escalated to headquarters"),
    "closed": _l("Closed and archived"),
}

CHANNEL_LABELS = {
    "duty_staff": _l("Duty staff"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "front_desk_box": _l("Front-desk suggestion box"),
}

OUTCOME_LABELS = {
    "upheld": _l("Upheld"),
    "partly": _l("Partly upheld"),
    "not_upheld": _l("Not upheld"),
    "adopted": _l("Adopted"),
    "noted": _l("Noted"),
}

SATISFACTION_LABELS = {
    "satisfied": _l("Satisfied"),
    "neutral": _l("Neutral"),
    "dissatisfied": _l("Dissatisfied"),
}

STEP_LABELS = {
    "register": _l("Registered"),
    "acknowledge": _l("Accept the case"),
    "findings": _l("Investigation and handling opinion"),
    "approve": _l("Lead's approval"),
    "resolve": _l("Resolution"),
    "reply": _l("Result to the person"),
    "follow_up": _l("Return visit"),
    "escalate": _l("Escalation to headquarters"),
    "close": _l("Close and archive"),
}

SPOT_NOTE_LABELS = {
    "opinion": _l("The person's opinion"),
    "reason": _l("Reason"),
    "proposal": _l("Proposed handling"),
    "contact": _l("Contact"),
}

FIELD_LABELS = {
    "name": _l("Full name"),
    "phone": _l("Phone"),
    "channel": _l("Channel"),
    "content": _l("Content"),
    "demand": _l("Demand"),
}


def label(table: dict, key) -> str:
    """The label of ``key`` in ``table``, or the key itself (e.g. a tenant's own channel)."""
    if key is None:
        return ""
    return str(table.get(key, key))
