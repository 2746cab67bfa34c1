"""Sweep jobs: remind of follow-ups that have come due."""

from core.followups.service import remind_due_follow_ups
from core.plugin_system import Job

JOBS = [Job("followups.remind", remind_due_follow_ups)]
