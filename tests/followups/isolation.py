"""Objects of tenant B for the isolation test of every route."""


def _follow_up(tenant_b, admin_b):
    from core.extensions import db
    from core.followups.service import schedule_follow_up
    from core.identity.service import find_user_by_email
    from core.tenancy import tenant_context

    with tenant_context(tenant_b):
        follow_up = schedule_follow_up(find_user_by_email("admin@beta.test"), summary="beta")
        db.session.commit()
        return follow_up.id


FACTORIES = {"follow_up_id": _follow_up}
