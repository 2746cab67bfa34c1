"""Sweep jobs of inquiries: tell the desk and the first escalation role about overdue inquiries."""

from core.inquiries.service import notify_overdue
from core.plugin_system import Job

JOBS = [Job("inquiries.overdue", notify_overdue)]
