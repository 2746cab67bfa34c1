"""Sweep jobs of suggestions and appeals: overdue cases, corrective deadlines, return visits.

Each job marks what it flagged and notifies with a dedupe key, so a second sweep (or two at
once) creates nothing new. Notifications are written in the tenant's language.
"""

from flask_babel import force_locale

from core.complaints import service
from core.plugin_system import Job


def _in_tenant_language(run):
    def job(tenant, now):
        with force_locale(tenant.locale or "zh_CN"):
            return run(tenant, now)

    return job


JOBS = [
    Job("complaints.overdue_appeals", _in_tenant_language(service.flag_overdue_appeals)),
    Job("complaints.overdue_suggestions", _in_tenant_language(service.remind_overdue_suggestions)),
    Job("complaints.corrective_deadlines", _in_tenant_language(service.flag_corrective_deadlines)),
    Job("complaints.follow_ups_due", _in_tenant_language(service.remind_follow_ups)),
]
