"""Tests for the evidence behind local authority alerts and penalty thresholds, and removal grounds."""

import pytest

from rollbook.policy.duties import (
    ABSENCE_GROUNDS,
    RemovalGround,
    first_absence_block,
    long_health_absence_due,
    penalty_window_sessions,
    removal_grounds,
)
from rollbook.policy.settings import load_preset

from .builders import CALENDAR_2025, UPN_A, D, Pupil, nth_day, year_marks

END_OF_AUTUMN = D(2025, 12, 19)


@pytest.mark.parametrize(
    ("policy", "marks", "first", "last"),
    [
        ("school-2023", "/*3 N*10 /", 4, 13),
        ("school-2023", "/*3 N*9 /", None, None),
        ("school-2023", "/*3 N*5 # O*5", 4, 14),  # a closure day is skipped, not counted
        ("school-2023", "/*3 G*10", None, None),  # G does not count under the school's policy
        ("england-2024", "/*3 G*10", 4, 13),
        ("england-2024", "/*3 G*5 U N*5", None, None),  # U means the pupil came in
    ],
)
def test_unauthorised_block_days(policy, marks, first, last):
    year = year_marks({UPN_A: marks}, policy)
    alerts = year.policy.la_alerts

    block = first_absence_block(year, 0, END_OF_AUTUMN, alerts.unauthorised_block_codes, alerts.unauthorised_block_days)

    if first is None:
        assert block is None
    else:
        assert block.first_day == nth_day(first)
        assert block.last_day == nth_day(last)


def test_block_lists_every_session_code():
    year = year_marks({UPN_A: "/ N*5 # O*5"}, "school-2023")
    alerts = year.policy.la_alerts

    block = first_absence_block(year, 0, END_OF_AUTUMN, alerts.unauthorised_block_codes, alerts.unauthorised_block_days)

    assert [(day.am, day.pm) for day in block.days] == [("N", "N")] * 5 + [("#", "#")] + [("O", "O")] * 5
    assert block.sessions == 22


@pytest.mark.parametrize(("days", "found"), [(14, False), (15, True)])
def test_medical_block_length(days, found):
    year = year_marks({UPN_A: f"M*{days} /"}, "england-2024")
    alerts = year.policy.la_alerts

    block = first_absence_block(year, 0, END_OF_AUTUMN, alerts.medical_block_codes, alerts.medical_block_days)

    assert (block is not None) == found


def test_block_not_found_before_it_ends():
    year = year_marks({UPN_A: "N*10"}, "school-2023")
    alerts = year.policy.la_alerts

    assert first_absence_block(year, 0, nth_day(9), ("N", "O"), alerts.unauthorised_block_days) is None
    assert first_absence_block(year, 0, nth_day(10), ("N", "O"), alerts.unauthorised_block_days) is not None


@pytest.mark.parametrize(("policy", "expected_weeks"), [("school-2023", 12), ("england-2024", 10)])
def test_penalty_window_sessions_span_policy_weeks(policy, expected_weeks):
    # Two unauthorised sessions in each of the first 13 school weeks (a Monday, AM and PM).
    marks_text = " ".join(f"@{monday} N" for monday in CALENDAR_2025.school_weeks[:13])
    year = year_marks({UPN_A: marks_text}, policy)
    reached_on = CALENDAR_2025.school_weeks[12]

    sessions = penalty_window_sessions(year, 0, reached_on)

    mondays = sorted({day for day, _, _ in sessions})
    assert mondays == list(CALENDAR_2025.school_weeks[13 - expected_weeks : 13])
    assert len(sessions) == 2 * expected_weeks
    assert {code for _, _, code in sessions} == {"N"}


def test_penalty_window_sessions_skip_other_codes_and_later_days():
    year = year_marks({UPN_A: "U|/ G|I / O|N N*5"}, "school-2023")

    sessions = penalty_window_sessions(year, 0, nth_day(4))

    assert sessions == [
        (nth_day(1), "AM", "U"),
        (nth_day(2), "AM", "G"),
        (nth_day(4), "AM", "O"),
        (nth_day(4), "PM", "N"),
    ]


def test_penalty_window_sessions_only_compulsory_age():
    year = year_marks({UPN_A: Pupil("N*4", compulsory_from=nth_day(3))}, "school-2023")

    sessions = penalty_window_sessions(year, 0, nth_day(4))

    assert [day for day, _, _ in sessions] == [nth_day(3), nth_day(3), nth_day(4), nth_day(4)]


def test_removal_grounds_by_policy():
    assert removal_grounds(load_preset("school-2023")) == ABSENCE_GROUNDS
    assert set(removal_grounds(load_preset("england-2024"))) == set(RemovalGround)
    assert RemovalGround.DIED.label == "has died"


@pytest.mark.parametrize("policy", ["school-2023", "england-2024"])
@pytest.mark.parametrize(("days", "due"), [(15, False), (16, True)])
def test_long_health_absence_boundary(policy, days, due):
    assert long_health_absence_due(days, load_preset(policy)) is due
