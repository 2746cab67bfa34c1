"""Tenant B's repair-desk objects, for tests/test_isolation.py (rows written directly: B need not
have the plugin enabled, and the factories must work whichever plugins the suite loads)."""

from core.extensions import db
from core.tenancy import tenant_context


def _project(tenant_b, name):
    from plugins.property_frontdesk.repair.models import Project

    with tenant_context(tenant_b):
        project = Project(name=name)
        db.session.add(project)
        db.session.flush()
        db.session.commit()
    return project


def make_project(tenant_b, admin_b):
    return _project(tenant_b, "乙方项目").id


def make_work_order(tenant_b, admin_b):
    from plugins.property_frontdesk.repair.models import WorkOrder

    project = _project(tenant_b, "乙方工单项目")
    with tenant_context(tenant_b):
        work_order = WorkOrder(project_id=project.id, kind="repair", location="1号楼", location_key="1号楼",
                               fault="没有热水")
        db.session.add(work_order)
        db.session.flush()
        db.session.commit()
    return work_order.id


FACTORIES = {"project_id": make_project, "work_order_id": make_work_order}
