"""The monthly analysis (S0-4 §15, S3 §66): volumes, rates, complaints and satisfaction.

Every figure is one SQL aggregate over the month's rows, found through the indexes the lists
use: inquiries by (tenant_id, local_date), complaints by (tenant_id, created_at). Nothing
loads the month's rows into Python.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from core.complaints.models import Complaint
from core.errors import ValidationError
from core.extensions import db
from core.followups.service import satisfaction_summary
from core.identity.permissions import require_permission
from core.inquiries.models import WAITING, Inquiry
from core.notifications import service as notifications
from core.policy import params
from core.tenancy import current_tenant, utcnow


def parse_month(text: str | None, today: date) -> date:
    """'YYYY-MM' -> the month's first day; None -> the current month."""
    if not text:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValidationError(_("Invalid month."), fields={"month": ["YYYY-MM"]}) from None


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _seconds_between(start, end):
    """end - start in seconds, as SQL that both SQLite and PostgreSQL understand."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.extract("epoch", end - start)
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0


def _by_channel_category_department(where) -> dict[str, list[dict]]:
    """Counts by channel, by category and by department from one grouped scan of the month
    (at most channels x categories x departments rows), not three."""
    rows = db.session.execute(
        sa.select(Inquiry.channel, Inquiry.category, Inquiry.department, sa.func.count())
        .where(*where).group_by(Inquiry.channel, Inquiry.category, Inquiry.department)
    ).all()
    totals: list[dict[str, int]] = [{}, {}, {}]
    for *keys, count in rows:
        for total, key in zip(totals, keys, strict=True):
            total[key or ""] = total.get(key or "", 0) + count
    return {name: [{"key": k, "count": c} for k, c in sorted(total.items(), key=lambda kc: (-kc[1], kc[0]))]
            for name, total in zip(("by_channel", "by_category", "by_department"), totals, strict=True)}


def _median_seconds(where, answered: int) -> float | None:
    if not answered:
        return None
    duration = _seconds_between(Inquiry.created_at, Inquiry.answered_at)
    middle = db.session.execute(
        sa.select(duration).where(*where, Inquiry.answered_at.is_not(None))
        .order_by(duration).offset((answered - 1) // 2).limit(2 - answered % 2)
    ).scalars().all()
    return round(sum(middle) / len(middle), 1)


def inquiry_figures(first: date, end: date, now: datetime) -> dict:
    where = [Inquiry.local_date >= first, Inquiry.local_date < end]
    overdue = sa.or_(sa.and_(Inquiry.answered_at.is_not(None), Inquiry.due_at.is_not(None),
                             Inquiry.answered_at > Inquiry.due_at),
                     Inquiry.overdue_at(now))
    total, at_once, answered, late, waiting = db.session.execute(
        sa.select(sa.func.count(),
                  sa.func.sum(sa.case((Inquiry.answered_at_once, 1), else_=0)),
                  sa.func.sum(sa.case((Inquiry.answered_at.is_not(None), 1), else_=0)),
                  sa.func.sum(sa.case((overdue, 1), else_=0)),
                  sa.func.sum(sa.case((Inquiry.status.in_(WAITING), 1), else_=0)))
        .where(*where)
    ).one()
    total, at_once, answered, late = total or 0, at_once or 0, answered or 0, late or 0
    return {
        "total": total,
        **_by_channel_category_department(where),
        "answered_at_once": at_once,
        "answered_at_once_rate": round(at_once / total, 4) if total else None,
        "answered": answered,
        "median_seconds_to_answer": _median_seconds(where, answered),
        "overdue": late,
        "overdue_rate": round(late / total, 4) if total else None,
        "still_waiting": waiting or 0,
    }


def complaint_figures(start: datetime, end: datetime) -> dict:
    where = [Complaint.created_at >= start, Complaint.created_at < end]
    rows = db.session.execute(
        sa.select(Complaint.kind, Complaint.outcome, sa.func.count()).where(*where)
        .group_by(Complaint.kind, Complaint.outcome)
    ).all()
    by_kind: dict[str, int] = {}
    for kind, _outcome, count in rows:
        by_kind[kind] = by_kind.get(kind, 0) + count
    repeats = db.session.execute(
        sa.select(sa.func.count()).where(*where, Complaint.flagged_repeat.is_(True))).scalar_one()
    return {
        "total": sum(by_kind.values()),
        "by_kind": [{"key": k, "count": v} for k, v in sorted(by_kind.items())],
        "by_outcome": [{"kind": kind, "outcome": outcome or "pending", "count": count}
                       for kind, outcome, count in rows],
        "repeats": repeats,
    }


def monthly(actor, month: str | None, now: datetime | None = None) -> dict:
    """The tenant's monthly analysis for ``month`` (YYYY-MM, the tenant's calendar)."""
    require_permission(actor, "reports.view")
    tenant = current_tenant()
    zone = ZoneInfo(tenant.timezone)
    now = now or utcnow()
    first = parse_month(month, now.astimezone(zone).date())
    end = _next_month(first)
    start_utc = datetime.combine(first, time(0), tzinfo=zone)
    end_utc = datetime.combine(end, time(0), tzinfo=zone)
    settings = params("core.monthly_report")
    return {
        "month": first.strftime("%Y-%m"),
        "tenant": tenant.name,
        "recipients": settings["recipients"] if settings else [],
        "inquiries": inquiry_figures(first, end, now),
        "complaints": complaint_figures(start_utc, end_utc),
        "satisfaction": satisfaction_summary(start_utc, end_utc),
        "generated_at": now,
    }


def announce_last_month(tenant, now) -> int:
    """Sweep job (core.monthly_report): once a month, tell the managers last month's report is ready."""
    if params("core.monthly_report") is None:
        return 0
    local_today = now.astimezone(ZoneInfo(tenant.timezone)).date()
    last_month = (local_today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    title = _("Monthly analysis %(month)s is ready", month=last_month)
    return len(notifications.notify_role(
        "manager", "report.monthly", title, url=f"/t/{tenant.slug}/reports/monthly?month={last_month}",
        dedupe_key=f"monthly_report:{last_month}"))
