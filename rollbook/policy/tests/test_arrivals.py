"""Tests for arrival marks and register close times, on both sides of every boundary."""

import datetime as dt

import pytest

from rollbook.policy.arrivals import (
    ArrivalMark,
    arrival_mark,
    register_closes_at,
    register_taken_at,
)
from rollbook.policy.calendar import Session
from rollbook.policy.settings import load_preset

# The school's day: AM register 08:55, closes 09:15; PM register 13:20, closes 13:30.
DAY = load_preset("school-2023").day


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@pytest.mark.parametrize(
    ("session", "arrived", "expected"),
    [
        (Session.AM, "07:30", ArrivalMark("/", None)),
        (Session.AM, "08:54:59", ArrivalMark("/", None)),
        (Session.AM, "08:55", ArrivalMark("/", None)),
        (Session.AM, "08:55:01", ArrivalMark("L", 0)),
        (Session.AM, "08:55:59", ArrivalMark("L", 0)),
        (Session.AM, "08:56", ArrivalMark("L", 1)),
        (Session.AM, "09:14:59", ArrivalMark("L", 19)),
        (Session.AM, "09:15", ArrivalMark("L", 20)),
        (Session.AM, "09:15:01", ArrivalMark("U", 20)),
        (Session.AM, "09:16", ArrivalMark("U", 21)),
        (Session.AM, "11:40", ArrivalMark("U", 165)),
        (Session.PM, "13:00", ArrivalMark("\\", None)),
        (Session.PM, "13:20", ArrivalMark("\\", None)),
        (Session.PM, "13:21", ArrivalMark("L", 1)),
        (Session.PM, "13:30", ArrivalMark("L", 10)),
        (Session.PM, "13:31", ArrivalMark("U", 11)),
        (Session.PM, "15:00", ArrivalMark("U", 100)),
    ],
)
def test_arrival_mark_table(session, arrived, expected):
    assert arrival_mark(session, t(arrived), DAY) == expected


def test_arrival_mark_present_code_differs_by_session():
    assert arrival_mark(Session.AM, t("08:00"), DAY).code == "/"
    assert arrival_mark(Session.PM, t("13:00"), DAY).code == "\\"


@pytest.mark.parametrize(
    ("date", "session", "expected_utc"),
    [
        # British Summer Time ends at 02:00 on Sunday 26 October 2025.
        (dt.date(2025, 10, 24), Session.AM, dt.datetime(2025, 10, 24, 8, 15, tzinfo=dt.UTC)),
        (dt.date(2025, 10, 24), Session.PM, dt.datetime(2025, 10, 24, 12, 30, tzinfo=dt.UTC)),
        (dt.date(2025, 10, 26), Session.AM, dt.datetime(2025, 10, 26, 9, 15, tzinfo=dt.UTC)),
        (dt.date(2025, 10, 27), Session.AM, dt.datetime(2025, 10, 27, 9, 15, tzinfo=dt.UTC)),
        # British Summer Time starts at 01:00 on Sunday 29 March 2026.
        (dt.date(2026, 3, 27), Session.AM, dt.datetime(2026, 3, 27, 9, 15, tzinfo=dt.UTC)),
        (dt.date(2026, 3, 29), Session.AM, dt.datetime(2026, 3, 29, 8, 15, tzinfo=dt.UTC)),
        (dt.date(2026, 3, 30), Session.PM, dt.datetime(2026, 3, 30, 12, 30, tzinfo=dt.UTC)),
    ],
)
def test_register_closes_at_across_clock_changes(date, session, expected_utc):
    closes = register_closes_at(date, session, DAY)
    assert closes == expected_utc
    assert closes.date() == date
    assert closes.time() == (DAY.am_close if session is Session.AM else DAY.pm_close)


def test_register_taken_at_is_local_wall_clock():
    taken_at = register_taken_at(dt.date(2025, 12, 1), Session.AM, DAY)
    assert taken_at == dt.datetime(2025, 12, 1, 8, 55, tzinfo=dt.UTC)
    assert taken_at.utcoffset() == dt.timedelta(0)
