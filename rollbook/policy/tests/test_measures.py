"""Tests for session counts, rates and the persistent and severe absence tests."""

import dataclasses
from decimal import Decimal

import numpy as np
import pytest

from rollbook.policy.codes import CODE_BYTES
from rollbook.policy.marks import day_index
from rollbook.policy.measures import (
    SessionCounts,
    absence_rate,
    attendance_rate,
    count_sessions,
    is_persistent_absence,
    is_severe_absence,
    persistent_absence_flags,
    severe_absence_flags,
)
from rollbook.policy.settings import load_preset

from .builders import CALENDAR_2025, UPN_A, UPN_B, D, Pupil, nth_day, year_marks

SCHOOL_2023 = load_preset("school-2023")


def as_lists(counts: SessionCounts) -> dict[str, list[int]]:
    return {name: array.tolist() for name, array in dataclasses.asdict(counts).items()}


@pytest.mark.parametrize(
    ("attended", "possible", "shown"),
    [
        (180, 200, "90.0"),
        (181, 201, "90.0"),  # 90.049...
        (180, 201, "89.6"),
        (1, 16, "6.3"),  # 6.25: half up, not to even
        (3, 16, "18.8"),  # 18.75
        (1, 8, "12.5"),
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (0, 5, "0.0"),
        (5, 5, "100.0"),
        (1999, 2000, "100.0"),  # 99.95
        (1998, 2000, "99.9"),
    ],
)
def test_attendance_rate_rounds_half_up(attended, possible, shown):
    rate = attendance_rate(attended, possible)

    assert rate == Decimal(shown)
    assert str(rate) == shown


def test_absence_rate_rounds_as_attendance_rate():
    assert str(absence_rate(20, 201)) == "10.0"  # 9.95...
    assert str(absence_rate(20, 200)) == "10.0"
    assert str(absence_rate(1, 16)) == "6.3"


@pytest.mark.parametrize("rate", [attendance_rate, absence_rate])
def test_rates_are_none_without_possible_sessions(rate):
    assert rate(0, 0) is None


@pytest.mark.parametrize(
    ("absent", "possible", "expected"),
    [
        (20, 200, True),  # exactly 90% attendance
        (20, 201, False),  # shown as 90.0% attendance, but absence is below 10%
        (19, 190, True),
        (18, 190, False),
        (1, 10, True),
        (1, 11, False),
        (200, 200, True),
        (0, 1, False),
        (0, 0, False),
    ],
)
def test_is_persistent_absence_on_whole_counts(absent, possible, expected):
    assert is_persistent_absence(absent, possible, SCHOOL_2023) is expected


@pytest.mark.parametrize(
    ("absent", "possible", "expected"),
    [
        (100, 200, True),
        (99, 200, False),
        (100, 201, False),
        (1, 2, True),
        (0, 0, False),
    ],
)
def test_is_severe_absence_on_whole_counts(absent, possible, expected):
    assert is_severe_absence(absent, possible, SCHOOL_2023) is expected


def test_absence_thresholds_come_from_the_policy():
    measures = dataclasses.replace(SCHOOL_2023.measures, persistent_absence_percent=15, severe_absence_percent=30)
    policy = dataclasses.replace(SCHOOL_2023, measures=measures)

    assert not is_persistent_absence(20, 200, policy)
    assert is_persistent_absence(30, 200, policy)
    assert not is_severe_absence(59, 200, policy)
    assert is_severe_absence(60, 200, policy)


def test_absence_flags_match_single_tests():
    absent = np.array([20, 20, 0, 100, 99])
    possible = np.array([200, 201, 0, 200, 200])
    zeros = np.zeros(5, dtype=np.int64)
    counts = SessionCounts(possible=possible, attended=possible - absent, authorised=absent, unauthorised=zeros, missing=zeros)

    assert persistent_absence_flags(counts, SCHOOL_2023).tolist() == [True, False, False, True, True]
    assert severe_absence_flags(counts, SCHOOL_2023).tolist() == [False, False, False, True, False]


# 13 school days, 1 to 17 September 2025.
MIXED = "/*5 L|U I M|/ N B|V # .*2 D|X"


def test_count_sessions_by_category():
    marks = year_marks({UPN_A: MIXED})

    counts = count_sessions(marks, D(2025, 9, 1), D(2025, 9, 17))

    assert counts.attended.tolist() == [14]  # 10 present, L, the PM of M|/, B and V
    assert counts.authorised.tolist() == [3]  # I I M
    assert counts.unauthorised.tolist() == [3]  # U N N
    assert counts.possible.tolist() == [20]  # #, D and X are not possible
    assert counts.missing.tolist() == [4]
    assert counts.absent.tolist() == [6]


def test_count_sessions_int64_in_upn_order():
    marks = year_marks({UPN_B: "N*3", UPN_A: "/*2"})

    counts = count_sessions(marks, D(2025, 9, 1), D(2025, 9, 3))

    assert counts.unauthorised.tolist() == [6, 0]
    assert counts.attended.tolist() == [0, 4]
    assert counts.missing.tolist() == [0, 2]
    assert all(array.dtype == np.int64 for array in dataclasses.astuple(counts))


def test_count_sessions_both_dates_inclusive():
    marks = year_marks({UPN_A: "/ I N"})

    assert count_sessions(marks, D(2025, 9, 2), D(2025, 9, 2)).authorised.tolist() == [2]
    assert count_sessions(marks, D(2025, 9, 2), D(2025, 9, 3)).possible.tolist() == [4]
    assert count_sessions(marks, D(2025, 9, 3), D(2025, 9, 2)).possible.tolist() == [0]


def test_count_sessions_clips_to_year():
    marks = year_marks({UPN_A: "/*10 @2026-07-20 I"})
    whole_year = count_sessions(marks, CALENDAR_2025.start, CALENDAR_2025.end)

    wider = count_sessions(marks, D(2024, 1, 1), D(2027, 12, 31))

    assert as_lists(wider) == as_lists(whole_year)
    assert wider.possible.tolist() == [22]
    assert count_sessions(marks, D(2026, 9, 1), D(2026, 9, 30)).possible.tolist() == [0]


def test_count_sessions_20_of_201_absent():
    marks = year_marks({UPN_A: "/*90 I*10", UPN_B: "/*90 I*10 /|#"})

    counts = count_sessions(marks, CALENDAR_2025.start, nth_day(101))

    assert counts.possible.tolist() == [200, 201]
    assert [str(attendance_rate(int(a), int(p))) for a, p in zip(counts.attended, counts.possible)] == ["90.0", "90.0"]
    assert persistent_absence_flags(counts, SCHOOL_2023).tolist() == [True, False]


def test_count_sessions_ignores_marks_off_roll():
    # Admitted on Wednesday 3 September, left on Tuesday 9 September: 5 school days on roll.
    marks = year_marks({UPN_A: Pupil("N*2 /*5 N*3", admitted=D(2025, 9, 3), left=D(2025, 9, 9))})

    counts = count_sessions(marks, CALENDAR_2025.start, CALENDAR_2025.end)

    assert counts.attended.tolist() == [10]
    assert counts.unauthorised.tolist() == [0]
    assert counts.missing.tolist() == [0]


def test_count_sessions_missing_only_on_roll():
    marks = year_marks({UPN_A: Pupil("/", left=D(2025, 9, 3))})

    counts = count_sessions(marks, CALENDAR_2025.start, CALENDAR_2025.end)

    assert counts.missing.tolist() == [4]  # 2 and 3 September


def test_count_sessions_ignores_non_school_days():
    marks = year_marks({UPN_A: "/"})
    saturday = day_index(CALENDAR_2025, D(2025, 9, 6))
    october_half_term = day_index(CALENDAR_2025, D(2025, 10, 27))
    marks.codes[0, [2 * saturday, 2 * october_half_term + 1]] = CODE_BYTES["N"]

    counts = count_sessions(marks, D(2025, 9, 1), D(2025, 10, 31))

    assert counts.unauthorised.tolist() == [0]
    assert counts.possible.tolist() == [2]


def test_count_sessions_reads_recorded_code_set():
    # H (holiday authorised) is withdrawn from the 2024 set, but marks of earlier years keep it.
    marks = year_marks({UPN_A: "H*2 /"}, policy="england-2024", recorded_under="school-2023")

    counts = count_sessions(marks, D(2025, 9, 1), D(2025, 9, 3))

    assert counts.authorised.tolist() == [4]
    assert counts.possible.tolist() == [6]


def test_count_sessions_without_pupils():
    marks = year_marks({})

    counts = count_sessions(marks, CALENDAR_2025.start, CALENDAR_2025.end)

    assert counts.possible.shape == (0,)
