"""Sweep jobs of notifications: deliver the e-mail outbox."""

from core.notifications.service import deliver_outbox
from core.plugin_system import Job

JOBS = [Job("notifications.deliver", deliver_outbox)]
