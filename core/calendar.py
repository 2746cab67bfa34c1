"""Working days per tenant: the ``holidays`` calendar of the tenant's country (mainland China
by default, with its make-up working weekends) plus the days the tenant's policy adds, counted
in the tenant's time zone. Every "within N working days" rule goes through here.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

_MAX_SCAN_DAYS = 3660  # no calendar has ten years without a working day


class WorkingCalendar:
    def __init__(self, country: str, timezone: str, *, extra_holidays=(), extra_working_days=()):
        self.zone = ZoneInfo(timezone)
        self.country = country
        self._public = holidays.country_holidays(country)
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_working_days = frozenset(extra_working_days)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_holidays:
            return False
        return self._public.is_working_day(day)  # knows make-up weekends (调休)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def end_of_day(self, day: date) -> datetime:
        """The last moment of a local day, in UTC: a deadline "by day D" means by its end."""
        local = datetime.combine(day, time(23, 59, 59), tzinfo=self.zone)
        return local.astimezone(UTC)

    def nth_working_day(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (n=0: start itself if working, else the next)."""
        day, remaining = start, n
        for _ in range(_MAX_SCAN_DAYS):
            if remaining == 0 and self.is_working_day(day):
                return day
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
                if remaining <= 0:
                    return day
        raise ValueError("no working day found within ten years")

    def due_after(self, start: datetime, working_days: int) -> datetime:
        """The deadline "within N working days" of ``start``: the end of the N-th working day."""
        return self.end_of_day(self.nth_working_day(self.local_date(start), working_days))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how far ``end`` is from ``start`` in working days."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


_cache: OrderedDict[tuple, WorkingCalendar] = OrderedDict()


def calendar_for(tenant, policy=None) -> WorkingCalendar:
    """The tenant's calendar: its country and time zone, plus the days its policy adds."""
    from core.policy import load_policy

    policy = policy or load_policy(tenant)
    overrides = policy.document.get("calendar", {})
    key = (tenant.id, policy.key, tenant.country, tenant.timezone)
    calendar = _cache.get(key)
    if calendar is None:
        calendar = WorkingCalendar(
            tenant.country or "CN", tenant.timezone or "Asia/Shanghai",
            extra_holidays={date.fromisoformat(d) for d in overrides.get("holidays", [])},
            extra_working_days={date.fromisoformat(d) for d in overrides.get("working_days", [])},
        )
        _cache[key] = calendar
        if len(_cache) > 1024:
            _cache.popitem(last=False)
    return calendar
