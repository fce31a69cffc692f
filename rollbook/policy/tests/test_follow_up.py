"""Tests for the N follow-up rule: when an N is overdue, across weekends, holidays and years."""

import datetime as dt

import pytest

from rollbook.policy.follow_up import overdue_cutoff, school_days_open


def weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


SEPTEMBER = weekdays(dt.date(2025, 9, 1), dt.date(2025, 9, 30))


@pytest.mark.parametrize(
    ("as_of", "cutoff"),
    [
        (dt.date(2025, 9, 5), None),  # the fifth school day: nothing can be overdue yet
        (dt.date(2025, 9, 8), dt.date(2025, 9, 1)),  # Monday's N is overdue at the end of the next Monday
        (dt.date(2025, 9, 12), dt.date(2025, 9, 5)),
        (dt.date(2025, 9, 13), dt.date(2025, 9, 5)),  # Saturday counts as Friday
        (dt.date(2025, 9, 14), dt.date(2025, 9, 5)),
        (dt.date(2025, 9, 15), dt.date(2025, 9, 8)),
    ],
)
def test_overdue_cutoff_five_days(as_of, cutoff):
    assert overdue_cutoff(SEPTEMBER, as_of, 5) == cutoff


def test_overdue_cutoff_skips_holidays():
    # Half-term from 27 to 31 October: an N on Wednesday 22 October is overdue at the end of
    # Wednesday 5 November, the fifth school day after it.
    days = weekdays(dt.date(2025, 10, 20), dt.date(2025, 10, 24)) + weekdays(dt.date(2025, 11, 3), dt.date(2025, 11, 7))

    assert overdue_cutoff(days, dt.date(2025, 11, 4), 5) == dt.date(2025, 10, 21)
    assert overdue_cutoff(days, dt.date(2025, 11, 5), 5) == dt.date(2025, 10, 22)


def test_overdue_cutoff_rejects_zero_limit():
    with pytest.raises(ValueError, match="limit 0 is invalid"):
        overdue_cutoff(SEPTEMBER, dt.date(2025, 9, 30), 0)


def test_school_days_open_counts_days_after():
    assert school_days_open(SEPTEMBER, dt.date(2025, 9, 1), dt.date(2025, 9, 1)) == 0
    assert school_days_open(SEPTEMBER, dt.date(2025, 9, 1), dt.date(2025, 9, 8)) == 5
    assert school_days_open(SEPTEMBER, dt.date(2025, 9, 5), dt.date(2025, 9, 7)) == 0


def test_overdue_cutoff_across_summer_holiday():
    # An N on Monday 20 July 2026, two days before the summer holiday, is overdue at the end of
    # Monday 7 September, the fifth school day after it in the next academic year.
    days = weekdays(dt.date(2026, 7, 13), dt.date(2026, 7, 21)) + weekdays(dt.date(2026, 9, 2), dt.date(2026, 9, 11))

    assert overdue_cutoff(days, dt.date(2026, 9, 4), 5) == dt.date(2026, 7, 17)
    assert overdue_cutoff(days, dt.date(2026, 9, 7), 5) == dt.date(2026, 7, 20)
    assert school_days_open(days, dt.date(2026, 7, 20), dt.date(2026, 9, 7)) == 5
