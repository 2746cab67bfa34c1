"""Working-day arithmetic: mainland China's holidays and make-up weekends, tenant additions."""

from datetime import UTC, date, datetime

from core.calendar import WorkingCalendar

CN = WorkingCalendar("CN", "Asia/Shanghai")


def d(text):
    return date.fromisoformat(text)


def test_national_day_week_is_not_worked_and_make_up_weekend_days_are():
    assert not any(CN.is_working_day(d(f"2026-10-0{i}")) for i in range(1, 8))
    assert CN.is_working_day(d("2026-09-20"))  # Sunday worked before Mid-Autumn / National Day
    assert CN.is_working_day(d("2026-10-10"))  # Saturday worked after National Day
    assert not CN.is_working_day(d("2026-10-11"))  # an ordinary Sunday


def test_three_working_days_across_national_day():
    # Wednesday 30 September: Oct 1-7 are off, so 3 WD later is Friday 9 October
    assert CN.nth_working_day(d("2026-09-30"), 3) == d("2026-10-10")
    assert CN.nth_working_day(d("2026-09-30"), 1) == d("2026-10-08")
    assert CN.nth_working_day(d("2026-09-30"), 2) == d("2026-10-09")


def test_make_up_saturday_counts_as_a_working_day():
    # Friday 9 October + 1 WD = Saturday 10 October (make-up day), not Monday 12
    assert CN.nth_working_day(d("2026-10-09"), 1) == d("2026-10-10")
    assert CN.working_days_between(d("2026-10-09"), d("2026-10-12")) == 2


def test_zero_working_days_is_today_or_the_next_working_day():
    assert CN.nth_working_day(d("2026-11-25"), 0) == d("2026-11-25")
    assert CN.nth_working_day(d("2026-10-03"), 0) == d("2026-10-08")


def test_deadline_is_the_end_of_the_day_in_the_tenants_zone():
    # 23:30 UTC on 24 Nov is already 25 Nov in Shanghai; +1 WD = end of 26 Nov, Shanghai time
    due = CN.due_after(datetime(2026, 11, 24, 23, 30, tzinfo=UTC), 1)
    assert due == datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC)


def test_tenant_added_holidays_and_working_days():
    cal = WorkingCalendar("CN", "Asia/Shanghai", extra_holidays={d("2026-11-26")},
                          extra_working_days={d("2026-11-28")})
    assert not cal.is_working_day(d("2026-11-26"))
    assert cal.is_working_day(d("2026-11-28"))  # a Saturday the tenant works
    assert cal.nth_working_day(d("2026-11-25"), 2) == d("2026-11-28")


def test_another_country_and_time_zone():
    hk = WorkingCalendar("HK", "Asia/Hong_Kong")
    assert not hk.is_working_day(d("2026-12-25"))
    assert CN.is_working_day(d("2026-12-25"))


def test_policy_calendar_additions_reach_the_tenants_calendar(admin_a, tenant_a):
    from core.calendar import calendar_for

    response = admin_a.patch("/policy", json={"calendar": {"holidays": ["2026-11-26"],
                                                            "working_days": ["2026-11-28"]}})
    assert response.status_code == 200
    assert response.get_json()["calendar"]["holidays"] == ["2026-11-26"]
    from core.extensions import db

    db.session.refresh(tenant_a)
    cal = calendar_for(tenant_a)
    assert not cal.is_working_day(d("2026-11-26")) and cal.is_working_day(d("2026-11-28"))
    bad = admin_a.patch("/policy", json={"calendar": {"holidays": ["2026-13-01"]}})
    assert bad.status_code == 422
