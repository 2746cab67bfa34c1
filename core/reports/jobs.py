"""Sweep jobs: announce the monthly analysis once a month."""

from core.plugin_system import Job
from core.reports.service import announce_last_month

JOBS = [Job("reports.monthly", announce_last_month)]
