"""Patterns on Larkspur (see rollbook/web/tests/conftest.py): codes, weekday heatmap, weeks and lateness."""

import datetime as dt

import pytest

from rollbook.analysis.figures import load_range
from rollbook.analysis.groups import pupil_table
from rollbook.analysis.patterns import code_use_by_month, lateness, weekday_session_rates, weekly_trend
from rollbook.policy.calendar import Session
from rollbook.registers.services import MarkEntry
from rollbook.schools.models import AcademicYear, Pupil
from rollbook.web.tests.conftest import FIRST_DAY, LAST_DAY, record

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 9, 15)
TUESDAY = dt.date(2025, 9, 16)


def test_code_use_by_month(larkspur):
    use = code_use_by_month(load_range(larkspur, FIRST_DAY, LAST_DAY))

    assert use.months == ["Sep 2025"]
    # Jonah: O on the first 12 school days; present marks on the rest.
    assert dict(zip(use.codes, use.totals)) == {"/": 20 + 8 + 19, "\\": 20 + 8 + 19, "O": 24}
    assert use.meanings["O"] == "Unauthorised absence not covered by any other code"


def test_weekday_session_rates(larkspur):
    cells = weekday_session_rates(load_range(larkspur, FIRST_DAY, LAST_DAY))

    # Mondays 1, 8, 15 and 22 September: 1 Sep is the start of term and a school day here.
    monday_am = cells[(0, 0)]
    assert monday_am.possible == 3 * 4
    # Jonah is absent on the first 12 school days: Mondays 1 and 8 and 15 September.
    assert monday_am.attended == 3 * 4 - 3
    # Friday 26 September has no mark for Ruth.
    assert cells[(4, 1)].possible == 3 * 4 - 1


def test_weekly_trend_single_year(larkspur):
    trend = weekly_trend(larkspur, LAST_DAY)

    assert trend.years == ["2025/26"]
    assert [week.monday for week in trend.weeks] == [dt.date(2025, 9, d) for d in (1, 8, 15, 22)]
    assert all(week.half_term == "autumn-1" for week in trend.weeks)
    # Week 1: Jonah absent all 5 days, so 20 of 30 sessions attended.
    assert str(trend.weeks[0].rates[0]) == "66.7"


def test_lateness_minutes_by_class_and_day(larkspur):
    mila = Pupil.objects.get(forename="Mila")
    ruth = Pupil.objects.get(forename="Ruth")
    record(
        AcademicYear.objects.get(school=larkspur),
        [
            MarkEntry(mila, MONDAY, Session.AM, "L", 7),
            MarkEntry(mila, TUESDAY, Session.AM, "L", 4),
            MarkEntry(ruth, TUESDAY, Session.AM, "U"),
        ],
    )
    data = load_range(larkspur, FIRST_DAY, LAST_DAY)
    late = lateness(data, pupil_table(data, with_risk=False))

    assert late.total == (3, 11, 1)
    assert late.by_class == {"3 Cedar": (2, 11, 0), "3 Maple": (1, 0, 1)}
    assert late.by_weekday[0] == (1, 7, 0)
    assert late.by_weekday[1] == (2, 4, 1)
    assert late.by_class_and_weekday[("3 Cedar", 1)] == (1, 4, 0)


def test_lateness_uses_current_revision(larkspur):
    mila = Pupil.objects.get(forename="Mila")
    year = AcademicYear.objects.get(school=larkspur)
    record(year, [MarkEntry(mila, MONDAY, Session.AM, "L", 7)])
    record(year, [MarkEntry(mila, MONDAY, Session.AM, "L", 12)])
    record(year, [MarkEntry(mila, TUESDAY, Session.AM, "L", 5)])
    record(year, [MarkEntry(mila, TUESDAY, Session.AM, "/")])
    data = load_range(larkspur, FIRST_DAY, LAST_DAY)
    late = lateness(data, pupil_table(data, with_risk=False))

    assert late.total == (1, 12, 0)
