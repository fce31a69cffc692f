"""Tests for the school calendar: bank holidays, school days and weeks, slots, compulsory school age."""

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest

from rollbook.tests.data import GOV_UK_BANK_HOLIDAYS, SHEFFIELD_TERM_DATES
from rollbook.policy.calendar import (
    SLOTS_PER_YEAR,
    CalendarError,
    Closure,
    HalfTerm,
    SchoolCalendar,
    Session,
    Term,
    academic_year_of,
    compulsory_school_age_start,
    england_bank_holidays,
    slot_of,
)

from .builders import CALENDAR_2025, CALENDAR_2026, D, half_terms

BANK_HOLIDAYS_FILE = GOV_UK_BANK_HOLIDAYS
TERM_DATES_FILE = SHEFFIELD_TERM_DATES


def gov_uk_bank_holidays() -> set[dt.date]:
    feed = json.loads(BANK_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    return {dt.date.fromisoformat(event["date"]) for event in feed["england-and-wales"]["events"]}


def test_bank_holidays_match_gov_uk():
    # The library also lists Christmas Day on a Saturday and the like; the feed lists the
    # substitute weekday. On weekdays the two must agree exactly.
    library = {day for day in england_bank_holidays(list(range(2019, 2028))) if day.weekday() < 5}

    assert library == gov_uk_bank_holidays()


@pytest.mark.parametrize(
    "day",
    [
        D(2020, 5, 8),  # VE Day 75, moved from the first Monday of May
        D(2022, 6, 2),  # the Platinum Jubilee
        D(2022, 6, 3),
        D(2022, 9, 19),  # the state funeral of Queen Elizabeth II
        D(2023, 5, 8),  # the coronation of King Charles III
        D(2021, 12, 28),  # a substitute day for Boxing Day
        D(2022, 1, 3),  # a substitute day for New Year's Day
    ],
)
def test_bank_holidays_one_off_and_substitute(day):
    assert day in england_bank_holidays([day.year])


def holidays_in_term_dates_file() -> list[tuple[dt.date, dt.date]]:
    """Return the holidays of the iCalendar file as inclusive date ranges (its DTEND is exclusive)."""
    calendar = icalendar.Calendar.from_ical(TERM_DATES_FILE.read_bytes())
    return [
        (event.decoded("DTSTART"), event.decoded("DTEND") - dt.timedelta(days=1))
        for event in calendar.walk("VEVENT")
        if "Bank holiday" not in str(event.get("SUMMARY"))
    ]


@pytest.mark.parametrize("calendar", [CALENDAR_2025, CALENDAR_2026], ids=["2025", "2026"])
def test_builder_calendars_match_sheffield(calendar):
    holidays = holidays_in_term_dates_file()

    def in_holiday(day: dt.date) -> bool:
        return any(start <= day <= end for start, end in holidays)

    first, last = calendar.half_terms[0].start, calendar.half_terms[-1].end
    in_a_half_term = {
        first + dt.timedelta(days=n)
        for n in range((last - first).days + 1)
        if calendar.half_term_of(first + dt.timedelta(days=n))
    }
    between_holidays = {
        first + dt.timedelta(days=n) for n in range((last - first).days + 1) if not in_holiday(first + dt.timedelta(days=n))
    }
    weekdays = {day for day in between_holidays if day.weekday() < 5}

    assert {day for day in in_a_half_term if day.weekday() < 5} == weekdays
    assert in_holiday(first - dt.timedelta(days=1))
    assert in_holiday(last + dt.timedelta(days=1))


def test_school_days_of_2025():
    days = CALENDAR_2025.school_days

    assert len(days) == 195
    assert days[0] == D(2025, 9, 1)
    assert days[-1] == D(2026, 7, 20)
    assert all(day.weekday() < 5 for day in days)
    assert D(2026, 5, 4) not in days  # the early May bank holiday, inside summer-1
    assert not CALENDAR_2025.is_school_day(D(2025, 10, 27))  # half-term
    assert CALENDAR_2025.is_school_day(D(2025, 11, 3))


def test_school_days_2026_start_tuesday():
    # Monday 31 August 2026 is the summer bank holiday, and in the academic year before.
    assert CALENDAR_2026.school_days[0] == D(2026, 9, 1)
    assert CALENDAR_2026.school_days[0].weekday() == 1


def test_school_weeks_skip_the_holidays():
    weeks = CALENDAR_2025.school_weeks

    assert len(weeks) == 40
    assert all(monday.weekday() == 0 for monday in weeks)
    assert weeks[:2] == (D(2025, 9, 1), D(2025, 9, 8))
    for holiday_week in (D(2025, 10, 27), D(2025, 12, 22), D(2025, 12, 29), D(2026, 2, 16), D(2026, 5, 25)):
        assert holiday_week not in weeks
    assert weeks[-1] == D(2026, 7, 20)


def test_school_weeks_with_bank_holiday_monday():
    assert D(2026, 8, 31) in CALENDAR_2026.school_weeks
    assert D(2026, 5, 4) in CALENDAR_2025.school_weeks


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 8, 31), None),
        (D(2025, 9, 1), D(2025, 9, 1)),
        (D(2025, 9, 6), D(2025, 9, 5)),
        (D(2026, 1, 4), D(2025, 12, 19)),
        (D(2026, 5, 4), D(2026, 5, 1)),
        (D(2026, 8, 31), D(2026, 7, 20)),
    ],
)
def test_last_school_day_on_or_before(day, expected):
    assert CALENDAR_2025.last_school_day_on_or_before(day) == expected


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (D(2025, 9, 1), Term.AUTUMN),
        (D(2025, 12, 19), Term.AUTUMN),
        (D(2025, 12, 22), None),
        (D(2026, 1, 5), Term.SPRING),
        (D(2026, 3, 27), Term.SPRING),
        (D(2026, 4, 13), Term.SUMMER),
        (D(2026, 7, 21), None),
    ],
)
def test_term_of(day, term):
    assert CALENDAR_2025.term_of(day) == term


@pytest.mark.parametrize(
    ("day", "session", "slot"),
    [
        (D(2025, 9, 1), Session.AM, 0),
        (D(2025, 9, 1), Session.PM, 1),
        (D(2025, 9, 2), Session.AM, 2),
        (D(2026, 8, 31), Session.PM, 729),
        (D(2028, 8, 31), Session.PM, SLOTS_PER_YEAR - 1),  # 2027/28 has 29 February
    ],
)
def test_slot_of(day, session, slot):
    assert slot_of(day, session) == slot


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2025, 8, 31), 2024), (D(2025, 9, 1), 2025), (D(2026, 1, 1), 2025), (D(2026, 8, 31), 2025)],
)
def test_academic_year_of(day, year):
    assert academic_year_of(day) == year


@pytest.mark.parametrize(
    ("born", "compulsory_from"),
    [
        # The first of 31 December, 31 March or 31 August on or after the fifth birthday.
        (D(2020, 8, 31), D(2025, 8, 31)),  # a fifth birthday on a prescribed day: that day
        (D(2020, 9, 1), D(2025, 12, 31)),
        (D(2020, 12, 30), D(2025, 12, 31)),
        (D(2020, 12, 31), D(2025, 12, 31)),
        (D(2021, 1, 1), D(2026, 3, 31)),
        (D(2021, 3, 31), D(2026, 3, 31)),
        (D(2021, 4, 1), D(2026, 8, 31)),
        # Born on 29 February: the fifth birthday falls in a common year.
        (D(2020, 2, 29), D(2025, 3, 31)),
        (D(2016, 2, 29), D(2021, 3, 31)),
        (D(2024, 2, 29), D(2029, 3, 31)),
        (D(2020, 2, 28), D(2025, 3, 31)),
        (D(2020, 3, 1), D(2025, 3, 31)),
    ],
)
def test_compulsory_school_age_start(born, compulsory_from):
    assert compulsory_school_age_start(born) == compulsory_from


def test_closure_covers_sessions_and_year_groups():
    closure = Closure(D(2025, 9, 16), D(2025, 9, 17), session=Session.PM, year_groups=frozenset({"R", "1"}))

    assert closure.covers(D(2025, 9, 16), Session.PM, "R")
    assert not closure.covers(D(2025, 9, 16), Session.AM, "R")
    assert not closure.covers(D(2025, 9, 16), Session.PM, "2")
    assert not closure.covers(D(2025, 9, 18), Session.PM, "1")
    assert Closure(D(2025, 9, 16), D(2025, 9, 16)).covers(D(2025, 9, 16), Session.AM, "4")


@pytest.mark.parametrize(
    ("half_term_list", "message"),
    [
        ((HalfTerm("autumn-1", D(2025, 9, 1), D(2025, 10, 24)), HalfTerm("autumn-2", D(2025, 10, 20), D(2025, 12, 19))), "overlap"),
        ((HalfTerm("autumn-1", D(2025, 8, 28), D(2025, 10, 24)),), "outside the academic year 2025/26"),
        ((HalfTerm("autumn-3", D(2025, 9, 1), D(2025, 10, 24)),), "label 'autumn-3' is invalid"),
        ((HalfTerm("autumn-1", D(2025, 10, 24), D(2025, 9, 1)),), "ends (2025-09-01) before it starts"),
        ((HalfTerm("spring-1", D(2025, 9, 1), D(2025, 10, 24)), HalfTerm("autumn-1", D(2025, 11, 3), D(2025, 12, 19))), "out of order"),
        ((HalfTerm("autumn-1", D(2025, 9, 1), D(2025, 9, 5)), HalfTerm("autumn-1", D(2025, 9, 8), D(2025, 9, 12))), "more than once"),
    ],
)
def test_calendar_refuses_invalid_half_terms(half_term_list, message):
    with pytest.raises(CalendarError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SchoolCalendar(2025, half_term_list)


def test_calendar_closure_outside_year():
    with pytest.raises(CalendarError, match="closure 2026-09-01"):
        SchoolCalendar(2025, half_terms((D(2025, 9, 1), D(2025, 10, 24))), closures=(Closure(D(2026, 9, 1), D(2026, 9, 1)),))


def test_calendar_orders_half_terms_by_date():
    ordered = half_terms((D(2025, 9, 1), D(2025, 10, 24)), (D(2025, 11, 3), D(2025, 12, 19)))

    calendar = SchoolCalendar(2025, tuple(reversed(ordered)))

    assert calendar.half_terms == ordered
