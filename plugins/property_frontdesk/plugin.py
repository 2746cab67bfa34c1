"""物业客服前台 — the property front desk plugin (S0-1 咨询服务管理制度 1, §3–§5).

Daily and weekly reviews of the ledger, joint answers with the specialist departments,
approval of out-of-scope answers, the information archive, outside consultation events and
the desk team's daily work record. It also carries the repair desk (``repair/``) when that
package is present: its lists are added to this plugin's own in every ``register_*`` hook.
Everything goes through the public plugin contract (core/plugin_system/hookspecs.py).
"""

from __future__ import annotations

import importlib
import importlib.util

from flask import url_for

from core.plugin_system import DashboardItem, Job, LedgerColumn, hookimpl

NAME = "property_frontdesk"
TITLE = "物业客服前台"
AREA = "property"
DESCRIPTION = ("Property-management customer service desk (S0-1): daily and weekly ledger reviews, "
               "joint answers with departments, out-of-scope approvals, information archive, "
               "outside events, daily work record; repair desk (S4 热水).")

_REPAIR = "plugins.property_frontdesk.repair"


def _repair():
    """The repair desk package, or None while it does not exist (a broken one raises)."""
    if importlib.util.find_spec(_REPAIR) is None:
        return None
    return importlib.import_module(_REPAIR)


def _repair_list(name: str) -> list:
    repair = _repair()
    return list(getattr(repair, name, []) or []) if repair is not None else []


@hookimpl
def register_models():
    from plugins.property_frontdesk import models

    own = [models.DailyReview, models.WeeklyReview, models.ReviewFlag, models.Coordination,
           models.Approval, models.InfoEntry, models.ExternalEvent]
    return own + _repair_list("MODELS")


@hookimpl
def register_blueprints():
    from plugins.property_frontdesk.api import blp
    from plugins.property_frontdesk.pages import bp

    return [blp, bp, *_repair_list("BLUEPRINTS")]


@hookimpl
def register_rules():
    from plugins.property_frontdesk.rules import RULES

    return RULES + _repair_list("RULES")


@hookimpl
def register_permissions():
    from plugins.property_frontdesk.rules import PERMISSIONS

    return PERMISSIONS + _repair_list("PERMISSIONS")


@hookimpl
def register_roles():
    from plugins.property_frontdesk.rules import ROLES

    return ROLES + _repair_list("ROLES")


@hookimpl
def register_jobs():
    from plugins.property_frontdesk import service

    return [Job("property.daily_review_missed", service.flag_missed_daily_reviews),
            Job("property.weekly_review_missed", service.flag_missed_weekly_reviews),
            *_repair_list("JOBS")]


@hookimpl
def register_dashboard_items(user):
    from core.identity.permissions import has_permission
    from plugins.property_frontdesk import service

    items = []
    if has_permission(user, "property.review_daily"):
        done = service.get_daily_review(service.today()) is not None
        items.append(DashboardItem("今日台帐查看", "已查看" if done else "未查看",
                                   url_for("property_pages.daily_review")))
    if has_permission(user, "property.approve"):
        items.append(DashboardItem("待审批咨询", service.count_pending_approvals(),
                                   url_for("property_pages.approvals")))
    repair = _repair()
    if repair is not None and getattr(repair, "DASHBOARD", None):
        items.extend(repair.DASHBOARD(user) or [])
    return items


@hookimpl
def register_ledger_columns():
    from plugins.property_frontdesk import service

    cache: dict = {}

    def review(rows, day, index):
        if day not in cache:
            cache[day] = service.review_columns_values(rows, day)
        return [cache[day][index]] * len(rows)

    return [
        LedgerColumn("property_daily_review", "物业主管查看", "物業主管查看", "Supervisor's check", 30,
                     lambda rows, day: review(rows, day, 0)),
        LedgerColumn("property_weekly_review", "物业经理查看", "物業經理查看", "Manager's check", 30,
                     lambda rows, day: review(rows, day, 1)),
    ]


@hookimpl
def register_page_snippets(page):
    from plugins.property_frontdesk import service

    if page == "inquiries.ledger" and service.archive_on_ledger():
        return ["property/_info_search.html"]
    if page == "inquiries.detail":
        return ["property/_inquiry_link.html"]
    return []


@hookimpl
def inquiry_created(inquiry, actor):
    from plugins.property_frontdesk import service

    service.on_inquiry_created(inquiry, actor)


@hookimpl
def inquiry_changed(inquiry, event, actor):
    from plugins.property_frontdesk import service

    service.on_inquiry_changed(inquiry, event, actor)


@hookimpl
def populate_demo(tenant, staff, now, rng):
    from plugins.property_frontdesk import demo

    demo.populate(tenant, staff, now, rng)
