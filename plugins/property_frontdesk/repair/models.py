"""The hot-water repair desk (S4 热水 服务标准化流程): projects, staff, work orders, rounds, daily status.

Every table is tenant-scoped and prefixed ``property_``; flags raised by the sweeps are rows of
``property_repair_flags`` with a unique key, so that a second sweep flags nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, tenant_fk, utcnow

KINDS = ("repair", "complaint")
STATUSES = ("reported", "notified", "in_progress", "fixed", "confirmed", "closed")
OPEN_STATUSES = ("reported", "notified", "in_progress")
FLAG_KINDS = ("understaffed", "rounds_missing", "status_missing", "week_announced")


class Project(TenantScoped, db.Model):
    """An estate or site whose hot-water system the company runs (工程运行项目)."""

    __tablename__ = "property_projects"
    __table_args__ = (
        tenant_fk("users.id", local="manager_id"),
        sa.UniqueConstraint("tenant_id", "name"),
        sa.Index("ix_property_projects_manager", "tenant_id", "manager_id"),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    manager_id: Mapped[str | None] = mapped_column(sa.String(26))  # 项目工程部经理
    min_staff: Mapped[int | None] = mapped_column()  # overrides property.min_staffing
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectStaff(TenantScoped, db.Model):
    """A maintenance worker (维护人员) on a project's roster."""

    __tablename__ = "property_project_staff"
    __table_args__ = (
        tenant_fk("property_projects.id", local="project_id"),
        tenant_fk("users.id", local="user_id"),
        sa.UniqueConstraint("tenant_id", "project_id", "user_id"),
        sa.Index("ix_property_project_staff_user", "tenant_id", "user_id"),
    )

    project_id: Mapped[str] = mapped_column(sa.String(26))
    user_id: Mapped[str] = mapped_column(sa.String(26))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkOrder(TenantScoped, db.Model):
    """A repair or complaint call on the dedicated line (专线专用, 登录在案)."""

    __tablename__ = "property_work_orders"
    __table_args__ = (
        tenant_fk("property_projects.id", local="project_id"),
        tenant_fk("users.id", local="created_by_id"),
        tenant_fk("users.id", local="fixed_by_id"),
        tenant_fk("property_work_orders.id", local="repeat_of_id"),
        sa.Index("ix_property_work_orders_project", "tenant_id", "project_id", "status", "id"),
        sa.Index("ix_property_work_orders_status", "tenant_id", "status", "created_at"),
        sa.Index("ix_property_work_orders_week", "tenant_id", "project_id", "created_at"),
        sa.Index("ix_property_work_orders_location", "tenant_id", "project_id", "location_key",
                 "created_at"),
        sa.Index("ix_property_work_orders_phone", "tenant_id", "reporter_phone", "created_at"),
        sa.Index("ix_property_work_orders_repeat", "tenant_id", "repeat", "id"),
    )

    project_id: Mapped[str] = mapped_column(sa.String(26))
    kind: Mapped[str] = mapped_column(sa.String(20))  # repair | complaint
    status: Mapped[str] = mapped_column(sa.String(20), default="reported")
    reporter_name: Mapped[str | None] = mapped_column(sa.String(100))
    reporter_phone: Mapped[str | None] = mapped_column(sa.String(40))
    location: Mapped[str] = mapped_column(sa.String(200))
    location_key: Mapped[str] = mapped_column(sa.String(200))  # normalised location
    fault: Mapped[str] = mapped_column(sa.Text)
    inquiry_id: Mapped[str | None] = mapped_column(sa.String(26))  # a ledger entry, if any
    created_by_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_chased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chase_count: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fix_note: Mapped[str | None] = mapped_column(sa.Text)
    fixed_by_id: Mapped[str | None] = mapped_column(sa.String(26))
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_note: Mapped[str | None] = mapped_column(sa.Text)
    result_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmation_note: Mapped[str | None] = mapped_column(sa.Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a repeat call about the same fault (反复投诉) goes to the general manager
    repeat: Mapped[bool] = mapped_column(default=False)
    repeat_of_id: Mapped[str | None] = mapped_column(sa.String(26))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RoundsLog(TenantScoped, db.Model):
    """A maintenance worker's day on a project: 抄表, 巡查, 检测水温."""

    __tablename__ = "property_rounds_logs"
    __table_args__ = (
        tenant_fk("property_projects.id", local="project_id"),
        tenant_fk("users.id", local="logged_by_id"),
        sa.UniqueConstraint("tenant_id", "project_id", "day"),
    )

    project_id: Mapped[str] = mapped_column(sa.String(26))
    day: Mapped[date] = mapped_column(sa.Date)
    meter_reading: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    patrol_done: Mapped[bool] = mapped_column(default=False)
    water_temperature: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    logged_by_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DailyStatus(TenantScoped, db.Model):
    """The project manager's daily look: 用水量, 维修情况, 库存, 学生投诉情况, 机器运行情况."""

    __tablename__ = "property_daily_statuses"
    __table_args__ = (
        tenant_fk("property_projects.id", local="project_id"),
        tenant_fk("users.id", local="recorded_by_id"),
        sa.UniqueConstraint("tenant_id", "project_id", "day"),
    )

    project_id: Mapped[str] = mapped_column(sa.String(26))
    day: Mapped[date] = mapped_column(sa.Date)
    water_use: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    repairs: Mapped[str | None] = mapped_column(sa.Text)
    stock: Mapped[str | None] = mapped_column(sa.Text)
    complaints: Mapped[str | None] = mapped_column(sa.Text)
    machines: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[str | None] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RepairFlag(TenantScoped, db.Model):
    """Something a sweep flagged once: an understaffed day, a missing log, an announced week."""

    __tablename__ = "property_repair_flags"
    __table_args__ = (
        tenant_fk("property_projects.id", local="project_id"),
        sa.UniqueConstraint("tenant_id", "kind", "project_id", "key"),
        sa.Index("ix_property_repair_flags_project", "tenant_id", "project_id", "id"),
    )

    kind: Mapped[str] = mapped_column(sa.String(30))
    project_id: Mapped[str] = mapped_column(sa.String(26))
    key: Mapped[str] = mapped_column(sa.String(40))  # a local date or an ISO week
    details: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
