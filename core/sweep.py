"""`consultdesk sweep`: runs each active tenant's enabled jobs, one transaction per tenant."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from core.extensions import db
from core.plugin_system.manager import tenant_hooks
from core.tenancy import Tenant, tenant_context, utcnow

log = logging.getLogger(__name__)


def run_sweep(now=None):
    """Yield (tenant slug, job name, count acted on) for every job that ran."""
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
                except Exception:
                    db.session.rollback()
                    log.exception("sweep job %s failed for tenant %s", job.name, tenant.slug)
                    raise
                yield tenant.slug, job.name, count
