"""`consultdesk sweep`: runs each active tenant's enabled jobs, one transaction per job.

Every job is idempotent (dedupe keys with unique constraints), so the sweep can run from cron
every few minutes, twice at once, or again after a crash, and act on each thing once. A job
that fails is rolled back and reported; the other jobs and tenants still run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from core.extensions import db
from core.plugin_system.manager import tenant_hooks
from core.tenancy import Tenant, tenant_context, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobRun:
    tenant: str
    job: str
    count: int | None  # None: the job failed
    error: str | None = None


def run_sweep(now=None):
    """Yield a JobRun for every job of every active tenant."""
    now = now or utcnow()
    tenant_ids = db.session.execute(
        sa.select(Tenant.id).where(Tenant.status == "active").order_by(Tenant.id)
    ).scalars().all()
    for tenant_id in tenant_ids:
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_context(tenant):
            for job in [j for batch in tenant_hooks().register_jobs() for j in batch]:
                try:
                    count = job.run(tenant, now)
                    db.session.commit()
                except Exception as error:  # one broken job must not stop the others
                    db.session.rollback()
                    log.exception("sweep job %s failed for tenant %s", job.name, tenant.slug)
                    yield JobRun(tenant.slug, job.name, None, f"{type(error).__name__}: {error}")
                    continue
                yield JobRun(tenant.slug, job.name, count)
