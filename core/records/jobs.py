"""Sweep jobs of records: the retention purge (only once the tenant sets retention_days)."""

from core.plugin_system import Job
from core.records.service import purge_expired

JOBS = [Job("records.retention_purge", purge_expired)]
